using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>The Entra tenants bound to the organisation and to the partners below it.</summary>
public static class ListPartnerTenants
{
    public static async Task<IReadOnlyList<PartnerTenantView>> RunAsync(CommerceDb db, CancellationToken cancellationToken) =>
        await db.PartnerTenants.OrderBy(t => t.PartnerId).ThenBy(t => t.TenantId).Select(t => new PartnerTenantView(t.TenantId, t.PartnerId, t.BoundAt)).ToListAsync(cancellationToken);
}
