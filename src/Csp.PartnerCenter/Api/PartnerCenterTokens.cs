using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Api;

/// <summary>Which API a token is for: Partner Center itself, or Microsoft Graph (the asynchronous billing API).</summary>
public enum TokenAudience
{
    PartnerCenter,
    Graph,
}

/// <summary>Where the bearer token of each call comes from.</summary>
public abstract class PartnerCenterTokens
{
    public abstract ValueTask<string> GetAsync(TokenAudience audience, CancellationToken cancellationToken);
}

/// <summary>
/// Where the Secure Application Model keeps the newest refresh token Microsoft gave it: Microsoft rotates the refresh token
/// on every redemption, and the newest one must survive a restart. The host keeps it encrypted in its database; without a
/// host it is kept in memory (<see cref="RefreshTokensInMemory"/>).
/// </summary>
public abstract class RefreshTokenStore
{
    /// <summary>The newest refresh token kept, or null when none has been kept yet (the configured one is then used).</summary>
    public abstract ValueTask<string?> LoadAsync(CancellationToken cancellationToken);

    public abstract ValueTask SaveAsync(string refreshToken, CancellationToken cancellationToken);
}

/// <summary>The newest refresh token in memory only: lost with the process.</summary>
public sealed class RefreshTokensInMemory : RefreshTokenStore
{
    private volatile string? kept;

    public override ValueTask<string?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(kept);

    public override ValueTask SaveAsync(string refreshToken, CancellationToken cancellationToken)
    {
        kept = refreshToken;
        return ValueTask.CompletedTask;
    }
}

/// <summary>One fixed token for every call: the simulator's development token (<see cref="PartnerCenterOptions.Token"/>).</summary>
public sealed class DevelopmentToken(IOptions<PartnerCenterOptions> options) : PartnerCenterTokens
{
    public override ValueTask<string> GetAsync(TokenAudience audience, CancellationToken cancellationToken) => ValueTask.FromResult(options.Value.Token);
}

/// <summary>
/// Microsoft's Secure Application Model (docs/microsoft/api-platform.md): the partner's application redeems the refresh token
/// a partner user gave it by an interactive sign-in with MFA for an app + user access token, per API, and keeps each
/// until five minutes before it expires. Microsoft rotates the refresh token on every redemption; the newest is used
/// next, and kept (<see cref="RefreshTokenStore"/>) so that a restart uses it too. A token without the MFA claim is
/// refused here, before Partner Center refuses it ("MFA required").
/// </summary>
public sealed class SecureApplicationModelTokens(IHttpClientFactory clients, TimeProvider time, IOptions<PartnerCenterOptions> options, RefreshTokenStore store) : PartnerCenterTokens, IDisposable
{
    /// <summary>The named HTTP client the token endpoint is called with.</summary>
    public const string HttpClientName = "partner-center-tokens";

    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<TokenAudience, (string Token, DateTimeOffset ExpiresAt)> tokens = [];
    private string? refreshToken;

    public override async ValueTask<string> GetAsync(TokenAudience audience, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (tokens.TryGetValue(audience, out var held) && time.GetUtcNow() < held.ExpiresAt - Margin)
            {
                return held.Token;
            }

            var sam = options.Value.SecureApplicationModel ?? throw new InvalidOperationException("PartnerCenter:SecureApplicationModel is not configured.");
            refreshToken ??= await store.LoadAsync(cancellationToken);
            var form = new Dictionary<string, string>
            {
                ["client_id"] = sam.ApplicationId,
                ["client_secret"] = sam.ApplicationSecret,
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken ?? sam.RefreshToken,
                ["scope"] = $"{(audience == TokenAudience.Graph ? sam.GraphScope : sam.PartnerCenterScope)} offline_access",
            };
            using var http = clients.CreateClient(HttpClientName);
            using var response = await http.PostAsync(new Uri(sam.Authority, $"{sam.TenantId}/oauth2/v2.0/token"), new FormUrlEncodedContent(form), cancellationToken);
            var body = await response.Content.ReadFromJsonAsync(TokenJson.Default.TokenResponse, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK || body?.AccessToken is not { Length: > 0 } token)
            {
                throw new PartnerCenterException(response.StatusCode, new ApiError(body?.Error ?? "token", $"The token endpoint refused the refresh token: {body?.ErrorDescription ?? response.ReasonPhrase}"));
            }

            if (!HasMfaClaim(token))
            {
                throw new PartnerCenterException(HttpStatusCode.Unauthorized, new ApiError("mfa_required", "The access token has no MFA claim (amr): Partner Center requires app + user tokens from a sign-in with multifactor authentication."));
            }

            if (body.RefreshToken is { Length: > 0 } rotated && rotated != refreshToken)
            {
                refreshToken = rotated;
                await store.SaveAsync(rotated, cancellationToken);
            }

            tokens[audience] = (token, time.GetUtcNow().AddSeconds(body.ExpiresIn));
            return token;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>Whether the token's <c>amr</c> claim names <c>mfa</c> (read from the JWT's payload; the signature is Microsoft's to check).</summary>
    public static bool HasMfaClaim(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2)
        {
            return false;
        }

        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return claims.RootElement.TryGetProperty("amr", out var amr) && amr.ValueKind == JsonValueKind.Array
                && amr.EnumerateArray().Any(m => m.GetString() == "mfa");
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}

/// <summary>The Secure Application Model's settings (section <c>PartnerCenter:SecureApplicationModel</c>).</summary>
public sealed class SecureApplicationModelOptions
{
    /// <summary>Microsoft Entra ID's <c>https://login.microsoftonline.com/</c>, or the simulator's token endpoint.</summary>
    public Uri Authority { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>The partner's tenant id.</summary>
    public string TenantId { get; set; } = "";

    public string ApplicationId { get; set; } = "";

    /// <summary>The application's secret: from a secret store, never from a file in the repository.</summary>
    public string ApplicationSecret { get; set; } = "";

    /// <summary>The refresh token from the partner user's consent with MFA: from a secret store.</summary>
    public string RefreshToken { get; set; } = "";

    public string PartnerCenterScope { get; set; } = "https://api.partnercenter.microsoft.com/user_impersonation";

    public string GraphScope { get; set; } = "https://graph.microsoft.com/PartnerBilling.Read.All";
}

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class TokenJson : JsonSerializerContext;
