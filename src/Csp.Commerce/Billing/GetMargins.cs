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
/// through a reseller count at the reseller's cost against Microsoft's.
/// </summary>
/// <remarks>
/// PostgreSQL sums the lines in the database, grouped as asked, so that a month of 500,000 lines is not read into memory;
/// SQLite cannot sum decimals exactly (it keeps them as text), so there the lines are read and summed in memory, the same
/// way <see cref="Sales"/> reads them for the journal.
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

        var groups = db.OnSqlite
            ? InMemory(await Sales.OfAsync(db, viewerId, from.Start, to.Start, issuedOnly: false, cancellationToken), by)
            : await InDatabaseAsync(db, viewerId, from.Start, to.Start, by, cancellationToken);
        var resellers = await db.Partners.Where(p => p.ParentPartnerId == viewerId).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var viewer = await db.Partners.Where(p => p.Id == viewerId).Select(p => p.Name).FirstAsync(cancellationToken);
        var customerIds = groups.Select(g => g.CustomerId).Distinct().ToList();
        var customers = by == MarginGrouping.Customer
            ? await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken)
            : [];

        return groups
            .Select(g =>
            {
                var (key, name) = by switch
                {
                    MarginGrouping.Customer => (g.CustomerId.ToString(), customers.GetValueOrDefault(g.CustomerId, "")),
                    MarginGrouping.Reseller => g.SellerId == viewerId ? ("", $"{viewer} (direct)") : (g.SellerId.ToString(), resellers[g.SellerId]),
                    MarginGrouping.Product => (g.ProductId, Sales.ProductName(g.ProductId, g.ProductName)),
                    _ => ($"{g.Month:yyyy-MM}", $"{g.Month:yyyy-MM}"),
                };
                return new MarginRow(key, name, g.Currency, g.Revenue, g.Cost, g.Revenue - g.Cost, g.Revenue == 0 ? null : Math.Round((g.Revenue - g.Cost) / g.Revenue * 100m, 2, Rounding.Estimate), g.Lines);
            })
            .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Currency, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One group of the report before it is named: only the columns of the grouping asked for are set.</summary>
    private sealed record Group(Guid CustomerId, Guid SellerId, string ProductId, DateOnly Month, string Currency, string ProductName, decimal Revenue, decimal Cost, int Lines);

    private static List<Group> InMemory(List<Sale> sales, MarginGrouping by) =>
        sales
            .GroupBy(s => (
                Customer: by == MarginGrouping.Customer ? s.CustomerId : Guid.Empty,
                Seller: by == MarginGrouping.Reseller ? s.SellerId : Guid.Empty,
                Product: by == MarginGrouping.Product ? s.ProductId : "",
                Month: by == MarginGrouping.Month ? s.Month : DateOnly.MinValue,
                s.Currency))
            .Select(g => new Group(g.Key.Customer, g.Key.Seller, g.Key.Product, g.Key.Month, g.Key.Currency, g.First().ProductName, g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Count()))
            .ToList();

    /// <summary>The viewer's sales as <see cref="Sales"/> defines them, summed by the database.</summary>
    private static async Task<List<Group>> InDatabaseAsync(CommerceDb db, Guid viewerId, DateOnly fromMonth, DateOnly toMonth, MarginGrouping by, CancellationToken cancellationToken)
    {
        var sold = await Sales.QueryAsync(db, viewerId, fromMonth, toMonth, cancellationToken);
        return by switch
        {
            MarginGrouping.Customer => await sold.GroupBy(s => new { s.CustomerId, s.Currency })
                .Select(g => new Group(g.Key.CustomerId, Guid.Empty, "", DateOnly.MinValue, g.Key.Currency, "", g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Count()))
                .ToListAsync(cancellationToken),
            MarginGrouping.Reseller => await sold.GroupBy(s => new { s.SellerId, s.Currency })
                .Select(g => new Group(Guid.Empty, g.Key.SellerId, "", DateOnly.MinValue, g.Key.Currency, "", g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Count()))
                .ToListAsync(cancellationToken),
            MarginGrouping.Product => await sold.GroupBy(s => new { s.ProductId, s.Currency })
                .Select(g => new Group(Guid.Empty, Guid.Empty, g.Key.ProductId, DateOnly.MinValue, g.Key.Currency, g.Max(s => s.ProductName)!, g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Count()))
                .ToListAsync(cancellationToken),
            _ => await sold.GroupBy(s => new { s.Month, s.Currency })
                .Select(g => new Group(Guid.Empty, Guid.Empty, "", g.Key.Month, g.Key.Currency, "", g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Count()))
                .ToListAsync(cancellationToken),
        };
    }
}
