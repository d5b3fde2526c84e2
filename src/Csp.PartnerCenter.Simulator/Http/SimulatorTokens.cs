using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Http;

/// <summary>
/// The simulator's stand-in for Microsoft Entra ID under the Secure Application Model: it redeems the configured
/// application's refresh token (rotating it, as Entra ID does) for app + user access tokens — JWTs signed with a key of
/// the simulator's, carrying <c>amr: ["pwd","mfa"]</c> unless set to leave MFA out — and tells the gate which tokens
/// are its own and still valid on the simulator's clock.
/// </summary>
/// <remarks>
/// A rotated refresh token is signed with a key drawn from the configured application, so that one a platform kept is
/// still redeemed after the simulator restarts (as Entra ID's outlive a restart of anything); within one run each is
/// redeemed once.
/// </remarks>
public sealed class SimulatorTokens(IOptions<SimulatorOptions> options, SimulatorClock clock)
{
    private static readonly string[] PasswordOnly = ["pwd"];
    private static readonly string[] PasswordAndMfa = ["pwd", "mfa"];

    private readonly ConcurrentDictionary<string, byte> redeemed = new(StringComparer.Ordinal);
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] refreshKey = SHA256.HashData(Encoding.UTF8.GetBytes(
        $"{options.Value.SecureApplicationModel.ApplicationId}\n{options.Value.SecureApplicationModel.ApplicationSecret}\n{options.Value.SecureApplicationModel.RefreshToken}"));

    /// <summary>A new access token and refresh token, or null when the application or refresh token is not one the simulator knows.</summary>
    public (string AccessToken, string RefreshToken, int ExpiresIn)? Redeem(string? clientId, string? clientSecret, string? refreshToken, string? scope)
    {
        var sam = options.Value.SecureApplicationModel;
        if (sam.ApplicationId.Length == 0 || clientId != sam.ApplicationId || clientSecret != sam.ApplicationSecret || refreshToken is null
            || !(refreshToken == sam.RefreshToken || (Issued(refreshToken) && redeemed.TryAdd(refreshToken, 0))))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var lifetime = (int)sam.TokenLifetime.TotalSeconds;
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = scope ?? "",
            ["appid"] = clientId,
            ["amr"] = sam.WithoutMfa ? PasswordOnly : PasswordAndMfa,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.ToUnixTimeSeconds() + lifetime,
        });
        var unsigned = $"{Encoded("""{"alg":"HS256","typ":"JWT"}"""u8)}.{Encoded(claims)}";
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var rotated = $"{nonce}.{Signature(nonce)}";
        return ($"{unsigned}.{Encoded(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(unsigned)))}", rotated, lifetime);
    }

    /// <summary>Whether <paramref name="token"/> is one the simulator issued and is unexpired; and whether it carries MFA.</summary>
    public (bool Valid, bool Mfa) Check(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[2] != Encoded(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"))))
        {
            return (false, false);
        }

        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var valid = claims.RootElement.GetProperty("exp").GetInt64() > clock.GetUtcNow().ToUnixTimeSeconds();
        return (valid, claims.RootElement.GetProperty("amr").EnumerateArray().Any(m => m.GetString() == "mfa"));
    }

    /// <summary>Whether <paramref name="refreshToken"/> is one the simulator rotated to, in this run or before.</summary>
    private bool Issued(string refreshToken) =>
        refreshToken.Split('.') is [var nonce, var signature] && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(Signature(nonce)));

    private string Signature(string nonce) => Convert.ToHexStringLower(HMACSHA256.HashData(refreshKey, Encoding.ASCII.GetBytes(nonce)));

    private static string Encoded(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}

/// <summary>The application the simulator's token endpoint knows (section <c>Simulator:SecureApplicationModel</c>); none by default.</summary>
public sealed class SimulatorSecureApplicationModel
{
    public string ApplicationId { get; set; } = "";

    public string ApplicationSecret { get; set; } = "";

    /// <summary>The refresh token the partner user's consent gave the application (rotated on first use).</summary>
    public string RefreshToken { get; set; } = "";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Issue tokens without the MFA claim, to see Partner Center's "MFA required".</summary>
    public bool WithoutMfa { get; set; }
}
