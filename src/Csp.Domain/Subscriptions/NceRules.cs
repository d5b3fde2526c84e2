using Csp.Domain.Terms;

namespace Csp.Domain.Subscriptions;

/// <summary>
/// Microsoft's rules for changing a new-commerce subscription mid-term, once: the lifecycle's plans ask them before a
/// change is sent to Partner Center, and the charge engine asks them of every change it replays. Each answers null when
/// the change is allowed, or the one coded <see cref="Error"/> Microsoft's refusal maps to, with the instant until which
/// the change was allowed when time decides (<see cref="Error.AllowedUntil"/>).
/// </summary>
/// <remarks>
/// Windows are compared in instants, never in days: a change at <c>at</c> of something committed at <c>c</c> is allowed
/// while <c>at &lt; c + window</c> (docs/microsoft/lifecycle.md, seats.md; extended-service-term.md for EST). Each rule
/// takes <c>subject</c>, the subscription as the message names it ("Contoso E3", "subscription 7d2…").
/// </remarks>
public static class NceRules
{
    /// <summary>
    /// Seats, billing plan and product change only on an active subscription: Microsoft refuses them on a suspended one
    /// (800091) and on one that has ended. A cancellation (and an end-of-term decision) is also allowed while suspended.
    /// </summary>
    public static Error? InService(string subject, SubscriptionStatus status, string what, bool allowSuspended = false) => status switch
    {
        SubscriptionStatus.Active => null,
        SubscriptionStatus.Suspended when allowSuspended => null,
        SubscriptionStatus.Suspended => new Error(
            "subscription.suspended", $"{subject} is suspended and cannot {what}: reactivate it first (Microsoft refuses changes to a suspended subscription, 800091)."),
        _ => new Error("subscription.not_active", $"{subject} is {status.ToString().ToLowerInvariant()}: only an active subscription can {what}."),
    };

    /// <summary>During an Extended Service Term seats, plan and end-of-term choice are fixed: it can only be cancelled, or upgraded.</summary>
    public static Error? OutsideExtendedServiceTerm(string subject, bool inExtendedServiceTerm, string what) =>
        inExtendedServiceTerm
            ? new Error("subscription.in_extended_service_term", $"{subject} is in an Extended Service Term and cannot {what}: cancel it, upgrade it, or buy a new subscription.")
            : null;

    /// <summary>
    /// Whether <paramref name="seats"/> of the <paramref name="quantity"/> held can be taken away at <paramref name="at"/>:
    /// each seat can be reduced only within the window of its addition (purchase, renewal or mid-term increase), and a
    /// reduction takes the newest seats first, so it needs the window of the oldest addition it reaches.
    /// </summary>
    public static Error? SeatReduction(string subject, CancellationPolicy policy, IReadOnlyList<SeatAddition> additions, int quantity, int seats, DateTimeOffset at)
    {
        var refundable = policy.Refundable(additions, quantity, at).TotalQuantity;
        if (seats <= refundable)
        {
            return null;
        }

        DateTimeOffset? until = null;
        var covered = 0;
        foreach (var addition in additions.Where(a => a.Quantity > 0).OrderByDescending(a => a.AddedAt))
        {
            covered += addition.Quantity;
            if (covered >= seats)
            {
                until = policy.AllowedUntil(addition.AddedAt);
                break;
            }
        }

        return new Error(
            "subscription.seat_reduction_window_closed",
            $"Only {refundable} of the {SeatAdditions.Count(quantity)} of {subject} can still be reduced: seats can be reduced only within {policy.Window.TotalHours:0} hours of being bought, renewed or added"
                + (until is { } instant ? $"; reducing {seats} was allowed until {instant:yyyy-MM-dd HH:mm:ss} UTC." : "."),
            AllowedUntil: until);
    }

    /// <summary>
    /// Whether the term can be cancelled at <paramref name="at"/> with a prorated refund: within the window from its
    /// purchase or renewal at <paramref name="committedAt"/> (null for an upgrade's seats, which have none), at any time
    /// during an Extended Service Term or a trial.
    /// </summary>
    /// <param name="termEnd">The term's last day, for the advice to stop it there instead.</param>
    public static Error? Cancellation(string subject, CancellationPolicy policy, DateTimeOffset? committedAt, DateTimeOffset at, bool inExtendedServiceTerm, bool trial, DateOnly? termEnd)
    {
        if (inExtendedServiceTerm || trial || (committedAt is { } committed && policy.IsOpen(committed, at)))
        {
            return null;
        }

        var stop = termEnd is { } end ? $" Set the end-of-term choice to 'cancel' to stop it when the term ends on {end:yyyy-MM-dd}." : "";
        return committedAt is { } start
            ? new Error(
                "subscription.cancellation_window_closed",
                $"{subject} can no longer be cancelled: a term can be cancelled only within {policy.Window.TotalHours:0} hours of its purchase or renewal, which was allowed until {policy.AllowedUntil(start):yyyy-MM-dd HH:mm:ss} UTC.{stop}",
                AllowedUntil: policy.AllowedUntil(start))
            : new Error("subscription.cancellation_window_closed", $"{subject} can no longer be cancelled: seats an upgrade brought have no cancellation window.{stop}");
    }

    /// <summary>An upgrade moves a paid subscription to a product of the same or a longer term: a trial is converted, and Microsoft has no downgrades.</summary>
    public static Error? Upgrade(string subject, bool trial, Term from, Term to) =>
        trial ? new Error("subscription.trial_upgrade", $"{subject} is a trial: convert it to paid, or buy the product wanted.")
        : to.Months() < from.Months() ? new Error("subscription.downgrade_not_allowed", $"{subject} cannot move to a {to} term from its {from} term: Microsoft does not allow downgrades.")
        : null;

    /// <summary>
    /// Microsoft changes the billing plan mid-term only between monthly and annual on a three-year paid term, from the
    /// next charge cycle: never to or from paying up front, never on one-month or one-year terms.
    /// </summary>
    public static Error? BillingPlanChange(string subject, bool trial, Term term, BillingPlan from, BillingPlan to) =>
        trial ? new Error("subscription.billing_plan_change_not_supported", $"{subject} is a trial: it is billed once converted.")
        : term == Term.P3Y && (from, to) is (BillingPlan.Monthly, BillingPlan.Annual) or (BillingPlan.Annual, BillingPlan.Monthly) ? null
        : new Error(
            "subscription.billing_plan_change_not_supported",
            $"Microsoft changes the billing plan mid-term only between monthly and annual on a three-year term; {subject} is a {term} term billed {from.ToMicrosoft()}, not to be billed {to.ToMicrosoft()}. Schedule the change for the renewal instead.");

    /// <summary>A billing-plan change takes effect at the next charge cycle, so there must be one before the term ends.</summary>
    public static Error? BillingPlanChangeBeforeTermEnd(string subject, DateOnly cycleEnd, DateOnly termEnd) =>
        cycleEnd >= termEnd
            ? new Error("subscription.billing_plan_change_at_term_end", $"The current charge cycle of {subject} runs to the end of its term on {termEnd:yyyy-MM-dd}: change the plan at renewal instead.")
            : null;
}
