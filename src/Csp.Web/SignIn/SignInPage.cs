using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Web.Demo;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.SignIn;

/// <summary>
/// The sign-in page, where there is a way for a browser to sign in: "Sign in with Microsoft" (<see cref="EntraSignIn"/>)
/// when the host has the Entra application's secret, and in demo mode the demo's people (<see cref="DemoUsers"/>), each
/// signed in with one click and no password, so that the README's run command shows the platform as each of them sees
/// it. The demo's sign-in never exists in the Production environment. The forms carry antiforgery tokens: no other site
/// can sign a browser in or out.
/// </summary>
public static class SignInPage
{
    public const string Path = "/signin";

    public static bool DemoOffered(DemoOptions demo, IWebHostEnvironment environment) => demo.Seed && !environment.IsProduction();

    /// <summary>Maps the page and sign-out when a browser has a way to sign in; the demo's sign-in only when <paramref name="demo"/>.</summary>
    public static void Map(WebApplication app, bool demo, bool entra)
    {
        if (!demo && !entra)
        {
            return;
        }

        app.MapGet(Path, (HttpContext http, CommerceDb db, IAntiforgery antiforgery, CancellationToken cancellationToken) => PageAsync(http, db, antiforgery, demo, entra, cancellationToken)).ExcludeFromDescription();
        app.MapPost("/signout", SignOutAsync).ExcludeFromDescription().DisableAntiforgery();
        if (demo)
        {
            app.MapPost($"{Path}/demo", SignInAsync).ExcludeFromDescription().DisableAntiforgery();
        }

        if (entra)
        {
            app.MapGet($"{Path}/entra", EntraSignIn.Challenge).ExcludeFromDescription();
        }
    }

    private static async Task<IResult> PageAsync(HttpContext http, CommerceDb db, IAntiforgery antiforgery, bool demo, bool entra, CancellationToken cancellationToken)
    {
        var principal = (await http.AuthenticateAsync(SignInCookie.Scheme)).Principal;
        var signedIn = principal?.FindFirst("name")?.Value;

        // A customer's user is shown its customer's routes: the partner's lists answer it 404.
        var customerId = Guid.TryParse(principal?.FindFirst("tid")?.Value, out var tenantId) && Guid.TryParse(principal?.FindFirst("oid")?.Value, out var objectId)
            ? await db.Users.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(u => u.TenantId == tenantId && u.ObjectId == objectId && u.RemovedAt == null).Select(u => u.CustomerId).FirstOrDefaultAsync(cancellationToken)
            : null;
        // At a reseller's portal host the page is the reseller's: its name, and of the demo's people only its own.
        var brand = await PortalBrand.OfHostAsync(db, http.Request.Host.Host, cancellationToken);
        var users = demo ? (await DemoPeopleAsync(db, cancellationToken)).Where(u => brand is null || u.PartnerId == brand.PartnerId).ToList() : [];
        var token = antiforgery.GetAndStoreTokens(http);
        var html = new StringBuilder();
        string E(string text) => HtmlEncoder.Default.Encode(text);
        string Form(string action, string button, string? user = null) =>
            $"<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"{E(token.FormFieldName)}\" value=\"{E(token.RequestToken!)}\">"
            + (user is null ? "" : $"<input type=\"hidden\" name=\"user\" value=\"{user}\">")
            + (LocalPath(http.Request.Query["returnUrl"]) is { } back ? $"<input type=\"hidden\" name=\"returnUrl\" value=\"{E(back)}\">" : "")
            + $"<button type=\"submit\">{E(button)}</button></form>";

        var title = brand?.DisplayName ?? "CSP Commerce";
        html.Append(CultureInfo.InvariantCulture, $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in — {E(title)}</title></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(title)} — sign in</h1>");
        if (http.Request.Query.ContainsKey("failed"))
        {
            html.Append("<p>The sign-in with Microsoft did not complete. Try again; if it fails again, ask an admin of your organisation whether your account has been added.</p>");
        }
        if (signedIn is not null)
        {
            var view = customerId is { } own
                ? $"<a href=\"/my\">your organisation's portal</a>, <a href=\"/api/customers/{own}\">your organisation</a> and <a href=\"/api/customers/{own}/subscriptions\">its subscriptions</a> in the API"
                : "<a href=\"/\">the portal</a>, <a href=\"/customers\">customers</a>, <a href=\"/renewals\">renewals</a>";
            html.Append(CultureInfo.InvariantCulture, $"<p>Signed in as <strong>{E(signedIn)}</strong>. Your view: {view}, <a href=\"/api/docs\">API reference</a>.</p>");
            html.Append(Form("/signout", "Sign out"));
        }

        if (entra)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Path}/entra\">Sign in with Microsoft</a></p>");
        }

        if (demo)
        {
            html.Append("<h2>The demo's people</h2><p>This list exists only in demo mode. Each person below stands for a Microsoft Entra account of the demo's organisations, signed in without a password.</p><ul>");
            foreach (var user in users)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(user.DisplayName)} — {E(Role(user))}{Form($"{Path}/demo", "Sign in as " + user.DisplayName.Split(',')[0], user.Id.ToString())}</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static async Task<IResult> SignInAsync(HttpContext http, CommerceDb db, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Refused("The form has expired or did not come from this site: open the sign-in page again.");
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        var user = Guid.TryParse(form["user"], out var id) ? (await DemoPeopleAsync(db, cancellationToken)).FirstOrDefault(u => u.Id == id) : null;
        if (user is null)
        {
            return Refused("Choose one of the demo's people.");
        }

        await http.SignInAsync(SignInCookie.Scheme, SignInCookie.Principal(user.TenantId, user.ObjectId, user.DisplayName));
        return TypedResults.Redirect(LocalPath(form["returnUrl"]) ?? (user.CustomerId is null ? "/" : "/my"));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Refused("The form has expired or did not come from this site: open the sign-in page again.");
        }

        await http.SignOutAsync(SignInCookie.Scheme);
        return TypedResults.Redirect(Path);
    }

    /// <summary>Where to go after signing in: a path of this site only (never <c>//host</c> or <c>/\host</c>, which browsers read as another site).</summary>
    private static string? LocalPath(string? url) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : null;

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refused(string title) =>
        TypedResults.Problem(type: Http.ErrorResults.TypeOf("signin.refused"), title: title, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["code"] = "signin.refused" });

    // The page and the sign-in look through every organisation's users: nobody is signed in yet.
    private static Task<List<User>> DemoPeopleAsync(CommerceDb db, CancellationToken cancellationToken) =>
        db.Users.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(u => u.CreatedBy == DemoUsers.CreatedBy).OrderBy(u => u.Id).ToListAsync(cancellationToken);

    private static string Role(User user) => user.CustomerId is null ? $"{user.Role} of a partner" : "a customer's user: sees that customer only";
}
