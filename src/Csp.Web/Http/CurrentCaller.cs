using Csp.Commerce.Access;
using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Domain;
using Csp.Web.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.Web.Http;

/// <summary>The role a route needs; a route without one (a read, a preview) is open to every role.</summary>
public sealed record RequiredRole(AccessRole Role);

/// <summary>Marks a route a customer user may reach, for its own customer (the route's <c>id</c>) only.</summary>
public sealed record CustomerRoute;

/// <summary>
/// Decides who makes a request and whose view it gets, and scopes the database to it before any handler queries.
/// </summary>
/// <remarks>
/// A request to the API names its caller in one of three ways: an API key (<c>Authorization: Bearer csp_…</c> or
/// <c>X-Api-Key</c>), a Microsoft Entra access token (<c>Authorization: Bearer eyJ…</c>), or the sign-in cookie of a
/// browser. Credentials that do not hold (an unknown or revoked key, a token that fails validation, a tenant that is not
/// this platform's) are 401 before anything else runs; a request with none reaches no API route (401
/// <c>auth.required</c>). A caller is then held to its role (403) and, for a customer user, to its own customer: any
/// other route or id is 404, as if it did not exist.
/// </remarks>
public static class CurrentCaller
{
    public const string ApiKeyHeader = "X-Api-Key";

    private const string CallerItem = "Csp.Caller";

