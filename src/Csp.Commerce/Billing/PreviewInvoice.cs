using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>A customer's month before the next billing run: what is on its invoices already and what the run would add.</summary>
public sealed record InvoicePreview(
    Guid CustomerId,
    string CustomerName,
    string Month,
    string Currency,
    IReadOnlyList<CurrencyTotal> Billed,
    IReadOnlyList<CurrencyTotal> ToAdd,
    IReadOnlyList<ProposedLineView> Lines,
    IReadOnlyList<UnpricedCharge> Unpriced);

/// <summary>One charge at the customer's price, and whether a billing run has put it on an invoice yet.</summary>
public sealed record ProposedLineView(
    string ChargeKey, bool Billed, InvoiceLineKind Kind, ChargeType ChargeType, string ProductName, string MicrosoftSubscriptionId, DateOnly ChargeStartDate, DateOnly ChargeEndDate, int BillableQuantity,
    decimal UnitPrice, decimal Amount, decimal Tax, decimal Cost, string Explanation);

/// <summary>
/// One customer's invoice for a month as the margin rules make it today: every charge of the month at the customer's price,
/// those already billed marked, with the reason for each price. Writes nothing: a rule being considered can be previewed
/// by adding it with a future date and asking for that month.
/// </summary>
public static class PreviewInvoice
{
    public static async Task<Result<InvoicePreview>> RunAsync(CommerceDb db, Guid customerId, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("customer", customerId);
        }

        var proposed = await ProposedInvoices.ComputeAsync(db, customer.PartnerId, month, rules, customerId, cancellationToken);
        if (!proposed.IsSuccess)
        {
            return proposed.Error;
        }

        var lines = proposed.Value.Lines;
        return new InvoicePreview(
            customer.Id,
            customer.Name,
            $"{month.Start:yyyy-MM}",
            customer.InvoicedIn,
            RunBilling.Totals(lines.Where(l => l.Billed).Select(l => l.Charge)),
            RunBilling.Totals(lines.Where(l => !l.Billed).Select(l => l.Charge)),
            lines.Select(l => new ProposedLineView(
                l.ChargeKey, l.Billed, l.Kind, l.Charge.Charge.ChargeType, l.Charge.Charge.ProductName, l.Charge.Charge.SubscriptionId, l.Charge.Charge.ChargeStartDate, l.Charge.Charge.ChargeEndDate,
                l.Charge.Charge.BillableQuantity, l.Charge.UnitPrice.Amount, l.Charge.Amount.Amount, l.Charge.Tax.Amount, (l.Charge.ResellerCost ?? l.Charge.MicrosoftCost).Amount, l.Charge.Price.Tiers[^1].Explanation)).ToList(),
            proposed.Value.Unpriced);
    }
}
