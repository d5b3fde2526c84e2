using System.Security.Cryptography;
using System.Text;
using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>
/// Whom a presented key stands for, recording its use (once a minute at most); null for anything but a live key. It
/// looks across partners — who the caller is comes before any partner scope — and compares hashes in constant time.
/// </summary>
public static class AuthenticateApiKey
{
    public static async Task<Caller?> RunAsync(CommerceDb db, string presented, TimeProvider time, CancellationToken cancellationToken)
    {
        if (presented.Length is < ApiKeyFormat.PrefixLength or > 100 || !presented.StartsWith(ApiKeyFormat.Start, StringComparison.Ordinal))
        {
            return null;
        }

        var prefix = presented[..ApiKeyFormat.PrefixLength];
        var key = await db.ApiKeys.IgnoreQueryFilters([CommerceDb.PartnerFilter]).FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || key.RevokedAt is not null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ApiKeyFormat.Hash(presented)), Encoding.ASCII.GetBytes(key.Sha256)))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (key.Use(now))
        {
            db.AccessEvents.Add(new AccessEvent(key.PartnerId, now, $"key {key.Prefix}", AccessEventKind.KeyUsed, ApiKeyFormat.Describe(key)));
            await db.SaveChangesAsync(cancellationToken);
        }

        return new Caller(key.PartnerId, null, key.Role, $"key {key.Prefix}");
    }
}
