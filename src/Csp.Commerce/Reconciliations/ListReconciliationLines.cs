using System.Globalization;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>A reconciliation's differences in the order of the file, all or of one kind: a page of them, or every one.</summary>
public static class ListReconciliationLines
{
    public static async Task<Result<Paged<DifferenceView>>> RunAsync(CommerceDb db, Guid id, DiscrepancyKind? kind, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (!await db.Reconciliations.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Error.NotFound("reconciliation", id);
        }

        var query = Differences(db, id, kind);
        var total = await query.CountAsync(cancellationToken);
        var items = await ReconciliationViews.Differences(query.Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        return new Paged<DifferenceView>(items, page, pageSize, total);
    }

    /// <summary>
    /// Writes every difference to <paramref name="csv"/>, one line each as it is read (a reconciliation of a large month has
    /// many), each field safe to open in a spreadsheet; null, or why not.
    /// </summary>
    public static async Task<Error?> WriteCsvAsync(CommerceDb db, Guid id, DiscrepancyKind? kind, TextWriter csv, CancellationToken cancellationToken)
    {
        if (!await db.Reconciliations.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Error.NotFound("reconciliation", id);
        }

        await csv.WriteLineAsync("Kind,FileLine,SubscriptionId,ChargeType,ChargeStartDate,ChargeEndDate,ExpectedQuantity,BilledQuantity,ExpectedSubtotal,BilledSubtotal,Currency,Detail");
        await foreach (var d in ReconciliationViews.Differences(Differences(db, id, kind)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await csv.WriteLineAsync(string.Join(',', new object?[]
            {
                d.Kind.ToName(), d.FileLine, d.SubscriptionId, d.ChargeType, d.ChargeStartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                d.ChargeEndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.ExpectedQuantity, d.BilledQuantity, d.ExpectedSubtotal, d.BilledSubtotal, d.Currency, d.Detail,
            }.Select(v => CsvField.ForSpreadsheet(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""))));
        }

        return null;
    }

    private static IQueryable<ReconciliationDifference> Differences(CommerceDb db, Guid id, DiscrepancyKind? kind) =>
        db.ReconciliationDifferences.Where(d => d.ReconciliationId == id && (kind == null || d.Kind == kind)).OrderBy(d => d.Id);
}
