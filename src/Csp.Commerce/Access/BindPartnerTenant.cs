using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>
/// Binds a Microsoft Entra tenant to a partner below the caller (a distributor binds its resellers' tenants), so that the
/// partner's admin can make users of that tenant's accounts. An organisation never binds a tenant to itself: that would
/// let anyone claim any tenant; its own tenants are bound from above, the platform's first by its set-up. Binding again is
/// one binding; a tenant bound to another partner, or a customer's, is refused.
/// </summary>
public static class BindPartnerTenant
{
    public static async Task<Result<PartnerTenantView>> RunAsync(CommerceDb db, Guid callerPartnerId, Guid partnerId, Guid tenantId, string boundBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (tenantId == Guid.Empty)
        {
            return Error.InvalidParameter("tenantId", "tenantId is the partner's Microsoft Entra tenant id.");
        }

        if (partnerId == callerPartnerId || !await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            return Error.NotFound("partner", partnerId);
        }

        // A tenant is bound to one partner of the whole platform, and is never a customer's: both are asked of every partner.
        var bound = await db.PartnerTenants.IgnoreQueryFilters([CommerceDb.PartnerFilter]).FirstOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
        if (bound is not null)
        {
            return bound.PartnerId == partnerId
                ? new PartnerTenantView(bound.TenantId, bound.PartnerId, bound.BoundAt)
                : new Error("tenant.bound_elsewhere", $"Tenant {tenantId} is already bound to another partner.", ErrorKind.Conflict, "tenantId");
        }

        if (await db.Customers.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(c => c.CustomerTenantId == tenantId, cancellationToken))
        {
            return new Error("tenant.bound_elsewhere", $"Tenant {tenantId} is a customer's tenant, whose users are customer users.", ErrorKind.Conflict, "tenantId");
        }

        var binding = new PartnerTenant(tenantId, partnerId, time.GetUtcNow());
        db.PartnerTenants.Add(binding);

        // The binding opens the partner's door: it goes in the partner's own access audit.
        db.AccessEvents.Add(new AccessEvent(partnerId, binding.BoundAt, boundBy, AccessEventKind.TenantBound, $"tenant {tenantId}"));
        await db.SaveChangesAsync(cancellationToken);
        return new PartnerTenantView(binding.TenantId, binding.PartnerId, binding.BoundAt);
    }
}
