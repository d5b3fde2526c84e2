using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
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

/// <summary>
/// The token of each call from the options as they are now — which a host may change while it runs (a connection set on
/// its settings page): the Secure Application Model's when its refresh token is set, otherwise the one fixed
/// <see cref="PartnerCenterOptions.Token"/> (the simulator's development token).
/// </summary>
public sealed class ConfiguredTokens(IOptionsMonitor<PartnerCenterOptions> options, SecureApplicationModelTokens secureApplicationModel) : PartnerCenterTokens
{
    public override ValueTask<string> GetAsync(TokenAudience audience, CancellationToken cancellationToken) =>
        options.CurrentValue is { SecureApplicationModel.RefreshToken.Length: > 0 }
            ? secureApplicationModel.GetAsync(audience, cancellationToken)
            : ValueTask.FromResult(options.CurrentValue.Token);
}

/// <summary>
/// Microsoft's Secure Application Model (docs/microsoft/api-platform.md): the partner's application redeems the refresh token
/// a partner user gave it by an interactive sign-in with MFA for an app + user access token, per API, and keeps each
/// until five minutes before it expires. Microsoft rotates the refresh token on every redemption; the newest is used
/// next, and kept (<see cref="RefreshTokenStore"/>) so that a restart uses it too. A token without the MFA claim is
/// refused here, before Partner Center refuses it ("MFA required"). When the application changes (another connection
/// set while the host runs), the tokens of the one before are dropped and the store's newest refresh token is read again.
/// </summary>
public sealed class SecureApplicationModelTokens(
    IHttpClientFactory clients, TimeProvider time, IOptionsMonitor<PartnerCenterOptions> options, RefreshTokenStore store, ILogger<SecureApplicationModelTokens> logger)
    : PartnerCenterTokens, IDisposable
{
    /// <summary>The named HTTP client the token endpoint is called with.</summary>
    public const string HttpClientName = "partner-center-tokens";

    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<TokenAudience, (string Token, DateTimeOffset ExpiresAt)> tokens = [];
    private SecureApplicationModelOptions? application;
    private string? refreshToken;

    /// <summary>The keeping of the rotated refresh tokens, one after the other (an older one never overwrites a newer one).</summary>
    private Task keeping = Task.CompletedTask;

    public override async ValueTask<string> GetAsync(TokenAudience audience, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var sam = options.CurrentValue.SecureApplicationModel ?? throw new InvalidOperationException("PartnerCenter:SecureApplicationModel is not configured.");
            if (!ReferenceEquals(sam, application))
            {
                (application, refreshToken) = (sam, null);
                tokens.Clear();
            }

            if (tokens.TryGetValue(audience, out var held) && time.GetUtcNow() < held.ExpiresAt - Margin)
            {
                return held.Token;
            }

            refreshToken ??= await store.LoadAsync(cancellationToken);
            using var http = clients.CreateClient(HttpClientName);
            var redeemed = await RedeemAsync(http, sam, refreshToken ?? sam.RefreshToken, audience, cancellationToken);
            if (redeemed.RefreshToken is { Length: > 0 } rotated && rotated != refreshToken)
            {
                refreshToken = rotated;

                // Kept behind the call, which uses it already: the store may be a database a long transaction holds (a sync
                // on SQLite holds it while it calls Partner Center), and the call must not wait for the transaction that
                // waits for it.
                keeping = KeepAsync(rotated, sam, keeping);
            }

            tokens[audience] = (redeemed.AccessToken, time.GetUtcNow().AddSeconds(redeemed.ExpiresIn));
            return redeemed.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Keeps <paramref name="rotated"/> once the tokens kept before it are: tried again for a few minutes if the store
    /// cannot take it, and dropped if another application is used meanwhile (its own refresh token is the one to keep).
    /// Until kept, the host uses it from memory; lost with the process, the one kept before is used after a restart —
    /// Entra ID's refresh tokens outlive their redemption.
    /// </summary>
    private async Task KeepAsync(string rotated, SecureApplicationModelOptions redeemedFor, Task before)
    {
        // Off the call's thread: a store's "asynchronous" write may wait synchronously (SQLite's busy wait).
        await Task.Yield();
        await before;
        for (var attempt = 1; ; attempt++)
        {
            if (!ReferenceEquals(options.CurrentValue.SecureApplicationModel, redeemedFor))
            {
                return;
            }

            try
            {
                await store.SaveAsync(rotated, CancellationToken.None);
                return;
            }
            catch (Exception e) when (attempt < 6)
            {
                logger.LogWarning(e, "The rotated Partner Center refresh token could not be kept (attempt {Attempt}); trying again", attempt);
                await Task.Delay(TimeSpan.FromSeconds(10 * attempt), time);
            }
            catch (Exception e)
            {
                logger.LogError(e, "The rotated Partner Center refresh token could not be kept; the one kept before is used after a restart");
                return;
            }
        }
    }

    /// <summary>
    /// Redeems <paramref name="refreshToken"/> at the application's token endpoint for an access token to the
    /// <paramref name="audience"/>'s API, and the rotated refresh token Microsoft answers with it (null when none).
    /// </summary>
    /// <exception cref="PartnerCenterException">The endpoint refused the application or the refresh token, or answered a token without the MFA claim.</exception>
    public static async Task<(string AccessToken, string? RefreshToken, int ExpiresIn)> RedeemAsync(
        HttpClient http, SecureApplicationModelOptions sam, string refreshToken, TokenAudience audience, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["client_id"] = sam.ApplicationId,
            ["client_secret"] = sam.ApplicationSecret,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["scope"] = $"{(audience == TokenAudience.Graph ? sam.GraphScope : sam.PartnerCenterScope)} offline_access",
        };
        using var response = await http.PostAsync(new Uri(sam.Authority, $"{Uri.EscapeDataString(sam.TenantId)}/oauth2/v2.0/token"), new FormUrlEncodedContent(form), cancellationToken);
        TokenResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync(TokenJson.Default.TokenResponse, cancellationToken);
        }
        catch (JsonException)
        {
            // Not a token endpoint's answer (an address that is not Entra ID's, say): a refusal, said as such below.
            body = null;
        }

        if (response.StatusCode != HttpStatusCode.OK || body?.AccessToken is not { Length: > 0 } token)
        {
            throw new PartnerCenterException(response.StatusCode, new ApiError(body?.Error ?? "token", $"The token endpoint refused the refresh token: {body?.ErrorDescription ?? response.ReasonPhrase}"));
        }

        if (!HasMfaClaim(token))
        {
            throw new PartnerCenterException(HttpStatusCode.Unauthorized, new ApiError("mfa_required", "The access token has no MFA claim (amr): Partner Center requires app + user tokens from a sign-in with multifactor authentication."));
        }

        return (token, body.RefreshToken, body.ExpiresIn);
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
