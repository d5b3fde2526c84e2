using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>One invoice line as a sale of the viewer's: what it sold it for and what it cost the viewer.</summary>
public sealed record Sale(Guid InvoiceId, Guid SellerId, Guid CustomerId, string ProductId, string ProductName, DateOnly Month, string Currency, decimal Revenue, decimal Cost, decimal Tax);

/// <summary>
/// The viewer's sales in the invoice lines of a range of months: its own invoices' lines at the customer's price against
/// its cost (Microsoft's, or its distributor's for a reseller), and, for a distributor, its resellers' lines at the
/// reseller's cost against Microsoft's (tax is the reseller's to collect, so none). The journal reads them; the margin report
/// reads their totals (<see cref="SalesTotal"/>, the same sales counted as each line is added), so they agree with each
/// other and with the invoices.
/// </summary>
public static class Sales
{
    /// <summary>The name a sale's product is reported under: one-off items together, whatever each was called.</summary>
    public static string ProductName(string productId, string name) => productId == InvoiceLine.ItemProductId ? "One-off items" : name;

    public static async Task<List<Sale>> OfAsync(CommerceDb db, Guid viewerId, DateOnly fromMonth, DateOnly toMonth, bool issuedOnly, CancellationToken cancellationToken)
    {
        var sold = await QueryAsync(db, viewerId, fromMonth, toMonth, cancellationToken);
        if (issuedOnly)
        {
            sold = sold.Where(s => db.Invoices.Any(i => i.Id == s.InvoiceId && i.Status != InvoiceStatus.Draft));
        }

        return (await sold.ToListAsync(cancellationToken))
            .Select(s => new Sale(s.InvoiceId, s.SellerId, s.CustomerId, s.ProductId, ProductName(s.ProductId, s.ProductName), s.Month, s.Currency, s.Revenue, s.Cost, s.SellerId == viewerId ? s.Tax : 0m))
            .ToList();
    }

    /// <summary>The viewer's sales as a query, for the database to filter further.</summary>
    private static async Task<IQueryable<Sold>> QueryAsync(CommerceDb db, Guid viewerId, DateOnly fromMonth, DateOnly toMonth, CancellationToken cancellationToken)
    {
        var resellers = await db.Partners.Where(p => p.ParentPartnerId == viewerId).Select(p => p.Id).ToListAsync(cancellationToken);
        return db.InvoiceLines
            .Where(l => l.Month >= fromMonth && l.Month <= toMonth && (l.PartnerId == viewerId || (resellers.Contains(l.PartnerId) && l.ResellerCost != null)))
            .Select(l => new Sold
            {
                InvoiceId = l.InvoiceId,
                SellerId = l.PartnerId,
                CustomerId = l.CustomerId,
                ProductId = l.ProductId,
                ProductName = l.ProductName,
                Month = l.Month,
                Currency = l.Currency,
                Revenue = l.PartnerId == viewerId ? l.Amount : l.ResellerCost!.Value,
                Cost = l.PartnerId == viewerId ? l.ResellerCost ?? l.MicrosoftCost : l.MicrosoftCost,
                Tax = l.Tax,
            });
    }
}

/// <summary>
/// Sales as the database reads them, a class with setters, which EF Core composes further: one invoice line (its invoice
/// and its tax; <see cref="Tax"/> is the viewer's to collect only on its own lines), or a total of
/// <see cref="Lines"/> lines of one customer or product (<see cref="SalesTotal"/>; no invoice, no tax).
/// </summary>
internal sealed class Sold
{
    public Guid InvoiceId { get; init; }

    public Guid SellerId { get; init; }

    public Guid CustomerId { get; init; }

    public string ProductId { get; init; } = "";

    public string ProductName { get; init; } = "";

    public DateOnly Month { get; init; }

    public string Currency { get; init; } = "";

    public decimal Revenue { get; init; }

    public decimal Cost { get; init; }

    public decimal Tax { get; init; }

    public int Lines { get; init; } = 1;
}
