using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Subscriptions;

/// <summary>A subscription as the API shows it: its stored fields and what the NCE rules derive from them today.</summary>
/// <param name="UnitPrice">The price list's price per seat per charge cycle, locked for the term, before any promotion.</param>
/// <param name="PromotionDiscount">The share of <paramref name="UnitPrice"/> the promotion takes off the term it was bought with (0.15 for 15%).</param>
/// <param name="TermEndDate">The last day of the current term, inclusive; null for a usage-based subscription.</param>
/// <param name="RenewalDate">The day the next term would start: the day after <paramref name="TermEndDate"/>.</param>
/// <param name="BillingPlan">The billing plan as Partner Center reports it: after a change, the new plan, which bills from <paramref name="BillingPlanFrom"/>.</param>
/// <param name="CurrentChargeCycle">The charge cycle holding Microsoft's billing day today (UTC) under the plan billing now, or null outside the term.</param>
/// <param name="CancellationAllowedUntil">The instant (exclusive) until which the current term can be cancelled with a refund.</param>
/// <param name="RefundableQuantity">Seats that can still be reduced, and until when each can.</param>
/// <param name="BillingPlanFrom">The first day <paramref name="BillingPlan"/> bills, when a change of plan waits for the next charge cycle; otherwise null.</param>
public sealed record SubscriptionView(
    Guid Id,
    Guid CustomerId,
    Guid PartnerId,
    Guid MicrosoftSubscriptionId,
    string CatalogItemId,
    string ProductId,
    string SkuId,
    string AvailabilityId,
    string FriendlyName,
    string? Term,
    string BillingPlan,
    int Quantity,
    SubscriptionStatus Status,
    decimal UnitPrice,
    string Currency,
    string? PromotionId,
    decimal? PromotionDiscount,
    bool IsTrial,
    DateOnly StartDate,
    DateOnly TermStartDate,
    DateOnly? TermEndDate,
    DateOnly? RenewalDate,
    ChargeCycleView? CurrentChargeCycle,
    EndOfTermView EndOfTerm,
    DateTimeOffset? CancellationAllowedUntil,
    bool CanCancelNow,
    RefundableQuantity RefundableQuantity,
    DateOnly? BillingPlanFrom = null);

/// <summary>One charge cycle: both dates inclusive; <paramref name="Days"/> is the divisor of proration.</summary>
public sealed record ChargeCycleView(DateOnly Start, DateOnly End, int Days);

/// <summary>The end-of-term decision (null when none), Partner Center's auto-renew flag, and what will happen.</summary>
public sealed record EndOfTermView(EndOfTerm? Choice, bool AutoRenewEnabled, EndOfTermOutcome Outcome, bool Explicit, bool DriftsIntoEst);

/// <summary>Builds <see cref="SubscriptionView"/>s for a query, reading the history and the partners' time zones in bulk.</summary>
public static class SubscriptionViews
{
    /// <summary>The events a view reads: those that add seats, and changes of billing plan that may still wait for their cycle.</summary>
    private static readonly SubscriptionEventKind[] ViewedEvents =
        [SubscriptionEventKind.Purchased, SubscriptionEventKind.Renewed, SubscriptionEventKind.QuantityChanged, SubscriptionEventKind.BillingPlanChanged];

    private static readonly RefundableQuantity Nothing = new(0, []);

    public static async Task<List<SubscriptionView>> LoadAsync(
        CommerceDb db, IQueryable<Subscription> query, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken)
    {
        var subscriptions = await query.ToListAsync(cancellationToken);
        var ids = subscriptions.Select(s => s.Id).ToList();

        var events = (await db.SubscriptionEvents
                .Where(e => ids.Contains(e.SubscriptionId) && ViewedEvents.Contains(e.Kind))
                .OrderBy(e => e.Id)
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.SubscriptionId);

        // The current charge cycle is Microsoft's, on its billing day: the one an action's preview charges.
        var now = time.GetUtcNow();
        return subscriptions.Select(s => From(s, events[s.Id], BillingClock.MicrosoftDay(now), now, cancellation, est)).ToList();
    }

    public static SubscriptionView From(
        Subscription s, IEnumerable<SubscriptionEvent> events, DateOnly today, DateTimeOffset now, CancellationPolicy cancellation, EstPolicy est)
    {
        var waiting = PlanChangeWaiting(s, events, today);
        var schedule = s.Term is { } term ? NceCalendar.Reported(s.TermStartDate, term, waiting?.Before.BillingPlan ?? s.BillingPlan, s.TermEndDate).Value : null;
        var cycle = schedule?.CycleOn(today);
        var inService = s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended && schedule is not null;

        var refundable = inService
            ? cancellation.Refundable(
                SubscriptionEvent.SeatAdditionsOfTerm(events, s.TermStartedAt),
                s.Quantity,
                now)
            : Nothing;
        var cancellableUntil = inService ? cancellation.AllowedUntil(s.TermStartedAt) : (DateTimeOffset?)null;

        var path = est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate ?? DateOnly.MaxValue);

        return new SubscriptionView(
            s.Id,
            s.CustomerId,
            s.PartnerId,
            s.MicrosoftSubscriptionId,
            s.CatalogItemId,
            s.ProductId,
            s.SkuId,
            s.AvailabilityId,
            s.FriendlyName,
            s.Term?.ToIso(),
            s.BillingPlan.ToMicrosoft(),
            s.Quantity,
            s.Status,
            s.UnitPrice,
            s.Currency,
            s.PromotionId,
            s.PromotionDiscount,
            s.IsTrial,
            s.StartDate,
            s.TermStartDate,
            s.TermEndDate,
            schedule?.RenewalDate,
            cycle is { } c ? new ChargeCycleView(c.Start, c.End, c.Days) : null,
            new EndOfTermView(s.EndOfTerm, s.AutoRenewEnabled, path.Outcome, path.Explicit, path.DriftsIntoEst),
            cancellableUntil,
            cancellableUntil is { } until && now < until,
            refundable,
            waiting?.Until.AddDays(1));
    }

    /// <summary>
    /// A change of billing plan confirmed this term but not billing yet on <paramref name="today"/>: the terms it replaced,
    /// which bill until the end of the charge cycle the change was made in; null when none waits.
    /// </summary>
    public static (SubscriptionTerms Before, DateOnly Until)? PlanChangeWaiting(Subscription s, IEnumerable<SubscriptionEvent> history, DateOnly today)
    {
        var last = history.LastOrDefault(e => e.Kind == SubscriptionEventKind.BillingPlanChanged && e.OccurredAt >= s.TermStartedAt);
        return last?.TermsBefore is { } was && NceCalendar.Reported(s.TermStartDate, was.Term, was.BillingPlan, s.TermEndDate) is { IsSuccess: true } schedule
            && schedule.Value.CycleOn(BillingClock.MicrosoftDay(last.OccurredAt)) is { } cycle && today <= cycle.End
                ? (was, cycle.End)
                : null;
    }
}
