using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>
/// Whom a signed-in Microsoft Entra identity (tenant id and object id, from a validated token or the sign-in cookie) stands
/// for, recording the sign-in (once a minute at most). A tenant bound to no partner and belonging to no customer is not
/// this platform's: 401. A known tenant's user without an account here is 403: an admin of the organisation adds users.
/// </summary>
public static class AuthenticateUser
{
    public static async Task<Result<Caller>> RunAsync(CommerceDb db, Guid tenantId, Guid objectId, TimeProvider time, CancellationToken cancellationToken)
    {
        // Who the caller is comes before any partner scope: the users and tenants of every partner are looked through.
        var user = await db.Users.IgnoreQueryFilters([CommerceDb.PartnerFilter]).FirstOrDefaultAsync(u => u.TenantId == tenantId && u.ObjectId == objectId, cancellationToken);
        if (user is null || user.RemovedAt is not null)
        {
            var known = await db.PartnerTenants.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(t => t.TenantId == tenantId, cancellationToken)
                || await db.Customers.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(c => c.CustomerTenantId == tenantId, cancellationToken);
            return known
                ? new Error("auth.not_a_member", "You are signed in, but have no account in this organisation: ask one of its admins to add you.", ErrorKind.Forbidden)
                : new Error("auth.unknown_tenant", "Your Microsoft Entra tenant is not one of this platform's partners or customers.", ErrorKind.Unauthenticated);
        }

        var caller = new Caller(user.PartnerId, user.CustomerId, user.Role, $"user {user.DisplayName} ({user.Id})");
        var now = time.GetUtcNow();
        if (user.SignIn(now))
        {
            db.AccessEvents.Add(new AccessEvent(user.PartnerId, now, caller.Actor, AccessEventKind.SignedIn, UserView.Describe(user)));
            await db.SaveChangesAsync(cancellationToken);
        }

        return caller;
    }
}
