using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>Stops a key of the partner itself from working, at once; revoking it again changes nothing.</summary>
public static class RevokeApiKey
{
    public static async Task<Result<ApiKeyView>> RunAsync(CommerceDb db, Guid partnerId, Guid id, string revokedBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.PartnerId == partnerId, cancellationToken) is not { } key)
        {
            return Error.NotFound("api_key", id);
        }

        if (key.RevokedAt is null)
        {
            var now = time.GetUtcNow();
            key.Revoke(now);
            db.AccessEvents.Add(new AccessEvent(partnerId, now, revokedBy, AccessEventKind.KeyRevoked, ApiKeyFormat.Describe(key)));
            await db.SaveChangesAsync(cancellationToken);
        }
        return ApiKeyFormat.View(key);
    }
}
