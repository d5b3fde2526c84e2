using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Csp.Web.SignIn;

/// <summary>
/// Access tokens from Microsoft Entra ID, validated by the framework's JWT bearer handler against the keys and issuer
/// the identity platform publishes (docs/access.md says why this handler and not Microsoft.Identity.Web). A token is
/// accepted only when it is signed by one of those keys, names this application as its audience, was issued by the
/// tenant it names in <c>tid</c>, is within its lifetime on the host's clock, and is an access token for this API (it
/// carries the API's scope in <c>scp</c>, or application roles): an ID token, though signed and addressed to the same
/// application, is not.
/// </summary>
public static class EntraTokens
{
    public const string Scheme = "Entra";

    /// <summary>How far the host's clock and the identity platform's may disagree.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddEntraTokens(this IServiceCollection services)
    {
        services.AddOptions<EntraOptions>().BindConfiguration(EntraOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<Microsoft.Extensions.Options.IOptions<EntraOptions>, TimeProvider>((jwt, entra, time) =>
        {
            var options = entra.Value;
            jwt.MetadataAddress = options.MetadataAddress;

            // Only the tests' own issuer on loopback is reached over plain HTTP.
            jwt.RequireHttpsMetadata = !options.Instance.IsLoopback;
            jwt.MapInboundClaims = false;
            jwt.TimeProvider = time;
            jwt.TokenValidationParameters = Parameters(options.Enabled ? [options.ClientId!, $"api://{options.ClientId}"] : [], time);
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (!IsAccessTokenForThisApi(context.SecurityToken as JsonWebToken, options.Scope))
                    {
                        context.Fail("The token is not an access token for this API (no scope or application role).");
                    }

                    return Task.CompletedTask;
                },
            };
        });
        return services;
    }

    /// <summary>
    /// Entra's rules for any of its tokens, access or ID (the sign-in's ID tokens are held to the same): addressed to one of
    /// <paramref name="audiences"/>, issued by the tenant it names, within its lifetime on the host's clock, signed RS256.
    /// </summary>
    internal static TokenValidationParameters Parameters(string[] audiences, TimeProvider time) => new()
    {
        ValidAudiences = audiences,
        ValidateAudience = true,
        IssuerValidatorUsingConfiguration = (issuer, token, _, configuration) => ValidateIssuer(issuer, token, configuration?.Issuer),
        LifetimeValidator = (notBefore, expires, _, _) => ValidateLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime),
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        NameClaimType = "name",
    };

    /// <summary>
    /// The issuer must be the discovery document's issuer with <c>{tenantid}</c> replaced by the token's own <c>tid</c>:
    /// one tenant cannot issue tokens in another's name.
    /// </summary>
    private static string ValidateIssuer(string issuer, SecurityToken token, string? template)
    {
        if (token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tid) && Guid.TryParse(tid, out _)
            && template is { Length: > 0 } && string.Equals(issuer, template.Replace("{tenantid}", tid, StringComparison.Ordinal), StringComparison.Ordinal))
        {
            return issuer;
        }

        throw new SecurityTokenInvalidIssuerException("The token's issuer is not the identity platform's for the tenant it names.");
    }

    private static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, DateTime now)
    {
        if (expires is not { } end)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } start && start > now + ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }

        if (end < now - ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = end };
        }

        return true;
    }

    private static bool IsAccessTokenForThisApi(JsonWebToken? token, string scope) =>
        token is not null
        && ((token.TryGetPayloadValue<string>("scp", out var scopes) && scopes.Split(' ').Contains(scope, StringComparer.Ordinal))
            || token.Claims.Any(c => c.Type == "roles"));
}
