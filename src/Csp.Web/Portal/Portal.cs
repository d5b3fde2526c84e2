using System.Globalization;
using Microsoft.AspNetCore.Components.Endpoints;
using MudBlazor.Services;

namespace Csp.Web.Portal;

/// <summary>
/// The web portal: Razor components rendered on the server page by page (static rendering: no circuit, no WebSocket), each
/// page beside its feature and calling the same use cases as the API in the request's scope — the database already scoped to
/// the signed-in caller by <see cref="Http.CurrentCaller.UseCallers"/>.
/// </summary>
public static class Portal
{
    /// <summary>The content security policy of a portal page: its own scripts and styles, and the inline style of the theme.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddMudServices();
        return services;
    }

    /// <summary>
    /// The portal's pages. Its files (the theme's CSS, Blazor's script) are served by <c>UseStaticFiles</c>, not mapped as
    /// endpoints: mapped, they bring a catch-all route for file paths that turns the API's 405 for a wrong method into a 404.
    /// </summary>
    public static void Map(WebApplication app) => app.MapRazorComponents<App>();

    /// <summary>Whether the request is for one of the portal's pages, or a file of the customer portal (an invoice's PDF).</summary>
    public static bool IsPage(HttpContext http) =>
        http.GetEndpoint()?.Metadata is { } metadata && (metadata.GetMetadata<ComponentTypeMetadata>() is not null || metadata.GetMetadata<CustomerPageAttribute>() is not null);

    /// <summary>
    /// The culture the page is written in: the first of the browser's languages (<c>Accept-Language</c>) that names a culture
    /// .NET knows, else English as written in Britain — dates day first, as in most of the countries partners sell in.
    /// </summary>
    public static CultureInfo CultureOf(HttpRequest request)
    {
        foreach (var language in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            if (language.Value.Value is { Length: > 1 and < 20 } tag && tag != "*")
            {
                try
                {
                    var culture = CultureInfo.GetCultureInfo(tag, predefinedOnly: true);
                    return culture.IsNeutralCulture ? CultureInfo.CreateSpecificCulture(culture.Name) : culture;
                }
                catch (CultureNotFoundException)
                {
                    // The next language the browser accepts may be one .NET knows.
                }
            }
        }

        return CultureInfo.GetCultureInfo("en-GB");
    }
}
