using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>The organisation's own users and its customers' users (not its resellers'), newest first, removed ones included.</summary>
public static class ListUsers
{
    public static async Task<IReadOnlyList<UserView>> RunAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        (await db.Users.Where(u => u.PartnerId == partnerId).OrderByDescending(u => u.Id).ToListAsync(cancellationToken)).Select(UserView.Of).ToList();
}
