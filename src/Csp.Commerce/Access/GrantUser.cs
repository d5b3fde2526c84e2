using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>
/// Gives a Microsoft Entra account (tenant id and object id) a role in the caller's organisation, or makes it a user of
/// one of the organisation's customers (from that customer's own tenant). Granting again changes the role and the name
/// and lets a removed user back in: the same grant twice is one grant. An account is a user of one organisation only.
/// </summary>
public static class GrantUser
{
    public const int MaxDisplayName = 100;

    public static async Task<Result<UserView>> RunAsync(
        CommerceDb db, Guid partnerId, Guid tenantId, Guid objectId, string displayName, AccessRole role, Guid? customerId, string grantedBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (displayName.Trim().Length is 0 or > MaxDisplayName || displayName.Any(char.IsControl))
        {
            return Error.InvalidParameter("displayName", $"displayName must be 1 to {MaxDisplayName} characters, none of them control characters.");
        }

        if (tenantId == Guid.Empty || objectId == Guid.Empty)
        {
            return Error.InvalidParameter(tenantId == Guid.Empty ? "tenantId" : "objectId", "tenantId and objectId are the account's Entra tenant id and object id (the tid and oid of its tokens).");
        }

        var owner = partnerId;
        if (customerId is { } id)
        {
            var customer = await db.Customers.Where(c => c.Id == id).Select(c => new { c.PartnerId, c.CustomerTenantId }).FirstOrDefaultAsync(cancellationToken);
            if (customer is null)
            {
                return Error.NotFound("customer", id);
            }

            if (customer.CustomerTenantId != tenantId)
            {
                return Error.InvalidParameter("tenantId", $"A customer's users come from the customer's own tenant, {customer.CustomerTenantId}.");
            }

            owner = customer.PartnerId;
        }
        else if (!await db.PartnerTenants.AnyAsync(t => t.TenantId == tenantId && t.PartnerId == partnerId, cancellationToken))
        {
            return new Error("user.tenant_not_bound", $"Tenant {tenantId} is not one of this organisation's Entra tenants: its users cannot be the organisation's.", ErrorKind.Conflict, "tenantId");
        }

        // Whether the account is already someone's user is asked of every organisation: an account belongs to one.
        var user = await db.Users.IgnoreQueryFilters([CommerceDb.PartnerFilter]).FirstOrDefaultAsync(u => u.TenantId == tenantId && u.ObjectId == objectId, cancellationToken);
        if (user is null)
        {
            var now = time.GetUtcNow();
            user = new User(Guid.CreateVersion7(now), tenantId, objectId, owner, customerId, role, displayName.Trim(), now, grantedBy);
            db.Users.Add(user);
        }
        else if (user.PartnerId != owner || user.CustomerId != customerId)
        {
            return new Error("user.elsewhere", "This Entra account is already a user of another organisation or customer.", ErrorKind.Conflict);
        }
        else
        {
            user.Grant(role, displayName.Trim());
        }

        db.AccessEvents.Add(new AccessEvent(owner, time.GetUtcNow(), grantedBy, AccessEventKind.UserGranted, UserView.Describe(user)));
        await db.SaveChangesAsync(cancellationToken);
        return UserView.Of(user);
    }
}
