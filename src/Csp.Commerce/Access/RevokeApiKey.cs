using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>Stops a key of the partner itself from working, at once; revoking it again changes nothing.</summary>
public static class RevokeApiKey
{
    public static async Task<Result<ApiKeyView>> RunAsync(CommerceDb db, Guid partnerId, Guid id, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.PartnerId == partnerId, cancellationToken) is not { } key)
        {
            return Error.NotFound("api_key", id);
        }

        key.Revoke(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return ApiKeyFormat.View(key);
    }
}
