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
        await db.SaveChangesAsync(cancellationToken);
    }
}
