using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Csp.Web.SignIn;

/// <summary>
/// A browser's sign-in with Microsoft Entra ID: the framework's OpenID Connect handler, the authorization code flow with
/// PKCE, the code redeemed with the application's secret, Entra's answer posted back to <c>/signin-oidc</c>. The ID token
/// is validated as strictly as an access token (<see cref="EntraTokens"/>: the issuer of the tenant it names, the
/// application as audience, the host's clock) and its nonce; the browser then holds the platform's own sign-in cookie
/// naming the tenant and object id, and nothing of Entra's tokens. A sign-in that fails — refused at Entra, a forged or
/// replayed answer — goes back to the sign-in page, never to an error.
/// </summary>
public static class EntraSignIn
{
    public const string Scheme = "Entra.SignIn";

    public const string CallbackPath = "/signin-oidc";

    /// <summary>Registers the sign-in when the host has the application's id and secret (<see cref="EntraOptions.BrowserSignIn"/>).</summary>
    public static IServiceCollection AddEntraSignIn(this IServiceCollection services, EntraOptions entra)
    {
        if (!entra.BrowserSignIn)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(Scheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<Microsoft.Extensions.Options.IOptions<EntraOptions>, TimeProvider>((oidc, entra, time) =>
        {
            var options = entra.Value;
            oidc.MetadataAddress = options.MetadataAddress;
            oidc.RequireHttpsMetadata = !options.Instance.IsLoopback;
            oidc.ClientId = options.ClientId;
            oidc.ClientSecret = options.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.CallbackPath = CallbackPath;
            oidc.SignInScheme = SignInCookie.Scheme;
            oidc.MapInboundClaims = false;
            oidc.SaveTokens = false;
            oidc.TimeProvider = time;
            oidc.Scope.Clear();
            oidc.Scope.Add("openid");
            oidc.Scope.Add("profile");
            oidc.TokenValidationParameters = EntraTokens.Parameters([options.ClientId!], time);
            oidc.Events = new OpenIdConnectEvents
            {
                // The cookie names who signed in and nothing else; each request finds the user and role anew.
                OnTokenValidated = context =>
                {
                    var principal = context.Principal;
                    if (Guid.TryParse(principal?.FindFirst("tid")?.Value, out var tenantId) && Guid.TryParse(principal.FindFirst("oid")?.Value, out var objectId))
                    {
                        context.Principal = SignInCookie.Principal(tenantId, objectId, principal.FindFirst("name")?.Value ?? objectId.ToString());
                    }
                    else
                    {
                        context.Fail("The ID token names no tenant (tid) or object (oid).");
                    }

                    return Task.CompletedTask;
                },
                OnRemoteFailure = context =>
                {
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Csp.Web.SignIn").LogInformation("An Entra sign-in failed: {Reason}", context.Failure?.Message);
                    context.Response.Redirect($"{SignInPage.Path}?failed=entra");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
        return services;
    }

    /// <summary>Sends the browser to Entra to sign in, and back to the sign-in page after.</summary>
    public static IResult Challenge() => TypedResults.Challenge(new AuthenticationProperties { RedirectUri = SignInPage.Path }, [Scheme]);
}
