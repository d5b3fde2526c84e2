using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>How a margin report groups its lines.</summary>
public enum MarginGrouping
{
    Customer,
    Reseller,
    Product,
    Month,
}

/// <summary>One group of a margin report, in one currency: revenue, cost, margin and margin as a per cent of revenue.</summary>
public sealed record MarginRow(string Key, string Name, string Currency, decimal Revenue, decimal Cost, decimal Margin, decimal? MarginPercent, int Lines);

/// <summary>
/// The caller's margin from the invoice lines of a range of months (drafts included, so the month is seen before it is
/// issued): the same lines as the invoices, so the report and the invoices agree to the cent. The caller's own sales count
/// at the customer's price against its cost (Microsoft's, or its distributor's for a reseller); a distributor's sales
/// through a reseller count at the reseller's cost against Microsoft's — the sales of <see cref="Sales"/>, read from their
/// totals per customer or per product (<see cref="SalesTotal"/>), not line by line.
/// </summary>
/// <remarks>
/// PostgreSQL sums the totals in the database, grouped as asked; SQLite cannot sum decimals exactly (it keeps them as
/// text), so there the totals are read and summed in memory.
/// </remarks>
public static class GetMargins
{
    public const int MaxMonths = 36;

    public static async Task<Result<List<MarginRow>>> RunAsync(CommerceDb db, Guid viewerId, BillingPeriod from, BillingPeriod to, MarginGrouping by, CancellationToken cancellationToken)
    {
        if (to.Start < from.Start || from.Start.AddMonths(MaxMonths) <= to.Start)
        {
            return Error.InvalidParameter("to", $"to: a month from 'from' to {MaxMonths} months after it.");
        }

        var resellers = await db.Partners.Where(p => p.ParentPartnerId == viewerId).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var sold = Sold(db, viewerId, [.. resellers.Keys], from.Start, to.Start, by == MarginGrouping.Customer ? SalesTotalKind.Customer : SalesTotalKind.Product);
        var groups = db.OnSqlite
            ? await InMemoryAsync(db, await sold.ToListAsync(cancellationToken), by, cancellationToken)
            : await InDatabaseAsync(db, sold, by, cancellationToken);
        var viewer = await db.Partners.Where(p => p.Id == viewerId).Select(p => p.Name).FirstAsync(cancellationToken);

        return groups
            .Select(g =>
            {
                var (key, name) = by switch
                {
                    MarginGrouping.Customer => (g.CustomerId.ToString(), g.Name),
                    MarginGrouping.Reseller => g.SellerId == viewerId ? ("", $"{viewer} (direct)") : (g.SellerId.ToString(), resellers[g.SellerId]),
                    MarginGrouping.Product => (g.ProductId, Sales.ProductName(g.ProductId, g.Name)),
                    _ => ($"{g.Month:yyyy-MM}", $"{g.Month:yyyy-MM}"),
                };
                return new MarginRow(key, name, g.Currency, g.Revenue, g.Cost, g.Revenue - g.Cost, g.Revenue == 0 ? null : Math.Round((g.Revenue - g.Cost) / g.Revenue * 100m, 2, Rounding.Estimate), g.Lines);
            })
            .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Currency, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One group of the report: only the columns of the grouping asked for are set; the name is the customer's or the product's.</summary>
    private sealed record Group(Guid CustomerId, Guid SellerId, string ProductId, DateOnly Month, string Currency, string Name, decimal Revenue, decimal Cost, int Lines);

    /// <summary>
    /// The viewer's sales in the totals of one kind: its own at its customers' price against its cost, its resellers'
    /// two-tier sales at their cost against Microsoft's (as <see cref="Sales"/> reads the lines).
    /// </summary>
    private static IQueryable<Sold> Sold(CommerceDb db, Guid viewerId, List<Guid> resellers, DateOnly fromMonth, DateOnly toMonth, SalesTotalKind kind) =>
        db.SalesTotals
            .Where(t => t.Kind == kind && t.Month >= fromMonth && t.Month <= toMonth && (t.PartnerId == viewerId || (resellers.Contains(t.PartnerId) && t.ResoldLines > 0)))
            .Select(t => new Sold
            {
                SellerId = t.PartnerId,
                CustomerId = t.CustomerId,
                ProductId = t.ProductId,
                ProductName = t.ProductName,
                Month = t.Month,
                Currency = t.Currency,
                Revenue = t.PartnerId == viewerId ? t.Amount : t.ResoldRevenue,
                Cost = t.PartnerId == viewerId ? t.Cost : t.ResoldCost,
                Lines = t.PartnerId == viewerId ? t.Lines : t.ResoldLines,
            });

    private static async Task<List<Group>> InMemoryAsync(CommerceDb db, List<Sold> sold, MarginGrouping by, CancellationToken cancellationToken)
    {
        var customerIds = by == MarginGrouping.Customer ? sold.Select(s => s.CustomerId).Distinct().ToList() : [];
        var customers = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return sold
            .GroupBy(s => (
                Customer: by == MarginGrouping.Customer ? s.CustomerId : Guid.Empty,
                Seller: by == MarginGrouping.Reseller ? s.SellerId : Guid.Empty,
                Product: by == MarginGrouping.Product ? s.ProductId : "",
                Month: by == MarginGrouping.Month ? s.Month : DateOnly.MinValue,
                s.Currency))
            .Select(g => new Group(
                g.Key.Customer, g.Key.Seller, g.Key.Product, g.Key.Month, g.Key.Currency,
                by == MarginGrouping.Customer ? customers.GetValueOrDefault(g.Key.Customer, "") : g.Max(s => s.ProductName)!,
                g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Sum(s => s.Lines)))
            .ToList();
    }

    /// <summary>
    /// The viewer's sales summed by the database, one grouping at a time (a constant in a grouping key confuses the PostgreSQL
    /// provider); by customer, joined to the customers' names there, not looked up by tens of thousands of ids.
    /// </summary>
    private static async Task<List<Group>> InDatabaseAsync(CommerceDb db, IQueryable<Sold> sold, MarginGrouping by, CancellationToken cancellationToken) =>
        by switch
        {
            MarginGrouping.Customer => await sold.GroupBy(s => new { s.CustomerId, s.Currency })
                .Select(g => new { g.Key.CustomerId, g.Key.Currency, Revenue = g.Sum(s => s.Revenue), Cost = g.Sum(s => s.Cost), Lines = g.Sum(s => s.Lines) })
                .Join(db.Customers, g => g.CustomerId, c => c.Id, (g, c) => new Group(g.CustomerId, Guid.Empty, "", DateOnly.MinValue, g.Currency, c.Name, g.Revenue, g.Cost, g.Lines))
                .ToListAsync(cancellationToken),
            MarginGrouping.Reseller => await sold.GroupBy(s => new { s.SellerId, s.Currency })
                .Select(g => new Group(Guid.Empty, g.Key.SellerId, "", DateOnly.MinValue, g.Key.Currency, "", g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Sum(s => s.Lines)))
                .ToListAsync(cancellationToken),
            MarginGrouping.Product => await sold.GroupBy(s => new { s.ProductId, s.Currency })
                .Select(g => new Group(Guid.Empty, Guid.Empty, g.Key.ProductId, DateOnly.MinValue, g.Key.Currency, g.Max(s => s.ProductName)!, g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Sum(s => s.Lines)))
                .ToListAsync(cancellationToken),
            _ => await sold.GroupBy(s => new { s.Month, s.Currency })
                .Select(g => new Group(Guid.Empty, Guid.Empty, "", g.Key.Month, g.Key.Currency, "", g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Sum(s => s.Lines)))
                .ToListAsync(cancellationToken),
        };
}
