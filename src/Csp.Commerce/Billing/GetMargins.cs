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
public static class GetMargins
{
    public const int MaxMonths = 36;

    public static async Task<Result<List<MarginRow>>> RunAsync(CommerceDb db, Guid viewerId, BillingPeriod from, BillingPeriod to, MarginGrouping by, CancellationToken cancellationToken)
    {
        if (to.Start < from.Start || from.Start.AddMonths(MaxMonths) <= to.Start)
        {
            return Error.InvalidParameter("to", $"to: a month from 'from' to {MaxMonths} months after it.");
        }

        var sales = await Sales.OfAsync(db, viewerId, from.Start, to.Start, issuedOnly: false, cancellationToken);
        var resellers = await db.Partners.Where(p => p.ParentPartnerId == viewerId).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var viewer = await db.Partners.Where(p => p.Id == viewerId).Select(p => p.Name).FirstAsync(cancellationToken);
        var customerIds = sales.Select(l => l.CustomerId).Distinct().ToList();
        var customers = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);

        return sales
            .GroupBy(s => (Key: by switch
            {
                MarginGrouping.Customer => s.CustomerId.ToString(),
                MarginGrouping.Reseller => s.SellerId == viewerId ? "" : s.SellerId.ToString(),
                MarginGrouping.Product => s.ProductId,
                _ => $"{s.Month:yyyy-MM}",
            }, s.Currency))
            .Select(g =>
            {
                var first = g.First();
                var name = by switch
                {
                    MarginGrouping.Customer => customers.GetValueOrDefault(first.CustomerId, ""),
                    MarginGrouping.Reseller => first.SellerId == viewerId ? $"{viewer} (direct)" : resellers[first.SellerId],
                    MarginGrouping.Product => first.ProductName,
                    _ => g.Key.Key,
                };
                var revenue = g.Sum(s => s.Revenue);
                var cost = g.Sum(s => s.Cost);
                return new MarginRow(g.Key.Key, name, g.Key.Currency, revenue, cost, revenue - cost, revenue == 0 ? null : Math.Round((revenue - cost) / revenue * 100m, 2, Rounding.Estimate), g.Count());
            })
            .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Currency, StringComparer.Ordinal)
            .ToList();
    }
}