    /// <summary>
    /// Holds every request to the API (but its reference page) to its caller before anything of it is read: authenticates
    /// the credentials it carries, refuses it without any, holds the caller to the route's role and a customer user to its
    /// customer, and scopes the database to the caller's partner. It runs after routing, so it knows the route's metadata,
    /// and before the rate limiter, which counts by caller.
    /// </summary>
    public static IApplicationBuilder UseCallers(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var refusal = http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !http.Request.Path.StartsWithSegments("/api/docs", StringComparison.Ordinal)
                ? await AdmitAsync(http)
                : Portal.Portal.IsPage(http) ? await AdmitToPageAsync(http) : null;
            if (refusal is not null)
            {
                await refusal.ExecuteAsync(http);
                return;
            }

            // Set here, not where the viewer is read: a culture set inside an awaited method is undone when it returns.
            if (Portal.PortalViewer.Find(http) is { } viewer)
            {
                System.Globalization.CultureInfo.CurrentCulture = viewer.Culture;
                System.Globalization.CultureInfo.CurrentUICulture = viewer.Culture;
            }

            await next(http);
        });

    /// <summary>A second lock on the API's routes: none runs without the caller <see cref="UseCallers"/> admitted.</summary>
    public static RouteGroupBuilder RequireCaller(this RouteGroupBuilder api) =>
        api.AddEndpointFilter((context, next) => Of(context.HttpContext) is null
            ? ValueTask.FromResult<object?>(Refuse(context.HttpContext, Required))
            : next(context));

    /// <summary>States the role a route needs (admin always has it).</summary>
    public static RouteHandlerBuilder RequireRole(this RouteHandlerBuilder endpoint, AccessRole role) => endpoint.WithMetadata(new RequiredRole(role));

    /// <summary>Opens a route whose <c>id</c> is a customer's to that customer's own users.</summary>
    public static RouteHandlerBuilder AllowCustomerUsers(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new CustomerRoute());

    /// <summary>The request's authenticated caller; null before <see cref="UseCallers"/> or without credentials.</summary>
    public static Caller? Of(HttpContext http) => http.Items[CallerItem] as Caller;

    /// <summary>Who makes the request, for the audit: the key by its prefix, the user by name and id.</summary>
    public static string Actor(HttpContext http) =>
        Of(http)?.Actor ?? throw new InvalidOperationException("No caller: only the API's routes, behind UseCallers, have one.");

    private static readonly Error Required = new("auth.required", "Sign in, or send an API key (Authorization: Bearer csp_…) or a Microsoft Entra access token.", ErrorKind.Unauthenticated);

    /// <summary>Null when the request may go on with its caller known and the database scoped to it; else the refusal.</summary>
    private static async Task<IResult?> AdmitAsync(HttpContext http)
    {
        var authenticated = await AuthenticateAsync(http);
        if (authenticated is not { } result)
        {
            return Refuse(http, Required);
        }

        if (!result.IsSuccess)
        {
            return Refuse(http, result.Error);
        }

        var caller = result.Value;
        var endpoint = http.GetEndpoint();
        if (caller.CustomerId is { } customerId
            && (endpoint?.Metadata.GetMetadata<CustomerRoute>() is null || !Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id) || id != customerId))
        {
            // A customer user learns nothing of what lies outside its customer, not even that it exists.
            return TypedResults.NotFound();
        }

        if (endpoint?.Metadata.GetMetadata<RequiredRole>() is { } required && !caller.Holds(required.Role))
        {
            return new Error("auth.role_required", $"This needs the {Name(required.Role)} role (or admin); {caller.Actor} has {Name(caller.Role)}.", ErrorKind.Forbidden).ToProblem();
        }

        if (!await EnterAsync(http.RequestServices, caller.PartnerId, caller.CustomerId, http.RequestAborted))
        {
            return Refuse(http, new Error("auth.required", "The organisation this caller belonged to no longer exists.", ErrorKind.Unauthenticated));
        }

        http.Items[CallerItem] = caller;
        return null;
    }

    /// <summary>
    /// The same admission for a portal page, answered as a browser expects: without a valid sign-in, the sign-in page (which
    /// comes back here); a customer's user on a partner's page, the page that is not there (404).
    /// </summary>
    private static async Task<IResult?> AdmitToPageAsync(HttpContext http)
    {
        var signIn = TypedResults.Redirect($"{SignInPage.Path}?returnUrl={Uri.EscapeDataString($"{http.Request.Path}{http.Request.QueryString}")}");
        if (await AuthenticateAsync(http) is not { IsSuccess: true } authenticated)
        {
            return signIn;
        }

        // A customer's user reaches the customer portal's pages only, and at a reseller's portal host only if it is that
        // reseller's customer's; the partner's staff reach the partner's pages only.
        var caller = authenticated.Value;
        var db = http.RequestServices.GetRequiredService<CommerceDb>();
        var brand = await PortalBrand.OfHostAsync(db, http.Request.Host.Host, http.RequestAborted);
        var customerPage = http.GetEndpoint()?.Metadata.GetMetadata<Portal.CustomerPageAttribute>() is not null;
        if (customerPage != (caller.CustomerId is not null) || (customerPage && brand is not null && brand.PartnerId != caller.PartnerId))
        {
            return new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<Portal.NotFoundDocument> { StatusCode = StatusCodes.Status404NotFound };
        }

        if (!await EnterAsync(http.RequestServices, caller.PartnerId, caller.CustomerId, http.RequestAborted))
        {
            return signIn;
        }

        http.Items[CallerItem] = caller;
        await Portal.PortalViewer.EnterAsync(http, caller, db, brand);
        return null;
    }

    private static async Task<Result<Caller>?> AuthenticateAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var time = services.GetRequiredService<TimeProvider>();
        var db = services.GetRequiredService<CommerceDb>();
        if (PresentedKey(http.Request) is { } key)
        {
            return await AuthenticateApiKey.RunAsync(db, key, time, http.RequestAborted) is { } holder
                ? holder
                : new Error("auth.invalid_key", "The API key is not one of this platform's, or it was revoked.", ErrorKind.Unauthenticated);
        }

        var bearer = http.Request.Headers.Authorization.Count > 0;
        if (!bearer && !http.Request.Cookies.ContainsKey(SignInCookie.Name))
        {
            return null;
        }

        var scheme = bearer ? EntraTokens.Scheme : SignInCookie.Scheme;
        var result = bearer && !services.GetRequiredService<IOptions<EntraOptions>>().Value.Enabled
            ? AuthenticateResult.Fail("This host accepts no Microsoft Entra tokens.")
            : await http.AuthenticateAsync(scheme);
        if (!result.Succeeded)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Csp.Web.SignIn").LogInformation("Refused {Credential}: {Reason}", bearer ? "a bearer token" : "a sign-in cookie", result.Failure?.Message ?? "none");
            return bearer
                ? new Error("auth.invalid_token", "The access token is not valid here: check its audience, issuer, lifetime and signature, and that it is an access token for this API.", ErrorKind.Unauthenticated)
                : new Error("auth.required", "The sign-in has expired or is not valid: sign in again.", ErrorKind.Unauthenticated);
        }

        var principal = result.Principal;
        http.User = principal;
        return Guid.TryParse(principal.FindFirst("tid")?.Value, out var tenantId) && Guid.TryParse(principal.FindFirst("oid")?.Value, out var objectId)
            ? await AuthenticateUser.RunAsync(db, tenantId, objectId, time, http.RequestAborted)
            : new Error("auth.invalid_token", "The token names no tenant (tid) or object (oid).", ErrorKind.Unauthenticated);
    }

    /// <summary>The request's API key: <c>X-Api-Key</c>, or a bearer credential in the platform's key format; null for none.</summary>
    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        var authorization = request.Headers.Authorization.ToString();
        var credential = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : authorization;
        return credential.StartsWith(ApiKeyFormat.Start, StringComparison.Ordinal) ? credential : null;
    }

    private static ProblemHttpResult Refuse(HttpContext http, Error error)
    {
        if (error.Kind == ErrorKind.Unauthenticated)
        {
            http.Response.Headers.WWWAuthenticate = error.Code == "auth.invalid_token" ? "Bearer error=\"invalid_token\"" : "Bearer";
        }

        return error.ToProblem();
    }

    private static string Name(AccessRole role) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(role.ToString());

    /// <summary>
    /// Scopes the database to the caller's partner and those below it — and a customer user's to its customer as well, a
    /// second lock behind the routes it may call; false when the partner is gone.
    /// </summary>
    private static async Task<bool> EnterAsync(IServiceProvider services, Guid partnerId, Guid? customerId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<CommerceDb>();

        // Finding out whose data the caller sees comes before any scope exists, so it reads the partner tree unfiltered.
        var hierarchy = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Select(p => new { p.Id, p.ParentPartnerId })
            .ToListAsync(cancellationToken);
        if (!hierarchy.Any(p => p.Id == partnerId))
        {
            return false;
        }

        services.GetRequiredService<PartnerScope>().Enter(partnerId, hierarchy.Select(p => (p.Id, p.ParentPartnerId)), customerId);
        return true;
    }
}
