using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>One invoice line as a sale of the viewer's: what it sold it for and what it cost the viewer.</summary>
public sealed record Sale(Guid InvoiceId, Guid SellerId, Guid CustomerId, string ProductId, string ProductName, DateOnly Month, string Currency, decimal Revenue, decimal Cost, decimal Tax);

/// <summary>
/// The viewer's sales in the invoice lines of a range of months: its own invoices' lines at the customer's price against
/// its cost (Microsoft's, or its distributor's for a reseller), and, for a distributor, its resellers' lines at the
/// reseller's cost against Microsoft's (tax is the reseller's to collect, so none). The margin report and the journal
/// both read them, so they agree with each other and with the invoices.
/// </summary>
public static class Sales
{
    public static async Task<List<Sale>> OfAsync(CommerceDb db, Guid viewerId, DateOnly fromMonth, DateOnly toMonth, bool issuedOnly, CancellationToken cancellationToken)
    {
        var resellers = await db.Partners.Where(p => p.ParentPartnerId == viewerId).Select(p => p.Id).ToListAsync(cancellationToken);
        var lines = db.InvoiceLines.Where(l => l.Month >= fromMonth && l.Month <= toMonth && (l.PartnerId == viewerId || resellers.Contains(l.PartnerId)));
        if (issuedOnly)
        {
            lines = lines.Where(l => db.Invoices.Any(i => i.Id == l.InvoiceId && i.Status != InvoiceStatus.Draft));
        }

        var found = await lines
            .Select(l => new { l.InvoiceId, l.PartnerId, l.CustomerId, l.ProductId, l.ProductName, l.Month, l.Currency, l.Amount, l.Tax, l.MicrosoftCost, l.ResellerCost })
            .ToListAsync(cancellationToken);
        return found
            .Select(l => l.ProductId == InvoiceLine.ItemProductId ? l with { ProductName = "One-off items" } : l)
            .Where(l => l.PartnerId == viewerId || l.ResellerCost is not null)
            .Select(l => l.PartnerId == viewerId
                ? new Sale(l.InvoiceId, l.PartnerId, l.CustomerId, l.ProductId, l.ProductName, l.Month, l.Currency, l.Amount, l.ResellerCost ?? l.MicrosoftCost, l.Tax)
                : new Sale(l.InvoiceId, l.PartnerId, l.CustomerId, l.ProductId, l.ProductName, l.Month, l.Currency, l.ResellerCost!.Value, l.MicrosoftCost, 0m))
            .ToList();
    }
}
