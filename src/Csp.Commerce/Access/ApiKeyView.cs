using System.Security.Cryptography;
using System.Text;
using Csp.Data;

namespace Csp.Commerce.Access;

/// <summary>A key as listed: never the key itself, only its prefix.</summary>
public sealed record ApiKeyView(Guid Id, string Name, AccessRole Role, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just made: the key itself, shown this once, and the key as it will be listed.</summary>
public sealed record CreatedApiKey(string Key, ApiKeyView ApiKey);

/// <summary>
/// What an API key looks like: <c>csp_</c>, eight characters that find it (its prefix, with <c>csp_</c> the first
/// <see cref="PrefixLength"/>) and 43 of a 256-bit secret (base64url). Only its SHA-256 is stored.
/// </summary>
public static class ApiKeyFormat
{
    public const string Start = "csp_";

    public const int PrefixLength = 12;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A key in words, for the access audit: its prefix, name and role.</summary>
    public static string Describe(ApiKey k) => $"{k.Prefix}… \"{k.Name}\" ({k.Role})";

    public static ApiKeyView View(ApiKey k) => new(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt);
}
