using Csp.Data;
using Csp.Domain.Reconciliation;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>A reconciliation as the API shows it: the file, the month, and how many lines differ, by kind.</summary>
/// <param name="Month">The billing month, <c>yyyy-MM</c>.</param>
/// <param name="Differences">Every kind of difference found, with its count; rounding differences are not discrepancies.</param>
public sealed record ReconciliationView(
    Guid Id,
    string FileName,
    string FileSha256,
    string Month,
    DateTimeOffset ImportedAt,
    int BilledLines,
    int ExpectedLines,
    int Matched,
    bool IsZeroDiscrepancy,
    IReadOnlyDictionary<DiscrepancyKind, int> Differences);

/// <summary>One stored difference.</summary>
public sealed record DifferenceView(
    DiscrepancyKind Kind,
    long? FileLine,
    string SubscriptionId,
    string ChargeType,
    DateOnly ChargeStartDate,
    DateOnly ChargeEndDate,
    decimal? ExpectedQuantity,
    decimal? BilledQuantity,
    decimal? ExpectedSubtotal,
    decimal? BilledSubtotal,
    string Currency,
    string Detail);

public static class ReconciliationViews
{
    public static async Task<ReconciliationView> LoadAsync(CommerceDb db, Csp.Data.Reconciliation r, CancellationToken cancellationToken)
    {
        var counts = await db.ReconciliationDifferences
            .Where(d => d.ReconciliationId == r.Id)
            .GroupBy(d => d.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Kind, g => g.Count, cancellationToken);
        return new ReconciliationView(r.Id, r.FileName, r.FileSha256, $"{r.Month:yyyy-MM}", r.ImportedAt, r.BilledLines, r.ExpectedLines, r.Matched, r.IsZeroDiscrepancy, counts);
    }

    public static IQueryable<DifferenceView> Differences(IQueryable<ReconciliationDifference> differences) =>
        differences.Select(d => new DifferenceView(
            d.Kind, d.FileLine, d.SubscriptionId, d.ChargeType, d.ChargeStartDate, d.ChargeEndDate, d.ExpectedQuantity, d.BilledQuantity,
            d.ExpectedSubtotal, d.BilledSubtotal, d.Currency, d.Detail));
}
