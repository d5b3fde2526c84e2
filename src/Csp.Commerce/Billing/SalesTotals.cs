using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// Keeps the <see cref="SalesTotal"/>s the margin report reads: every writer of invoice lines counts the lines it adds, in
/// the transaction that adds them and under the seller's turn (<see cref="PartnerTurn"/>), so no two writers count into the
/// same total at once and a total never holds a line that was not committed.
/// </summary>
public static class SalesTotals
{
    private static readonly SalesTotalKind[] Kinds = Enum.GetValues<SalesTotalKind>();

    /// <summary>
    /// Counts <paramref name="lines"/>, just added, into their totals: new totals are written at once (in bulk, inside the
    /// caller's transaction), totals already stored are changed for the caller's next save.
    /// </summary>
    public static async Task CountAsync(CommerceDb db, IReadOnlyCollection<InvoiceLine> lines, CancellationToken cancellationToken)
    {
        foreach (var month in lines.GroupBy(l => (l.PartnerId, l.Month)))
        {
            var (partnerId, start) = month.Key;
            var customers = month.Select(l => l.CustomerId).Distinct().ToList();
            // The seller's own totals whoever writes its lines (a job or another partner's run has a wider or other scope).
            var stored = (await db.SalesTotals.IgnoreQueryFilters([CommerceDb.PartnerFilter])
                    .Where(t => t.PartnerId == partnerId && t.Month == start && (t.Kind == SalesTotalKind.Product || customers.Contains(t.CustomerId)))
                    .ToListAsync(cancellationToken))
                .ToDictionary(t => t.Key);
            var added = Count(month, stored);
            await BulkInsert.WriteAsync(db, added, cancellationToken);
        }
    }

    /// <summary>
    /// Every total worked out again from the lines, when there are lines and no totals: a database whose lines were billed
    /// before totals were kept. Run once at start, after the migrations; true when it rebuilt them.
    /// </summary>
    /// <remarks>
    /// The lines are held still meanwhile (<see cref="CommerceDb.HoldInvoiceLinesAsync"/>): another host already started
    /// could otherwise bill lines whose totals this rebuild also counts, or a second host starting at once rebuild them too.
    /// </remarks>
    public static async Task<bool> RebuildIfMissingAsync(CommerceDb db, CancellationToken cancellationToken)
    {
        // At start, before any partner signs in: every partner's lines.
        var lines = db.InvoiceLines.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AsNoTracking();
        var stored = db.SalesTotals.IgnoreQueryFilters([CommerceDb.PartnerFilter]);
        if (await stored.AnyAsync(cancellationToken) || !await lines.AnyAsync(cancellationToken))
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.HoldInvoiceLinesAsync(cancellationToken);
        if (await stored.AnyAsync(cancellationToken))
        {
            // Another host rebuilt them while this one waited for the lines.
            return false;
        }

        var totals = new Dictionary<(Guid, DateOnly, SalesTotalKind, Guid, string, string), SalesTotal>();
        var added = new List<SalesTotal>();
        await foreach (var line in lines.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            added.AddRange(Count([line], totals));
        }

        await BulkInsert.WriteAsync(db, added, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Counts <paramref name="lines"/> into <paramref name="totals"/>; the totals they started.</summary>
    private static List<SalesTotal> Count(IEnumerable<InvoiceLine> lines, Dictionary<(Guid, DateOnly, SalesTotalKind, Guid, string, string), SalesTotal> totals)
    {
        var added = new List<SalesTotal>();
        foreach (var line in lines)
        {
            foreach (var kind in Kinds)
            {
                if (totals.TryGetValue(SalesTotal.KeyOf(line, kind), out var total))
                {
                    total.Count(line);
                }
                else
                {
                    total = SalesTotal.Of(line, kind);
                    totals[total.Key] = total;
                    added.Add(total);
                }
            }
        }

        return added;
    }
}
