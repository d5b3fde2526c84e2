using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Csp.Web.Tests;

/// <summary>
/// An OpenID Connect issuer on loopback standing in for Microsoft Entra ID, so that the host's real token validation runs
/// against a real discovery document and real signing keys over HTTP: the multi-tenant discovery document of work and
/// school accounts (<c>organizations/v2.0/.well-known/openid-configuration</c>, whose issuer is the template
/// <c>…/{tenantid}/v2.0</c>), its JSON Web Key Set, and tokens shaped like Entra's v2.0 access and ID tokens.
/// </summary>
public sealed class LocalIssuer : IAsyncDisposable
{
    /// <summary>The platform's application (client) id in these tests: the audience of its access tokens.</summary>
    public const string ClientId = "6d5c4b3a-2f1e-4d0c-9b8a-7a6b5c4d3e2f";

    /// <summary>The application's secret, with which the host redeems a sign-in's code.</summary>
    public const string ClientSecret = "local-issuer-client-secret";

    /// <summary>The codes handed out by the authorization endpoint and not yet redeemed: each once.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (SignInAs Who, string Nonce, string Challenge, string RedirectUri)> codes = new();

    private const string KeyId = "local-issuer-key-1";

    /// <summary>What Entra's discovery document says that does not depend on where the issuer listens.</summary>
    private static readonly Dictionary<string, object> Discovery = new()
    {
        ["response_types_supported"] = new[] { "code", "id_token", "code id_token" },
        ["subject_types_supported"] = new[] { "pairwise" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
    };

    private readonly WebApplication app;

    private readonly RSA rsa = RSA.Create(2048);

    private LocalIssuer(WebApplication app) => this.app = app;

    /// <summary>Where the issuer listens, ending in '/': the host's <c>Entra:Instance</c>.</summary>
    public Uri Instance { get; private set; } = null!;

    /// <summary>The settings that point a host at this issuer.</summary>
    public Dictionary<string, string> HostSettings => new() { ["Entra:Instance"] = Instance.ToString(), ["Entra:ClientId"] = ClientId, ["Entra:ClientSecret"] = ClientSecret };

    /// <summary>Who signs in at the authorization endpoint next: the account a person would choose at Microsoft's page.</summary>
    public SignInAs? NextSignIn { get; set; }

    /// <summary>The issuer's clock, for the ID tokens of sign-ins: the host's (fake) clock in the tests.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>An account that signs in.</summary>
    public sealed record SignInAs(Guid TenantId, Guid ObjectId, string Name);

    public static async Task<LocalIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var issuer = new LocalIssuer(builder.Build());
        issuer.app.MapGet("/organizations/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>(Discovery)
        {
            ["issuer"] = $"{issuer.Instance}{{tenantid}}/v2.0",
            ["authorization_endpoint"] = $"{issuer.Instance}organizations/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{issuer.Instance}organizations/oauth2/v2.0/token",
            ["jwks_uri"] = $"{issuer.Instance}organizations/discovery/v2.0/keys",
        }));
        issuer.app.MapGet("/organizations/discovery/v2.0/keys", () =>
        {
            var key = issuer.rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = KeyId, n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) } } });
        });
        issuer.app.MapGet("/organizations/oauth2/v2.0/authorize", (Func<HttpContext, IResult>)issuer.Authorize);
        issuer.app.MapPost("/organizations/oauth2/v2.0/token", (Func<HttpContext, Task<IResult>>)issuer.RedeemAsync);
        await issuer.app.StartAsync();
        issuer.Instance = new Uri(issuer.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return issuer;
    }

    /// <summary>
    /// Entra's authorization endpoint, for the code flow with PKCE: the account of <see cref="NextSignIn"/> signs in, and the
    /// answer is the page that posts the code and the state back to the application (<c>response_mode=form_post</c>).
    /// </summary>
    private IResult Authorize(HttpContext http)
    {
        var query = http.Request.Query;
        if (NextSignIn is not { } who || query["client_id"] != ClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256")
        {
            return Results.BadRequest("invalid_request");
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        codes[code] = (who, query["nonce"].ToString(), query["code_challenge"].ToString(), query["redirect_uri"].ToString());
        var e = System.Text.Encodings.Web.HtmlEncoder.Default;
        return Results.Content(
            $"<html><body><form method=\"post\" action=\"{e.Encode(query["redirect_uri"].ToString())}\"><input type=\"hidden\" name=\"code\" value=\"{e.Encode(code)}\"><input type=\"hidden\" name=\"state\" value=\"{e.Encode(query["state"].ToString())}\"></form></body></html>",
            "text/html");
    }

    /// <summary>Entra's token endpoint: a code redeemed once, by the application with its secret and the PKCE verifier, for an ID token.</summary>
    private async Task<IResult> RedeemAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !codes.TryRemove(form["code"].ToString(), out var issued)
            || form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["redirect_uri"] != issued.RedirectUri
            || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != issued.Challenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var idToken = Issue(new Token(issued.Who.TenantId, issued.Who.ObjectId, Clock()) { Audience = ClientId, Scope = null, Nonce = issued.Nonce, Name = issued.Who.Name });
        // Entra answers an access token for Microsoft Graph with the ID token; the application does not use it.
        return Results.Json(new { token_type = "Bearer", id_token = idToken, access_token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)), expires_in = 3600 });
    }

    /// <summary>What a token says and how it is made; each test changes one thing of an ordinary access token.</summary>
    public sealed record Token(Guid TenantId, Guid ObjectId, DateTimeOffset IssuedAt)
    {
        public string Audience { get; init; } = ClientId;

        /// <summary>The issuer's tenant, when it is not the token's own <c>tid</c>.</summary>
        public Guid? IssuerTenantId { get; init; }

        public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

        public string? Scope { get; init; } = "access_as_user";

        public string Name { get; init; } = "Test User";

        /// <summary>The nonce of an ID token: the one the application sent to the authorization endpoint.</summary>
        public string Nonce { get; init; } = "an-id-token-nonce";

        /// <summary>Signed by a key the issuer does not publish (under the published key's id).</summary>
        public bool OtherKey { get; init; }

        /// <summary>Not signed at all: <c>alg: none</c>.</summary>
        public bool AlgNone { get; init; }
    }

    /// <summary>A token as Entra would issue it for <paramref name="token"/>: a v2.0 access token, or an ID token when it has no scope.</summary>
    public string Issue(Token token)
    {
        var claims = new Dictionary<string, object>
        {
            ["tid"] = token.TenantId.ToString(),
            ["oid"] = token.ObjectId.ToString(),
            ["sub"] = Convert.ToHexString(SHA256.HashData(token.ObjectId.ToByteArray()))[..32],
            ["name"] = token.Name,
            ["ver"] = "2.0",
        };
        if (token.Scope is not null)
        {
            // An access token names the client application that asked for it; an ID token is that application's own.
            claims["scp"] = token.Scope;
            claims["azp"] = "0e1d2c3b-4a59-4687-9a8b-c7d6e5f4a3b2";
        }
        else
        {
            claims["nonce"] = token.Nonce;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = $"{Instance}{token.IssuerTenantId ?? token.TenantId}/v2.0",
            Audience = token.Audience,
            IssuedAt = token.IssuedAt.UtcDateTime,
            NotBefore = token.IssuedAt.UtcDateTime,
            Expires = (token.IssuedAt + token.Lifetime).UtcDateTime,
            Claims = claims,
        };
        if (token.AlgNone)
        {
            var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
            var signed = handler.CreateToken(descriptor);
            var payload = signed.Split('.')[1];
            return $"{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""))}.{payload}.";
        }

        using var other = token.OtherKey ? RSA.Create(2048) : null;
        descriptor.SigningCredentials = new SigningCredentials(new RsaSecurityKey(other ?? rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        rsa.Dispose();
    }
}
