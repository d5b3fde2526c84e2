using System.Security.Cryptography;
using Csp.Data;
using Csp.Domain;

namespace Csp.Commerce.Access;

/// <summary>Makes an API key for a partner in a role; the key is answered this once and only its hash is kept.</summary>
public static class CreateApiKey
{
    /// <summary>How long a key's name may be.</summary>
    public const int MaxName = 100;

    public static async Task<Result<CreatedApiKey>> RunAsync(CommerceDb db, Guid partnerId, string name, AccessRole role, string createdBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (name.Trim().Length is 0 or > MaxName || name.Any(char.IsControl))
        {
            return Error.InvalidParameter("name", $"name must be 1 to {MaxName} characters, none of them control characters.");
        }

        var key = $"{ApiKeyFormat.Start}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        var now = time.GetUtcNow();
        var stored = new ApiKey(Guid.CreateVersion7(now), partnerId, name.Trim(), role, key[..ApiKeyFormat.PrefixLength], ApiKeyFormat.Hash(key), now, createdBy);
        db.ApiKeys.Add(stored);
        db.AccessEvents.Add(new AccessEvent(partnerId, now, createdBy, AccessEventKind.KeyCreated, ApiKeyFormat.Describe(stored)));
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key, ApiKeyFormat.View(stored));
    }
}
