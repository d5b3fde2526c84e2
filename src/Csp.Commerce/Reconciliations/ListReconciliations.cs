using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>One imported file of Microsoft's, as a list shows it: its month, its lines and whether it matched to the cent.</summary>
public sealed record ReconciliationSummary(Guid Id, string FileName, string Month, DateTimeOffset ImportedAt, int BilledLines, int ExpectedLines, int Matched, bool IsZeroDiscrepancy);

/// <summary>The reconciliations the caller's organisation imported, newest first.</summary>
public static class ListReconciliations
{
    public const int Limit = 100;

    public static async Task<List<ReconciliationSummary>> RunAsync(CommerceDb db, CancellationToken cancellationToken) =>
        // The newest months' files, newest import first (SQLite orders no DateTimeOffset: the instant is ordered here).
        (await db.Reconciliations.OrderByDescending(r => r.Month).Take(Limit).ToListAsync(cancellationToken))
            .OrderByDescending(r => r.ImportedAt)
            .Select(r => new ReconciliationSummary(r.Id, r.FileName, $"{r.Month:yyyy-MM}", r.ImportedAt, r.BilledLines, r.ExpectedLines, r.Matched, r.IsZeroDiscrepancy))
            .ToList();
}
