using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Reconciliations;

/// <summary>A subscription whose history the charge engine refused, so that nothing is expected for it until it is looked at.</summary>
public sealed record ParkedSubscription(Guid SubscriptionId, Guid MicrosoftSubscriptionId, string Code, string Problem);

/// <summary>The shadow invoice of a month: the lines Microsoft is expected to post, and the subscriptions parked.</summary>
public sealed record ExpectedMonth(BillingPeriod Month, IReadOnlyList<ReconLine> Lines, IReadOnlyList<ParkedSubscription> Parked);

/// <summary>
/// Derives what Microsoft will charge in a billing month from the platform's own subscription history: each licence
/// subscription the caller can see becomes a <see cref="ChargeHistory"/> for the charge engine.
/// </summary>
/// <remarks>
/// Dates are taken in UTC, as Microsoft's reconciliation files state them. Each subscription runs on its own, so one
/// history the engine refuses parks that subscription (Kill Bill's "park the account") instead of the whole month.
/// Subscription ids are Microsoft's and customer ids the customer tenant ids, as in Microsoft's file.
/// </remarks>
public static class ExpectedCharges
{
    /// <summary>The kinds of event the charge engine replays; the others (renewals, EST entry) it derives itself.</summary>
    public static readonly SubscriptionEventKind[] Replayed =
    [
        SubscriptionEventKind.Purchased, SubscriptionEventKind.QuantityChanged, SubscriptionEventKind.EndOfTermChanged, SubscriptionEventKind.StatusChanged,
        SubscriptionEventKind.RenewalScheduled,
    ];

    public static async Task<ExpectedMonth> ForMonthAsync(CommerceDb db, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken)
    {
        var subscriptions = await db.Subscriptions
            .Where(s => s.Term != null && s.StartDate <= month.End && s.Status != SubscriptionStatus.Pending)
            .OrderBy(s => s.Id)
            .ToListAsync(cancellationToken);
        var ids = subscriptions.Select(s => s.Id).ToList();
        var customerIds = subscriptions.Select(s => s.CustomerId).Distinct().ToList();
        var history = (await db.SubscriptionEvents
                .Where(e => ids.Contains(e.SubscriptionId) && Replayed.Contains(e.Kind))
                .OrderBy(e => e.Id)
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.SubscriptionId);
        var customers = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var prices = await PriceList.LoadAsync(db, subscriptions, customers.Values, cancellationToken);

        var lines = new List<ReconLine>();
        var parked = new List<ParkedSubscription>();
        foreach (var subscription in subscriptions)
        {
            var customer = customers[subscription.CustomerId];
            var charges = ChargeEngine.Run(HistoryOf(subscription, history[subscription.Id], customer, month.End, prices), rules.ForCheckedChanges());
            if (charges.IsSuccess)
            {
                lines.AddRange(ShadowInvoice.For(charges.Value, month, customer.CustomerTenantId.ToString()));
            }
            else
            {
                parked.Add(new ParkedSubscription(subscription.Id, subscription.MicrosoftSubscriptionId, charges.Error.Code, charges.Error.Message));
            }
        }

        return new ExpectedMonth(month, lines, parked);
    }

    /// <summary>A first term that ends earlier than the calendar's: bought coterminous with other subscriptions.</summary>
    private static DateOnly? CustomTermEnd(Subscription s) =>
        s is { Term: { } term, TermEndDate: { } end, IsTrial: false } && s.TermStartDate == s.StartDate && end < NceCalendar.EndDate(s.StartDate, term) ? end : null;

    /// <summary>
    /// A licence subscription's history for the charge engine, charged through <paramref name="through"/>: as bought, the
    /// confirmed events up to that day, then <paramref name="planned"/> (a change being previewed).
    /// </summary>
    /// <param name="monthlyPriceOn">The day whose monthly-term price an Extended Service Term is billed at (<paramref name="through"/> by default).</param>
    public static ChargeHistory HistoryOf(
        Subscription s, IEnumerable<SubscriptionEvent> events, Customer customer, DateOnly through, PriceList prices, IEnumerable<SubscriptionChange>? planned = null, DateOnly? monthlyPriceOn = null)
    {
        var id = s.MicrosoftSubscriptionId.ToString();
        var currency = Currency.FromCode(s.Currency).Value;
        var replayed = events.Where(e => Replayed.Contains(e.Kind)).OrderBy(e => e.Id).ToList();
        var initial = replayed.FirstOrDefault(e => e.Kind == SubscriptionEventKind.Purchased)?.QuantityAfter ?? s.Quantity;
        var monthly = prices.MonthlyTermPrice(s.ProductId, s.SkuId, s.AvailabilityId, customer, monthlyPriceOn ?? through);

        var bought = new PurchasedSubscription(
            id, s.ProductId, s.SkuId, s.FriendlyName, new Money(s.UnitPrice, currency), s.Term!.Value, s.BillingPlan, s.StartDate, initial,
            s.IsTrial, EndOfTerm.Renew, monthly, s.PromotionId, CustomTermEnd(s));

        var changes = new List<SubscriptionChange>();
        foreach (var e in replayed)
        {
            var day = BillingClock.DateIn(e.OccurredAt, null);
            SubscriptionChange? change = e.Kind switch
            {
                SubscriptionEventKind.QuantityChanged when e.QuantityAfter is { } quantity => new ChangeQuantity(day, id, quantity),

                // Auto-renew turned off without a decision is the path into EST.
                SubscriptionEventKind.EndOfTermChanged => new SetEndOfTerm(day, id, e.EndOfTermAfter ?? EndOfTerm.Est),
                SubscriptionEventKind.StatusChanged => e.StatusAfter switch
                {
                    SubscriptionStatus.Suspended => new Suspend(day, id),
                    SubscriptionStatus.Active => new Reactivate(day, id),
                    SubscriptionStatus.Deleted => new Cancel(day, id),
                    _ => null,
                },
                SubscriptionEventKind.RenewalScheduled => new ScheduleNextTerm(day, id, e.ScheduledRenewalAfter is { } next ? NextTermOf(s, next, customer, prices, s.TermEndDate!.Value.AddDays(1)) : null),
                _ => null,
            };
            if (change is not null && day <= through)
            {
                changes.Add(change);
            }
        }

        changes.AddRange(planned ?? []);
        return new ChargeHistory(currency, through, [bought], changes);
    }

    /// <summary>The next term as scheduled, at the price list's price on <paramref name="renewalDay"/> (the old price when none is listed).</summary>
    public static NextTerm NextTermOf(Subscription s, RenewalSchedule next, Customer customer, PriceList prices, DateOnly renewalDay)
    {
        var price = prices.UnitPrice(next.ProductId, next.SkuId, next.AvailabilityId, customer, next.Term, next.BillingPlan, renewalDay) ?? s.UnitPrice;
        return new NextTerm(next.ProductId, next.SkuId, s.FriendlyName, next.Term, next.BillingPlan, next.Quantity, new Money(price, Currency.FromCode(s.Currency).Value));
    }
}
