using Csp.Commerce.Access;
using Csp.Data;
using Csp.Domain;
using Csp.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.Web.Http;

/// <summary>The role a route needs of a key's holder; a route without one (a read, a preview) is open to every role.</summary>
public sealed record RequiredRole(AccessRole Role);

/// <summary>
/// Decides who makes a request and whose view it gets, and scopes the database to it before any handler queries.
/// </summary>
/// <remarks>
/// A request with an API key (<c>Authorization: Bearer csp_…</c> or <c>X-Api-Key</c>) is its key's partner, in its
/// key's role: an unknown or revoked key is 401, a role the route does not allow 403. A request without one is, until
/// sign-in arrives, the partner named by <c>Csp:ActingPartnerId</c>, or else the root distributor (the demo
/// distributor). Every query is scoped through <see cref="PartnerScope"/> either way.
/// </remarks>
public static class CurrentPartner
{
    public const string ApiKeyHeader = "X-Api-Key";

    private const string HolderItem = "Csp.KeyHolder";

    public static RouteGroupBuilder RequirePartnerScope(this RouteGroupBuilder api) =>
        api.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            KeyHolder? holder = null;
            if (Presented(http.Request) is { } presented)
            {
                var db = http.RequestServices.GetRequiredService<CommerceDb>();
                holder = await AuthenticateApiKey.RunAsync(db, presented, http.RequestServices.GetRequiredService<TimeProvider>(), http.RequestAborted);
                if (holder is null)
                {
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    return new Error("auth.invalid_key", "The API key is not one of this platform's, or it was revoked.", ErrorKind.Unauthenticated).ToProblem();
                }

                http.Items[HolderItem] = holder;
                if (http.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>() is { } required && holder.Role != AccessRole.Admin && holder.Role != required.Role)
                {
                    return new Error("auth.role_required", $"This needs the {Name(required.Role)} role (or admin); the key {holder.Prefix}… has {Name(holder.Role)}.", ErrorKind.Forbidden).ToProblem();
                }
            }

            return await EnterAsync(http.RequestServices, holder?.PartnerId, http.RequestAborted)
                ? await next(context)
                : new Error(
                    "partner.none",
                    "This host has no partner to act as: set up the platform's first distributor (the demo seeds one), or set Csp:ActingPartnerId.",
                    ErrorKind.Forbidden).ToProblem();
        });

    /// <summary>States the role a route needs of a key's holder (admin always has it).</summary>
    public static RouteHandlerBuilder RequireRole(this RouteHandlerBuilder endpoint, AccessRole role) => endpoint.WithMetadata(new RequiredRole(role));

    /// <summary>Who makes the request, for the audit: the API key by its prefix; else whoever <paramref name="named"/> says; else <c>api</c>.</summary>
    public static string Caller(HttpContext http, string? named = null) =>
        http.Items[HolderItem] is KeyHolder key ? $"key {key.Prefix}" : named is { Length: > 0 and <= 200 } ? named : "api";

    /// <summary>The first characters of the API key the request carries, which name the key; null for no key.</summary>
    public static string? PresentedKeyPrefix(HttpRequest request) =>
        Presented(request) is { Length: >= ApiKeyFormat.PrefixLength } key && key.StartsWith(ApiKeyFormat.Start, StringComparison.Ordinal) ? key[..ApiKeyFormat.PrefixLength] : null;

    /// <summary>The API key the request carries, or null when it carries no credentials; any other credentials are not a key.</summary>
    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.Length == 0 ? null
            : authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim()
            : authorization;
    }

    private static string Name(AccessRole role) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(role.ToString());

    /// <summary>
    /// Refuses to start a host whose <c>Csp:ActingPartnerId</c> names no partner: it would answer every request with an
    /// empty view of nobody.
    /// </summary>
    public static async Task CheckActingPartnerAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var configured = services.GetRequiredService<IOptions<CommerceOptions>>().Value.ActingPartnerId;
        if (string.IsNullOrEmpty(configured))
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        if (!Guid.TryParse(configured, out var id) || !await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(p => p.Id == id, cancellationToken))
        {
            throw new InvalidOperationException($"Csp:ActingPartnerId '{configured}' is not the id of a partner in the database: correct it, or leave it out to act as the root distributor.");
        }
    }

    /// <summary>Scopes the database to the caller; false when there is nobody to act as.</summary>
    private static async Task<bool> EnterAsync(IServiceProvider services, Guid? keyHolder, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<CommerceDb>();
        var configured = services.GetRequiredService<IOptions<CommerceOptions>>().Value.ActingPartnerId;

        // Finding out who the caller is comes before any scope exists, so it reads the partner tree unfiltered.
        var hierarchy = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Select(p => new { p.Id, p.ParentPartnerId, p.Kind, p.CreatedAt, p.Name })
            .ToListAsync(cancellationToken);

        var acting = keyHolder is { } holder ? holder
            : Guid.TryParse(configured, out var id)
            ? id
            : hierarchy.Where(p => p.ParentPartnerId is null && p.Kind == PartnerKind.Distributor)
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => (Guid?)p.Id)
                .FirstOrDefault();

        if (acting is { } partnerId && hierarchy.Any(p => p.Id == partnerId))
        {
            services.GetRequiredService<PartnerScope>().Enter(partnerId, hierarchy.Select(p => (p.Id, p.ParentPartnerId)));
            return true;
        }

        return false;
    }
}
