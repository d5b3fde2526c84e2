using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Csp.Data;
using Csp.Web.SignIn;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Demo;

/// <summary>
/// The demo's sign-in: a page listing the demo's people (<see cref="DemoUsers"/>), each signed in with one click and no
/// password, so that the README's run command shows the platform as each of them sees it. It exists only in demo mode
/// and never in the Production environment. The forms carry antiforgery tokens: no other site can sign a browser in or out.
/// </summary>
public static class DemoSignIn
{
    public const string Path = "/signin";

    public static bool IsOffered(DemoOptions demo, IWebHostEnvironment environment) => demo.Seed && !environment.IsProduction();

    public static void Map(WebApplication app)
    {
        app.MapGet(Path, PageAsync).ExcludeFromDescription();
        app.MapPost($"{Path}/demo", SignInAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/signout", SignOutAsync).ExcludeFromDescription().DisableAntiforgery();
    }

    private static async Task<IResult> PageAsync(HttpContext http, CommerceDb db, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var signedIn = (await http.AuthenticateAsync(SignInCookie.Scheme)).Principal?.FindFirst("name")?.Value;
        var users = await DemoPeopleAsync(db, cancellationToken);
        var token = antiforgery.GetAndStoreTokens(http);
        var html = new StringBuilder();
        string E(string text) => HtmlEncoder.Default.Encode(text);
        string Form(string action, string button, string? user = null) =>
            $"<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"{E(token.FormFieldName)}\" value=\"{E(token.RequestToken!)}\">"
            + (user is null ? "" : $"<input type=\"hidden\" name=\"user\" value=\"{user}\">")
            + $"<button type=\"submit\">{E(button)}</button></form>";

        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in — CSP Commerce (demo)</title></head><body>");
        html.Append("<h1>CSP Commerce — demo sign-in</h1>");
        if (signedIn is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Signed in as <strong>{E(signedIn)}</strong>. Your view: <a href=\"/api/customers\">customers</a>, <a href=\"/api/subscriptions\">subscriptions</a>, <a href=\"/api/renewals\">renewals</a>, <a href=\"/api/docs\">API reference</a>.</p>");
            html.Append(Form("/signout", "Sign out"));
        }

        html.Append("<p>This page exists only in demo mode. Each person below is a Microsoft Entra account of the demo's organisations; a real deployment signs people in with Microsoft Entra ID.</p><ul>");
        foreach (var user in users)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{E(user.DisplayName)} — {E(Role(user))}{Form($"{Path}/demo", "Sign in as " + user.DisplayName.Split(',')[0], user.Id.ToString())}</li>");
        }

        html.Append("</ul></body></html>");
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
        return TypedResults.Redirect(Path);
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

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refused(string title) =>
        TypedResults.Problem(type: Http.ErrorResults.TypeOf("signin.refused"), title: title, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["code"] = "signin.refused" });

    // The page and the sign-in look through every organisation's users: nobody is signed in yet.
    private static Task<List<User>> DemoPeopleAsync(CommerceDb db, CancellationToken cancellationToken) =>
        db.Users.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(u => u.CreatedBy == DemoUsers.CreatedBy).OrderBy(u => u.Id).ToListAsync(cancellationToken);

    private static string Role(User user) => user.CustomerId is null ? $"{user.Role} of a partner" : "a customer's user: sees that customer only";
}
