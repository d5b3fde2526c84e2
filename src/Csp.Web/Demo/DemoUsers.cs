using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Demo;

/// <summary>
/// The demo's people, one of each kind the platform serves, for the demo's sign-in page: the demo distributor's admin, a
/// reseller's operator and a customer's user (from the customer's own tenant). Their tenant and object ids are fixed
/// (they stand for Entra accounts that do not exist) and drawn from no random sequence, so the demo's data stay as they were.
/// </summary>
public static class DemoUsers
{
    public const string CreatedBy = "demo";

    private static readonly Guid DistributorTenant = new("0d15c0de-0000-4000-8000-000000000001");
    private static readonly Guid ResellerTenant = new("0d15c0de-0000-4000-8000-000000000002");

    public static async Task EnsureAsync(CommerceDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Seeding looks across every partner, before any caller exists.
        var partners = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var distributor = partners.FirstOrDefault(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor);
        var reseller = partners.FirstOrDefault(p => p.ParentPartnerId == distributor?.Id && p.Kind == PartnerKind.Reseller);
        if (distributor is null || reseller is null
            || await db.Users.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(u => u.CreatedBy == CreatedBy, cancellationToken))
        {
            return;
        }

        var customer = await db.Customers.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(c => c.PartnerId == reseller.Id).OrderBy(c => c.Name).FirstAsync(cancellationToken);
        var now = time.GetUtcNow();
        db.PartnerTenants.AddRange(new PartnerTenant(DistributorTenant, distributor.Id, now), new PartnerTenant(ResellerTenant, reseller.Id, now));
        db.Users.AddRange(
            new User(new("0d15c0de-0000-4000-8000-0000000000a1"), DistributorTenant, new("0d15c0de-0000-4000-8000-0000000000b1"), distributor.Id, null, AccessRole.Admin, $"Dana Admin, {distributor.Name}", now, CreatedBy),
            new User(new("0d15c0de-0000-4000-8000-0000000000a2"), ResellerTenant, new("0d15c0de-0000-4000-8000-0000000000b2"), reseller.Id, null, AccessRole.Operations, $"Oscar Operator, {reseller.Name}", now, CreatedBy),
            new User(new("0d15c0de-0000-4000-8000-0000000000a3"), customer.CustomerTenantId, new("0d15c0de-0000-4000-8000-0000000000b3"), reseller.Id, customer.Id, AccessRole.ReadOnly, $"Cleo Customer, {customer.Name}", now, CreatedBy));

        // The reseller sells under its own brand, at a portal host of its own: *.localhost reaches this machine in browsers.
        if (!await db.Brandings.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(b => b.PartnerId == reseller.Id, cancellationToken))
        {
            db.Brandings.Add(new PartnerBranding(reseller.Id, reseller.Name, "", null, PortalColour, null, now, CreatedBy, PortalHost(reseller.Name)));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The demo reseller's colour on its customer portal.</summary>
    public const string PortalColour = "#5C2E91";

    /// <summary>The demo reseller's portal host: the first word of its name, at <c>.localhost</c> (<c>adatum.localhost</c>).</summary>
    public static string PortalHost(string resellerName) =>
        $"{new string(resellerName.Split(' ')[0].ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray())}.localhost";
}
