using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>Stops one of the organisation's users from signing in, at once; removing a removed user changes nothing.</summary>
public static class RemoveUser
{
    public static async Task<Result<UserView>> RunAsync(CommerceDb db, Guid partnerId, Guid id, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.PartnerId == partnerId, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("user", id);
        }

        user.Remove(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return UserView.Of(user);
    }
}
