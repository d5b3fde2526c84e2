using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// What makes a second billing run of a month cheap: a customer whose month a run billed whole is marked with what its
/// charges were made from (<see cref="BilledCustomerMonth"/>), and later runs skip it while that is unchanged.
/// </summary>
/// <remarks>
/// A charge's key, and so whether a run adds it, depends only on the customer's subscriptions (their rows and their events)
/// and the charge engine's rules; prices, margin rules and tax change a line's amount, never which lines there are — a
/// billed month is re-rated for those (<see cref="RerateMonth"/>), never re-billed. Every save that changes a subscription
/// counts a <see cref="Subscription.Revision"/> and events are only ever added, so the fingerprint — per customer, its
/// subscriptions, their revisions and their events, counted by the database — changes whenever anything a charge is made
/// from does. It is taken before the month is read, so a change made while a run reads is billed by that run or the next,
/// never skipped. A customer with a charge unpriced or a subscription parked is not marked: the next run looks again.
/// </remarks>
public static class BilledMonths
{
    /// <summary>
    /// What the charges in <paramref name="month"/> of each of the owner's customers with subscriptions that may be charged
    /// in it are made from now.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> FingerprintsAsync(CommerceDb db, Guid ownerId, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken)
    {
        var charged = ExpectedCharges.Charged(db, month, ownerId, null);
        var subscriptions = await charged
            .GroupBy(s => s.CustomerId)
            .Select(g => new { Customer = g.Key, Count = g.Count(), Revisions = g.Sum(s => s.Revision) })
            .ToListAsync(cancellationToken);
        // The events are the subscriptions', which the partner filter has scoped: set aside on them, it would have each event
        // read from its row to check its partner instead of counted from the index on the subscription.
        var events = await db.SubscriptionEvents.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Join(charged, e => e.SubscriptionId, s => s.Id, (e, s) => s.CustomerId)
            .GroupBy(customer => customer)
            .Select(g => new { Customer = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Customer, g => g.Count, cancellationToken);
        var engine = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rules.ToString())))[..16];
        return subscriptions.ToDictionary(
            s => s.Customer,
            s => string.Create(CultureInfo.InvariantCulture, $"{s.Count}/{s.Revisions}/{events.GetValueOrDefault(s.Customer)}/{engine}"));
    }

    /// <summary>The customers of the owner whose month is marked billed with the fingerprint they have now, and their marks.</summary>
    public static async Task<Dictionary<Guid, BilledCustomerMonth>> UnchangedAsync(CommerceDb db, Guid ownerId, BillingPeriod month, IReadOnlyDictionary<Guid, string> fingerprints, CancellationToken cancellationToken) =>
        (await db.BilledCustomerMonths.AsNoTracking().Where(b => b.PartnerId == ownerId && b.Month == month.Start).ToListAsync(cancellationToken))
        .Where(b => fingerprints.TryGetValue(b.CustomerId, out var now) && now == b.Fingerprint)
        .ToDictionary(b => b.CustomerId);

    /// <summary>
    /// Marks the customers of a page just billed (<paramref name="priced"/>) in the page's transaction: each whose every charge
    /// was priced and none of whose subscriptions was parked, with <paramref name="fingerprints"/>; any earlier mark of the
    /// page's customers is replaced.
    /// </summary>
    public static async Task MarkAsync(
        CommerceDb db, ProposedBilling priced, IReadOnlyCollection<Guid> customers, IReadOnlyDictionary<Guid, string> fingerprints, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (partnerId, month) = (priced.Partner.Id, priced.Month.Start);
        await db.BilledCustomerMonths.Where(b => b.PartnerId == partnerId && b.Month == month && customers.Contains(b.CustomerId)).ExecuteDeleteAsync(cancellationToken);
        var incomplete = priced.Unpriced.Select(u => u.CustomerId).ToHashSet();
        if (priced.Parked.Count > 0)
        {
            var parked = priced.Parked.Select(p => p.SubscriptionId).Distinct().ToList();
            incomplete.UnionWith(await db.Subscriptions.Where(s => parked.Contains(s.Id)).Select(s => s.CustomerId).ToListAsync(cancellationToken));
        }

        var lines = priced.Lines.Where(l => l.Kind == InvoiceLineKind.Licence).GroupBy(l => l.Customer.Id).ToDictionary(g => g.Key, g => g.Count());
        var marks = customers
            .Where(c => !incomplete.Contains(c) && fingerprints.ContainsKey(c))
            .Select(c => new BilledCustomerMonth(partnerId, month, c, fingerprints[c], lines.GetValueOrDefault(c), now))
            .ToList();
        await BulkInsert.WriteAsync(db, marks, cancellationToken);
    }
}
