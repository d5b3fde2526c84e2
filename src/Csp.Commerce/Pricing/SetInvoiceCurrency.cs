using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Pricing;

/// <summary>The currency Microsoft charges a customer in and the one its invoices are in.</summary>
public sealed record CustomerCurrencyView(Guid CustomerId, string MicrosoftCurrency, string InvoiceCurrency);

/// <summary>
/// The currency a customer is invoiced in: Microsoft's (its market's) unless the partner chooses another, in which case
/// each charge is converted at the partner's exchange rate in force on its order date. Lines already billed keep theirs; a
/// draft in the old currency keeps its lines and the next run starts a draft in the new one.
/// </summary>
public static class SetInvoiceCurrency
{
    public static async Task<Result<CustomerCurrencyView>> RunAsync(CommerceDb db, Guid customerId, string currency, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("customer", customerId);
        }

        var code = Currency.FromCode(currency?.Trim());
        if (!code.IsSuccess)
        {
            return Error.InvalidParameter("currency", $"currency: '{currency}' is not an ISO 4217 code this platform supports.");
        }

        customer.InvoiceIn(code.Value.Code);
        await db.SaveChangesAsync(cancellationToken);
        return new CustomerCurrencyView(customer.Id, customer.Currency, customer.InvoicedIn);
    }
}
