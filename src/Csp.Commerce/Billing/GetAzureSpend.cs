using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// One Azure plan subscription's month at the customer's price, before tax: <see cref="Amount"/> null when its seller has
/// no price for it yet (no margin rule reaches it, or the platform does not know the subscription); invoiced once a
/// billing run has put the whole of it on an invoice.
/// </summary>
public sealed record AzureSpendLine(string MicrosoftSubscriptionId, string Name, decimal? Amount, string Currency, bool Invoiced);

/// <summary>A month's spend in one currency.</summary>
public sealed record SpendTotal(string Currency, decimal Amount);

/// <summary>
/// A month of a customer's Azure spend. <see cref="UsageTo"/> is the last day the usage files imported reach when they
/// do not reach the month's end: the month so far.
/// </summary>
public sealed record AzureSpendMonth(string Month, IReadOnlyList<SpendTotal> Totals, DateOnly? UsageTo, IReadOnlyList<AzureSpendLine> Subscriptions);

/// <summary>
/// A customer's Azure spend at its own price, month by month, newest first: each Azure plan subscription's usage imported
/// so far (<see cref="AzureUsage"/>), priced as its invoice prices it (<see cref="ProposedInvoices.PriceOfMonth"/>, the
/// seller's margin rules, as a billing run does). What Microsoft charges the seller is not in it: the customer's portal
/// shows it.
/// </summary>
public static class GetAzureSpend
{
    /// <summary>The months shown: this one and the two before.</summary>
    public const int Months = 3;

    public static async Task<Result<IReadOnlyList<AzureSpendMonth>>> RunAsync(CommerceDb db, Guid customerId, DateOnly today, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("customer", customerId);
        }

        var partner = await db.Partners.AsNoTracking().FirstAsync(p => p.Id == customer.PartnerId, cancellationToken);
        var spend = new List<AzureSpendMonth>();
        SellerPrices? prices = null;
        for (var back = 0; back < Months; back++)
        {
            var month = BillingPeriod.Month(today.AddMonths(-back));
            var usage = await AzureUsage.OfCustomersAsync(db, partner, month, [customer.Id], cancellationToken);
            if (usage.Usage.Count == 0)
            {
                continue;
            }

            // The seller's rules, rates and tax rates hold for every month (each dated within): read once, and only for usage.
            prices ??= await SellerPrices.LoadAsync(db, customer.PartnerId, month, cancellationToken);
            var seller = prices! with { Month = month };
            var lines = usage.Usage.Select(u =>
            {
                var price = ProposedInvoices.PriceOfMonth(seller, u);
                return new AzureSpendLine(
                    u.MicrosoftSubscriptionId,
                    u.Subscription?.FriendlyName ?? "Azure plan",
                    price.IsSuccess ? price.Value.Amount.Amount : null,
                    price.IsSuccess ? price.Value.Amount.Currency.Code : u.Subscription?.Currency ?? customer.Currency,
                    price.IsSuccess && usage.Complete(month) && u.Billed.Lines > 0 && price.Value.Less(u.Billed) is null);
            }).ToList();
            spend.Add(new AzureSpendMonth(
                $"{month.Start:yyyy-MM}",
                lines.Where(l => l.Amount is not null).GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new SpendTotal(g.Key, g.Sum(l => l.Amount!.Value))).ToList(),
                usage.Complete(month) ? null : usage.ImportedTo,
                lines));
        }

        return spend;
    }
}
