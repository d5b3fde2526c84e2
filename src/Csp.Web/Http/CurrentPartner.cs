using Csp.Data;
using Csp.Domain;
using Csp.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.Web.Http;

/// <summary>
/// Decides whose view a request gets and scopes the database to it before any handler queries.
/// </summary>
/// <remarks>
/// Until sign-in arrives, the caller is the partner named by <c>Csp:ActingPartnerId</c>, or else the root
/// distributor (the demo distributor). Sign-in will only change where the id comes from; every query is already
/// scoped through <see cref="PartnerScope"/>.
/// </remarks>
public static class CurrentPartner
{
    public static RouteGroupBuilder RequirePartnerScope(this RouteGroupBuilder api) =>
        api.AddEndpointFilter(async (context, next) =>
            await EnterAsync(context.HttpContext.RequestServices, context.HttpContext.RequestAborted)
                ? await next(context)
                : new Error(
                    "partner.none",
                    "This host has no partner to act as: set up the platform's first distributor (the demo seeds one), or set Csp:ActingPartnerId.",
                    ErrorKind.Forbidden).ToProblem());

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
    private static async Task<bool> EnterAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<CommerceDb>();
        var configured = services.GetRequiredService<IOptions<CommerceOptions>>().Value.ActingPartnerId;

        // Finding out who the caller is comes before any scope exists, so it reads the partner tree unfiltered.
        var hierarchy = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Select(p => new { p.Id, p.ParentPartnerId, p.Kind, p.CreatedAt, p.Name })
            .ToListAsync(cancellationToken);

        var acting = Guid.TryParse(configured, out var id)
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
