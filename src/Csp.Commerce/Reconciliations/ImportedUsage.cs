using Csp.Data;
using Csp.Domain;
using Csp.Domain.Reconciliation;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>The Azure usage the invoice of a month must bill, and which subscriptions are billed by usage.</summary>
/// <param name="AzureSubscriptionIds">Microsoft's ids of the Azure plans: the platform's, and any with usage imported.</param>
public sealed record UsageMonth(IReadOnlyList<SubscriptionUsage> Usage, IReadOnlySet<string> AzureSubscriptionIds);

/// <summary>
/// The month's Azure usage per subscription, from the daily totals of the usage files imported so far.
/// </summary>
/// <remarks>
/// The same day can be in several files — the unbilled file during the month, the billed one after — so each
/// subscription's day counts once, from the file imported last; files are never added together. Only the imports whose
/// days reach into the month are read.
/// </remarks>
public static class ImportedUsage
{
    public static async Task<UsageMonth> ForMonthAsync(CommerceDb db, BillingPeriod month, CancellationToken cancellationToken)
    {
        var imports = await db.UsageImports
            .Where(i => i.FirstUsageDate <= month.End && i.LastUsageDate >= month.Start)
            .ToDictionaryAsync(i => i.Id, i => i.ImportedAt, cancellationToken);
        var importIds = imports.Keys.ToList();
        var totals = await db.DailyUsageTotals
            .Where(t => importIds.Contains(t.UsageImportId) && t.UsageDate >= month.Start && t.UsageDate <= month.End)
            .Join(
                db.UsageImportSubscriptions,
                t => new { t.UsageImportId, Number = t.SubscriptionNumber },
                s => new { s.UsageImportId, s.Number },
                (t, s) => new { s.CustomerTenantId, s.SubscriptionId, t.UsageDate, t.Quantity, t.BillingPreTaxTotal, t.UsageImportId })
            .ToListAsync(cancellationToken);
        var days = totals.Select(t => new { t.CustomerTenantId, t.SubscriptionId, t.UsageDate, t.Quantity, t.BillingPreTaxTotal, ImportedAt = imports[t.UsageImportId], Id = t.UsageImportId });
        var plans = await db.Subscriptions
            .Where(s => s.Term == null)
            .Join(db.Customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.MicrosoftSubscriptionId, c.CustomerTenantId, s.Currency })
            .ToListAsync(cancellationToken);
        var currencies = plans.ToDictionary(p => p.MicrosoftSubscriptionId, p => p.Currency);

        var usage = LatestOfEachDay(days, d => (d.SubscriptionId, d.UsageDate), d => (d.ImportedAt, d.Id))
            .GroupBy(d => (d.CustomerTenantId, d.SubscriptionId))
            .Select(s => new SubscriptionUsage(
                s.Key.CustomerTenantId.ToString(), s.Key.SubscriptionId.ToString(), s.Sum(d => d.Quantity), s.Sum(d => d.BillingPreTaxTotal),
                currencies.GetValueOrDefault(s.Key.SubscriptionId, ""), s.Count()))
            .ToList();
        var ids = plans.Select(p => p.MicrosoftSubscriptionId.ToString()).Concat(usage.Select(u => u.SubscriptionId)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new UsageMonth(usage, ids);
    }

    /// <summary>
    /// Of daily totals read from several files, each subscription's day once: from the file imported last (the import's id
    /// breaking a tie). The usage report and the customer invoices' usage count a day alike.
    /// </summary>
    public static IEnumerable<T> LatestOfEachDay<T>(IEnumerable<T> days, Func<T, (Guid Subscription, DateOnly Day)> day, Func<T, (DateTimeOffset ImportedAt, Guid ImportId)> file) =>
        days.GroupBy(day).Select(same => same.MaxBy(file)!);
}
