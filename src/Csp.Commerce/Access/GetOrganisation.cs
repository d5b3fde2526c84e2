using Csp.Commerce.Billing;
using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>Whom a signed-in caller works for, as a page heads itself with it.</summary>
/// <param name="Name">The customer's name for a customer's user, else the partner's.</param>
/// <param name="TimeZone">The partner's billing time zone, in which its people read instants; UTC for an id this machine lacks.</param>
/// <param name="SellerBrand">For a customer's user, the brand of the partner that sells to the customer; null for partner staff.</param>
public sealed record OrganisationView(string Name, TimeZoneInfo TimeZone, PortalBrand? SellerBrand);

/// <summary>The caller's organisation; the database is scoped to the caller already.</summary>
public static class GetOrganisation
{
    public static async Task<OrganisationView> RunAsync(CommerceDb db, Caller caller, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.Where(p => p.Id == caller.PartnerId).Select(p => new { p.Name, p.BillingTimeZone }).SingleAsync(cancellationToken);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(partner.BillingTimeZone, out var found) ? found : TimeZoneInfo.Utc;
        if (caller.CustomerId is not { } customerId)
        {
            return new OrganisationView(partner.Name, zone, null);
        }

        var customer = await db.Customers.Where(c => c.Id == customerId).Select(c => c.Name).SingleAsync(cancellationToken);
        return new OrganisationView(customer, zone, await PortalBrand.OfPartnerAsync(db, caller.PartnerId, cancellationToken));
    }
}
