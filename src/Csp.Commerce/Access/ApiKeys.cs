using System.Security.Cryptography;
using System.Text;
using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>A key as listed: never the key itself, only its prefix.</summary>
public sealed record ApiKeyView(Guid Id, string Name, AccessRole Role, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just made: the key itself, shown this once, and the key as it will be listed.</summary>
public sealed record CreatedApiKey(string Key, ApiKeyView ApiKey);

/// <summary>The caller a key stands for: its partner and role, and the key's id and prefix for the audit.</summary>
public sealed record KeyHolder(Guid PartnerId, AccessRole Role, Guid KeyId, string Prefix);

/// <summary>
/// The organisation's API keys. A key is <c>csp_</c>, eight characters that find it (its prefix) and 43 of a 256-bit
/// secret (base64url); only its SHA-256 is stored, compared in constant time.
/// </summary>
public static class ApiKeys
{
    public const string Start = "csp_";

    /// <summary>How long a key's name may be.</summary>
    public const int MaxName = 100;

    private const int PrefixLength = 12;

    public static async Task<Result<CreatedApiKey>> CreateAsync(CommerceDb db, Guid partnerId, string name, AccessRole role, string createdBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (name.Trim().Length is 0 or > MaxName || name.Any(char.IsControl))
        {
            return Error.InvalidParameter("name", $"name must be 1 to {MaxName} characters, none of them control characters.");
        }

        var key = $"{Start}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var now = time.GetUtcNow();
        var stored = new ApiKey(Guid.CreateVersion7(now), partnerId, name.Trim(), role, key[..PrefixLength], Hash(key), now, createdBy);
        db.ApiKeys.Add(stored);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key, View(stored));
    }

    /// <summary>The keys of <paramref name="partnerId"/> itself: a distributor does not see its resellers' keys.</summary>
    public static Task<List<ApiKeyView>> ListAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        // Newest first by id (version 7: time-ordered), which both stores can sort, unlike an instant on SQLite.
        db.ApiKeys.Where(k => k.PartnerId == partnerId).OrderByDescending(k => k.Id)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Stops a key of <paramref name="partnerId"/> itself from working at once; revoking it again changes nothing.</summary>
    public static async Task<Result<ApiKeyView>> RevokeAsync(CommerceDb db, Guid partnerId, Guid id, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.PartnerId == partnerId, cancellationToken) is not { } key)
        {
            return Error.NotFound("api_key", id);
        }

        key.Revoke(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return View(key);
    }

    /// <summary>
    /// Whom <paramref name="presented"/> stands for, recording its use (once a minute at most); null for anything but a
    /// live key. It looks across partners: who the caller is comes before any partner scope.
    /// </summary>
    public static async Task<KeyHolder?> AuthenticateAsync(CommerceDb db, string presented, TimeProvider time, CancellationToken cancellationToken)
    {
        if (presented.Length is < PrefixLength or > 100 || !presented.StartsWith(Start, StringComparison.Ordinal))
        {
            return null;
        }

        var prefix = presented[..PrefixLength];
        var key = await db.ApiKeys.IgnoreQueryFilters([CommerceDb.PartnerFilter]).FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || key.RevokedAt is not null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(key.Sha256)))
        {
            return null;
        }

        if (key.Use(time.GetUtcNow()))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return new KeyHolder(key.PartnerId, key.Role, key.Id, key.Prefix);
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiKeyView View(ApiKey k) => new(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt);
}
