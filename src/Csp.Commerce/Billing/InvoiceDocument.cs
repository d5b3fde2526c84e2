using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>Everything an invoice shows: the invoice, its lines in order, the customer, and the issuing partner and its branding.</summary>
public sealed record InvoiceDocument(CustomerInvoice Invoice, IReadOnlyList<InvoiceLine> Lines, Customer Customer, Partner Issuer, PartnerBranding? Branding)
{
    public int MinorUnits => Currency.FromCode(Invoice.Currency).Value.MinorUnits;

    /// <summary>A file name for the invoice: its number, or <c>draft-</c> and its id.</summary>
    public string FileName(string extension) => $"{Invoice.Number ?? $"draft-{Invoice.Id}"}.{extension}";

    public static async Task<Result<InvoiceDocument>> LoadAsync(CommerceDb db, Guid invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
        {
            return Error.NotFound("invoice", invoiceId);
        }

        var lines = await db.InvoiceLines.Where(l => l.InvoiceId == invoiceId).OrderBy(l => l.ChargeStartDate).ThenBy(l => l.ProductName).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var customer = await db.Customers.FirstAsync(c => c.Id == invoice.CustomerId, cancellationToken);
        var issuer = await db.Partners.FirstAsync(p => p.Id == invoice.PartnerId, cancellationToken);
        var branding = await db.Brandings.FirstOrDefaultAsync(b => b.PartnerId == invoice.PartnerId, cancellationToken);
        return new InvoiceDocument(invoice, lines, customer, issuer, branding);
    }
}
