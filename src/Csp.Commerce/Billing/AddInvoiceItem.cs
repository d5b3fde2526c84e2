using System.Globalization;
using Csp.Commerce.Pricing;
using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>A one-off item as entered: <see cref="Quantity"/> × <see cref="UnitPrice"/> to the customer, costing the seller <see cref="UnitCost"/> each.</summary>
public sealed record InvoiceItem(string Description, int Quantity, decimal UnitPrice, decimal UnitCost);

/// <summary>The draft a one-off item was added to, and its line.</summary>
public sealed record AddedItemView(InvoiceView Invoice, InvoiceLineView Line);

/// <summary>
/// Adds a one-off item (a set-up fee, a workshop, a hardware pass-through) to a customer's draft invoice for a month, in the
/// customer's invoice currency and taxed as its invoices are; the draft is made when there is none (a month whose invoice
/// was issued gets a second). The line is rounded once, as every line is; the item's cost counts in the margin report. Never
/// edited: a wrong item is credited like any line of an issued invoice, or the draft's line reversed by a credit note.
/// </summary>
public static class AddInvoiceItem
{
    public const int MaxDescription = 200;

    public const int MaxQuantity = 100_000;

    /// <summary>The largest unit price or cost: a billion in the invoice's currency.</summary>
    public const decimal MaxUnitAmount = 1_000_000_000m;

    /// <summary>How far ahead a month may be billed: a year.</summary>
    public const int MonthsAhead = 12;

    public static async Task<Result<AddedItemView>> RunAsync(CommerceDb db, Guid customerId, BillingPeriod month, InvoiceItem item, string addedBy, TimeProvider time, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("customer", customerId);
        }

        var now = time.GetUtcNow();
        var description = item.Description?.Trim() ?? "";
        var currency = Currency.FromCode(customer.InvoicedIn).Value;
        var thisMonth = BillingPeriod.Month(BillingClock.MicrosoftDay(now)).Start;
        var problem = description switch
        {
            "" => Error.InvalidParameter("description", "description: what the item is, as the invoice will say it, is required."),
            { Length: > MaxDescription } => Error.InvalidParameter("description", $"description: at most {MaxDescription} characters."),
            _ when description.Any(char.IsControl) => Error.InvalidParameter("description", "description: one line of text, without control characters."),
            _ when item.Quantity is < 1 or > MaxQuantity => Error.InvalidParameter("quantity", $"quantity: from 1 to {MaxQuantity:N0}."),
            _ when Math.Abs(item.UnitPrice) > MaxUnitAmount || Math.Round(item.UnitPrice, currency.MinorUnits + 2) != item.UnitPrice => Error.InvalidParameter(
                "unitPrice", $"unitPrice: at most {MaxUnitAmount:N0} either way, to at most {currency.MinorUnits + 2} decimals in {currency.Code}; negative for a discount."),
            _ when item.UnitCost is < 0 or > MaxUnitAmount || Math.Round(item.UnitCost, currency.MinorUnits + 2) != item.UnitCost => Error.InvalidParameter(
                "unitCost", $"unitCost: from 0 to {MaxUnitAmount:N0}, to at most {currency.MinorUnits + 2} decimals in {currency.Code}."),
            _ when month.Start > thisMonth.AddMonths(MonthsAhead) => Error.InvalidParameter("month", $"month: at most {MonthsAhead} months ahead, {thisMonth.AddMonths(MonthsAhead):yyyy-MM}."),
            _ => null,
        };
        if (problem is not null)
        {
            return problem;
        }

        var rates = await db.TaxRates.Where(r => r.PartnerId == customer.PartnerId).ToListAsync(cancellationToken);
        var tax = SetTaxRate.TreatmentOf(customer, rates, month.Start);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerTurn.TakeAsync(db, customer.PartnerId, cancellationToken);
        var draft = await db.Invoices
            .Where(i => i.PartnerId == customer.PartnerId && i.CustomerId == customer.Id && i.Month == month.Start && i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Draft && i.Currency == currency.Code)
            .OrderBy(i => i.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (draft is null)
        {
            draft = new CustomerInvoice(Guid.CreateVersion7(now), customer.PartnerId, customer.Id, InvoiceKind.Invoice, month.Start, currency.Code, tax, now);
            db.Invoices.Add(draft);
        }

        var amount = new Money(item.UnitPrice * item.Quantity, currency).Round(Rounding.CustomerInvoiceLine);
        var cost = new Money(item.UnitCost * item.Quantity, currency).Round(Rounding.CustomerInvoiceLine);
        var lineTax = (amount * (draft.TaxPercent / 100m)).Round(Rounding.Tax);
        var explanation = string.Create(
            CultureInfo.InvariantCulture,
            $"One-off item added by {addedBy}: {item.Quantity} × {item.UnitPrice:0.##########} {currency.Code}, costing {item.Quantity} × {item.UnitCost:0.##########} {currency.Code}.");
        var line = InvoiceLine.Item(Guid.CreateVersion7(now), draft, description, BillingClock.MicrosoftDay(now), item.Quantity, item.UnitPrice, amount.Amount, cost.Amount, lineTax.Amount, explanation);
        db.InvoiceLines.Add(line);
        draft.Add(line);
        await SalesTotals.CountAsync(db, [line], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AddedItemView(InvoiceView.Of(draft, customer.Name, BillingClock.MicrosoftDay(now)), InvoiceLineView.Of(line, customer.PartnerId));
    }
}
