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
    private static readonly SubscriptionEventKind[] Replayed =
        [SubscriptionEventKind.Purchased, SubscriptionEventKind.QuantityChanged, SubscriptionEventKind.EndOfTermChanged, SubscriptionEventKind.StatusChanged];

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
        var monthlyTermPrices = await db.Prices.Where(p => p.Term == Term.P1M).ToListAsync(cancellationToken);

        var lines = new List<ReconLine>();
        var parked = new List<ParkedSubscription>();
        foreach (var subscription in subscriptions)
        {
            var customer = customers[subscription.CustomerId];
            var currency = Currency.FromCode(subscription.Currency).Value;
            var charges = ChargeEngine.Run(History(subscription, history[subscription.Id], customer, currency, month, monthlyTermPrices), rules);
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

    private static ChargeHistory History(Subscription s, IEnumerable<SubscriptionEvent> events, Customer customer, Currency currency, BillingPeriod month, List<Price> monthlyTermPrices)
    {
        var id = s.MicrosoftSubscriptionId.ToString();
        var replayed = events.ToList();
        var initial = replayed.FirstOrDefault(e => e.Kind == SubscriptionEventKind.Purchased)?.QuantityAfter ?? s.Quantity;
        var monthly = monthlyTermPrices.FirstOrDefault(p =>
            p.ProductId == s.ProductId && p.SkuId == s.SkuId && p.AvailabilityId == s.AvailabilityId && p.Market == customer.Country
            && p.Currency == s.Currency && p.EffectiveFrom <= month.End && (p.EffectiveTo == null || p.EffectiveTo >= month.End));

        var bought = new PurchasedSubscription(
            id, s.ProductId, s.SkuId, s.FriendlyName, new Money(s.UnitPrice, currency), s.Term!.Value, s.BillingPlan, s.StartDate, initial,
            s.IsTrial, EndOfTerm.Renew, monthly is null ? null : new Money(monthly.UnitPrice, currency), s.PromotionId, CustomTermEnd(s));

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
                _ => null,
            };
            if (change is not null && day <= month.End)
            {
                changes.Add(change);
            }
        }

        return new ChargeHistory(currency, month.End, [bought], changes);
    }
}
