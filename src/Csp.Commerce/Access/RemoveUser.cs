using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>Stops one of the organisation's users from signing in, at once; removing a removed user changes nothing.</summary>
public static class RemoveUser
{
    public static async Task<Result<UserView>> RunAsync(CommerceDb db, Guid partnerId, Guid id, string removedBy, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.PartnerId == partnerId, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("user", id);
        }

        if (user.RemovedAt is null)
        {
            var now = time.GetUtcNow();
            user.Remove(now);
            db.AccessEvents.Add(new AccessEvent(partnerId, now, removedBy, AccessEventKind.UserRemoved, UserView.Describe(user)));
            await db.SaveChangesAsync(cancellationToken);
        }
        return UserView.Of(user);
    }
}
