using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Billing;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// One Azure plan subscription's usage in a month as the files imported so far state it (<see cref="Cost"/>, the sum of
/// Microsoft's <c>BillingPreTaxTotal</c>), and what invoice lines already billed of it. <see cref="Subscription"/> is null
/// when the platform does not know the subscription the file names.
/// </summary>
public sealed record MonthUsage(Customer Customer, Subscription? Subscription, string MicrosoftSubscriptionId, decimal Cost, BilledPart Billed);

/// <summary>The month's usage of some customers; <see cref="ImportedTo"/> is the last day the imported files reach.</summary>
public sealed record UsageOfMonth(IReadOnlyList<MonthUsage> Usage, DateOnly? ImportedTo)
{
    /// <summary>The files reach the month's last day: its usage can be billed.</summary>
    public bool Complete(BillingPeriod month) => ImportedTo >= month.End;
}

/// <summary>
/// The Azure usage a seller invoices its customers for, from the daily usage totals imported (<c>POST /api/usage-imports</c>)
/// by the seller or, for a reseller, by its distributor (Microsoft bills the distributor for the reseller's customers).
/// </summary>
/// <remarks>
/// The same day can be in several files (the unbilled file during the month, the billed one after): each subscription's day
/// counts once, from the file imported last, as the usage report counts it (<see cref="ImportedUsage.LatestOfEachDay"/>).
/// Only the seller's own customers' usage is read, matched by their customer tenant id, the id Microsoft's file names them
/// by: the partner filter is set aside for the imports only because a distributor's import is not its reseller's to see,
/// while the reseller's customers in it are.
/// </remarks>
public static class AzureUsage
{
    /// <summary>The seller's customers with usage imported in <paramref name="month"/>, in id order.</summary>
    public static Task<List<Guid>> CustomersAsync(CommerceDb db, Partner seller, BillingPeriod month, CancellationToken cancellationToken)
    {
        var imports = Imports(db, seller, month).Select(i => i.Id);
        return db.UsageImportSubscriptions.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Where(s => imports.Contains(s.UsageImportId))
            .Join(db.Customers.Where(c => c.PartnerId == seller.Id), s => s.CustomerTenantId, c => c.CustomerTenantId, (s, c) => c.Id)
            .Distinct()
            .OrderBy(id => id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The month's usage of the seller's customers named, per subscription, with what was billed of it.</summary>
    public static async Task<UsageOfMonth> OfCustomersAsync(CommerceDb db, Partner seller, BillingPeriod month, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken)
    {
        var imports = await Imports(db, seller, month).Select(i => new { i.Id, i.ImportedAt, i.LastUsageDate }).ToListAsync(cancellationToken);
        var customers = await db.Customers.AsNoTracking().Where(c => c.PartnerId == seller.Id && customerIds.Contains(c.Id)).ToListAsync(cancellationToken);
        if (imports.Count == 0 || customers.Count == 0)
        {
            return new UsageOfMonth([], imports.Max(i => i.LastUsageDate));
        }

        var importIds = imports.Select(i => i.Id).ToList();
        var importedAt = imports.ToDictionary(i => i.Id, i => i.ImportedAt);
        var byTenant = customers.ToDictionary(c => c.CustomerTenantId);
        var tenants = byTenant.Keys.ToList();
        var days = await db.UsageImportSubscriptions.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Where(s => importIds.Contains(s.UsageImportId) && tenants.Contains(s.CustomerTenantId))
            .Join(
                db.DailyUsageTotals.Where(t => t.UsageDate >= month.Start && t.UsageDate <= month.End),
                s => new { s.UsageImportId, s.Number },
                t => new { t.UsageImportId, Number = t.SubscriptionNumber },
                (s, t) => new { s.CustomerTenantId, s.SubscriptionId, t.UsageDate, t.BillingPreTaxTotal, t.UsageImportId })
            .ToListAsync(cancellationToken);

        var ids = customers.Select(c => c.Id).ToList();
        var plans = (await db.Subscriptions.AsNoTracking().Where(s => s.Term == null && ids.Contains(s.CustomerId)).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.CustomerId, s.MicrosoftSubscriptionId));
        var billed = (await db.InvoiceLines
                .Where(l => l.PartnerId == seller.Id && l.Month == month.Start && l.Kind == InvoiceLineKind.Usage && l.ReversesLineId == null && ids.Contains(l.CustomerId))
                .Select(l => new { l.CustomerId, l.MicrosoftSubscriptionId, l.MicrosoftSubtotal, l.MicrosoftCost, l.Amount, l.ResellerCost })
                .ToListAsync(cancellationToken))
            .GroupBy(l => (l.CustomerId, l.MicrosoftSubscriptionId))
            .ToDictionary(
                g => g.Key,
                g => new BilledPart(g.Count(), g.Sum(l => l.MicrosoftSubtotal), g.Sum(l => l.MicrosoftCost), g.Sum(l => l.Amount), g.Any(l => l.ResellerCost is not null) ? g.Sum(l => l.ResellerCost ?? 0m) : null));

        var usage = ImportedUsage.LatestOfEachDay(days, d => (d.SubscriptionId, d.UsageDate), d => (importedAt[d.UsageImportId], d.UsageImportId))
            .GroupBy(d => (d.CustomerTenantId, d.SubscriptionId))
            .Select(s =>
            {
                var customer = byTenant[s.Key.CustomerTenantId];
                var id = s.Key.SubscriptionId.ToString();
                return new MonthUsage(
                    customer, plans.GetValueOrDefault((customer.Id, s.Key.SubscriptionId)), id, s.Sum(d => d.BillingPreTaxTotal), billed.GetValueOrDefault((customer.Id, id), BilledPart.None));
            })
            .OrderBy(u => u.Customer.Id).ThenBy(u => u.MicrosoftSubscriptionId, StringComparer.Ordinal)
            .ToList();
        return new UsageOfMonth(usage, imports.Max(i => i.LastUsageDate));
    }

    /// <summary>The usage files of the seller (or its distributor) whose days reach into the month; not the seller's scope's, as a distributor's import is not its reseller's to see.</summary>
    private static IQueryable<UsageImport> Imports(CommerceDb db, Partner seller, BillingPeriod month)
    {
        Guid[] importers = seller.ParentPartnerId is { } distributor ? [seller.Id, distributor] : [seller.Id];
        return db.UsageImports.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(i => importers.Contains(i.PartnerId) && i.FirstUsageDate <= month.End && i.LastUsageDate >= month.Start);
    }
}
