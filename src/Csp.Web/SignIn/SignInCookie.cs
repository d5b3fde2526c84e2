using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Csp.Web.SignIn;

/// <summary>
/// The cookie a browser holds once a person has signed in: it names the person's Entra tenant and object id (claims
/// <c>tid</c> and <c>oid</c>), from which each request finds the user and role anew, so that a role taken away or a user
/// removed counts at once. <c>SameSite=Strict</c> keeps it off every request another site starts, which is what makes
/// the API's cookie-authenticated writes safe from cross-site forgery; the sign-in forms carry antiforgery tokens.
/// </summary>
public static class SignInCookie
{
    public const string Scheme = "Csp.SignIn";

    public const string Name = "csp_session";

    /// <summary>How long a sign-in lasts without a request; each request renews it.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    public static IServiceCollection AddSignInCookie(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = Name;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = IdleTimeout;
            cookie.SlidingExpiration = true;
        });
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<TimeProvider>((cookie, time) => cookie.TimeProvider = time);
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SameSite = SameSiteMode.Strict);

        // The keys that protect the cookie and the antiforgery tokens live in the database, shared by every host.
        services.AddDataProtection().SetApplicationName("csp-commerce");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory>((options, scopes) => options.XmlRepository = new DatabaseKeyRing(scopes));
        return services;
    }

    /// <summary>Who the cookie says signed in: a tenant, an object id in it, and a name to greet them by.</summary>
    public static ClaimsPrincipal Principal(Guid tenantId, Guid objectId, string name) =>
        new(new ClaimsIdentity([new("tid", tenantId.ToString()), new("oid", objectId.ToString()), new("name", name)], Scheme, "name", null));
}
