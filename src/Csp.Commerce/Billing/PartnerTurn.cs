using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>One partner's billing writes take turns: a billing run's lines, an invoice's number.</summary>
public static class PartnerTurn
{
    /// <summary>
    /// Holds <paramref name="partnerId"/>'s row until the current transaction ends, by writing it unchanged: a second
    /// billing run or issue of the same partner waits here, then reads what the first committed. Without it two runs insert
    /// the same charges in different orders and PostgreSQL ends one as a deadlock; with it neither ever sees the other's
    /// half. On SQLite the write takes the database's write lock, with the same effect.
    /// </summary>
    public static Task TakeAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        db.Partners.Where(p => p.Id == partnerId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, p => p.Name), cancellationToken);
}
