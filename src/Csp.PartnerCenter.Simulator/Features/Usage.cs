using Csp.Domain;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Simulator.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Daily rated usage of the Azure plan subscriptions (<see cref="SimulatorUsage"/>), and the invoice lines it becomes:
/// one per subscription and meter for the month.
/// </summary>
public static class Usage
{
    /// <summary>
    /// The usage rated from <paramref name="from"/> to <paramref name="to"/> (inclusive, and never later than yesterday on
    /// the simulator's clock) in <paramref name="currency"/>, or every currency when null; by subscription, day and meter.
    /// </summary>
    public static async Task<List<DailyRatedUsageLine>> LinesAsync(
        SimulatorDb db, DateOnly from, DateOnly to, string? currency, DateOnly today, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var last = to < today ? to : today.AddDays(-1);
        var plans = await db.Subscriptions.Where(s => s.IsUsage && s.Status != Csp.Domain.Subscriptions.SubscriptionStatus.Pending).ToListAsync(cancellationToken);
        var customers = await db.Customers.ToDictionaryAsync(c => c.Id, cancellationToken);
        var ids = plans.Select(p => p.Id).ToList();
        var spikes = (await db.UsageSpikes.Where(u => ids.Contains(u.SubscriptionId)).ToListAsync(cancellationToken)).ToDictionary(u => (u.SubscriptionId, u.UsageDate), u => u.Factor);
        var lines = new List<DailyRatedUsageLine>();
        foreach (var plan in plans.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id))
        {
            var customer = customers[plan.CustomerId];
            if (currency is not null && customer.Currency != currency)
            {
                continue;
            }

            var start = BillingClock.MicrosoftDay(plan.CreatedAt);
            for (var day = start > from ? start : from; day <= last; day = day.AddDays(1))
            {
                lines.AddRange(SimulatorUsage.For(plan, customer, options.PartnerTenantId, day, spikes.GetValueOrDefault((plan.Id, day), 1m)));
            }
        }

        return lines;
    }

    /// <summary>
    /// The invoice lines of a month's usage: one per subscription and meter, billed as
    /// <c>ROUNDDOWN(ROUNDDOWN(EffectiveUnitPrice × BillableQuantity, 2) × PCToBCExchangeRate, 2)</c> with prices already in
    /// the billing currency (rate 1).
    /// </summary>
    public static IEnumerable<ReconLine> InvoiceLines(IEnumerable<DailyRatedUsageLine> usage, BillingPeriod month) =>
        usage.GroupBy(u => (u.CustomerId, u.SubscriptionId, u.MeterId)).Select(meter =>
        {
            var first = meter.First();
            var quantity = meter.Sum(u => u.Quantity);
            // Microsoft's formula truncates to two decimals, twice (the rate is 1: prices are in the billing currency).
            var subtotal = Math.Round(Math.Round(first.EffectiveUnitPrice * quantity, 2, Rounding.InvoiceLine) * 1m, 2, Rounding.InvoiceLine);
            return new ReconLine(
                0, month.Start, first.CustomerId.ToString(), first.SubscriptionId.ToString(), first.OtherColumns["ProductId"], first.OtherColumns["SkuId"], "Azure plan", "new",
                first.UnitPrice, quantity, quantity, first.EffectiveUnitPrice, subtotal, subtotal, first.BillingCurrency, month.Start, month.End, null, null,
                $"{first.SubscriptionId:N}-{first.MeterId:N}", null,
                new Dictionary<string, string>
                {
                    ["MeterId"] = first.MeterId.ToString(),
                    ["MeterCategory"] = first.MeterCategory,
                    ["UnitType"] = first.UnitOfMeasure,
                    ["PCToBCExchangeRate"] = "1",
                    ["PricingCurrency"] = first.BillingCurrency,
                    ["PublisherName"] = "Microsoft",
                });
        });
}
