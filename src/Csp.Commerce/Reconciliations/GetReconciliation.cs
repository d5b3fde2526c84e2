using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>A reconciliation's summary: its month, its file, and its differences by kind.</summary>
public static class GetReconciliation
{
    public static async Task<Result<ReconciliationView>> RunAsync(CommerceDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Reconciliations.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } reconciliation
            ? await ReconciliationViews.LoadAsync(db, reconciliation, cancellationToken)
            : Error.NotFound("reconciliation", id);
}
