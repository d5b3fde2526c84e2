using Csp.Commerce.Lifecycle;
using Csp.Commerce.Reconciliations;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using SetEndOfTerm = Csp.Domain.Charges.SetEndOfTerm;

namespace Csp.Commerce.Renewals;

/// <summary>
/// What one end-of-term path costs in the year after the term ends, as the charge engine computes Microsoft's charges.
/// </summary>
/// <param name="Path"><c>renew</c>, <c>est</c>, <c>cancel</c>, or <c>expire</c> (a term that ends before EST enforcement, with Microsoft's grace period).</param>
/// <param name="Current">Whether this is what will happen if nobody changes anything.</param>
/// <param name="FirstYear">Microsoft's charges for the twelve months after the term ends.</param>
/// <param name="PerMonth">The same, per month on average (a comparison figure, rounded half away from zero).</param>
/// <param name="DifferencePerYear">This path's year less the current path's.</param>
public sealed record PathCost(string Path, EndOfTermOutcome Outcome, bool Current, decimal FirstYear, decimal PerMonth, decimal DifferencePerYear, string Description);

/// <summary>A subscription's end-of-term choices and their cost, and until when the choice can be changed.</summary>
/// <param name="DecideBefore">The instant (UTC) the term ends: the choice must be made before it; Microsoft processes the renewal after it.</param>
/// <param name="WindowAfterRenewal">
/// On a renewal, the new term's 7-day window to reduce seats or cancel: it opens when the renewal completes (from
/// <see cref="DecideBefore"/>, taking up to 24 hours) and lasts 168 hours from then; this is the earliest it can close.
/// </param>
public sealed record EndOfTermOptions(
    Guid SubscriptionId,
    Guid CustomerId,
    string CustomerName,
    string FriendlyName,
    int Quantity,
    DateOnly TermEndDate,
    DateTimeOffset DecideBefore,
    EndOfTerm? Choice,
    bool AutoRenewEnabled,
    EndOfTermOutcome Outcome,
    bool Explicit,
    bool DriftsIntoEst,
    string Currency,
    IReadOnlyList<PathCost> Paths,
    DateTimeOffset? WindowAfterRenewal)
{
    /// <summary>The current path's cost in the year after the term.</summary>
    public decimal CurrentFirstYear => Paths.FirstOrDefault(p => p.Current)?.FirstYear ?? 0m;
}

/// <summary>
/// The end-of-term paths of a subscription and what each costs: renew (as is or as scheduled, at the price list's price on
/// the renewal day, promotion gone), EST (monthly-term price +3%, or +23% without a monthly plan; no promotion, no seat
/// changes), cancel (nothing after the end date).
/// </summary>
public static class EndOfTermCosts
{
    /// <summary>The end-of-term paths of subscription <paramref name="id"/> and their costs, or why it has none to choose.</summary>
    public static async Task<Result<EndOfTermOptions>> RunAsync(LifecycleServices services, Guid id, CancellationToken cancellationToken)
    {
        if (await SubscriptionActions.ContextAsync(services, id, cancellationToken) is not { } context)
        {
            return Error.NotFound("subscription", id);
        }

        var s = context.Subscription;
        return For(context, services.Rules) is { } options
            ? options
            : s.Term is null
                ? new Error("subscription.usage_based", $"{s.FriendlyName} is billed by usage: it has no term, and no end of term to choose.")
                : new Error("subscription.term_ended", $"{s.FriendlyName}'s term ended on {s.TermEndDate:yyyy-MM-dd} and it is {s.Status.ToString().ToLowerInvariant()}: there is no end of term left to choose.");
    }

    /// <summary>The options of a subscription whose term has not ended yet; null for a usage-based one or one already past its term.</summary>
    public static EndOfTermOptions? For(PlanContext context, ChargeRules rules)
    {
        var s = context.Subscription;
        if (s is not { Term: { } term, TermEndDate: { } end } || end < context.Today)
        {
            return null;
        }

        var renewal = end.AddDays(1);
        var through = end.AddMonths(12);
        var current = context.Est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, end);
        var asScheduled = s.ScheduledRenewal ?? new Csp.Data.RenewalSchedule(s.ProductId, s.SkuId, s.AvailabilityId, term, s.BillingPlan, s.Quantity);
        var next = ExpectedCharges.NextTermOf(s, asScheduled, context.Customer, context.Prices, renewal);
        var monthly = context.Prices.MonthlyTermPrice(s.ProductId, s.SkuId, s.AvailabilityId, context.Customer, renewal);

        var paths = new List<(string Path, EndOfTermOutcome Outcome, decimal? Year, string Description)>
        {
            ("renew", EndOfTermOutcome.Renew, Year(context, rules, [new SetEndOfTerm(context.Today, context.SubscriptionId, EndOfTerm.Renew), new ScheduleNextTerm(context.Today, context.SubscriptionId, next)], renewal, through),
                $"Renews on {renewal:yyyy-MM-dd} for {next.Term.ToIso()} billed {next.BillingPlan.ToMicrosoft()}: {SeatAdditions.Count(next.Quantity)} at {next.UnitPrice.Amount:0.00##} {s.Currency} per seat per charge cycle (the price list's price that day)"
                + (s.PromotionId is null ? "." : $"; the promotion {s.PromotionId} ends with this term.")),
        };
        if (context.Est.IsEligible(s.TermStartDate, end))
        {
            paths.Add(("est", EndOfTermOutcome.ExtendedServiceTerm, Year(context, rules, [new SetEndOfTerm(context.Today, context.SubscriptionId, EndOfTerm.Est)], renewal, through),
                monthly is { } m
                    ? $"Continues month to month from {renewal:yyyy-MM-dd} at the monthly-term price {m.Amount:0.00##} {s.Currency} + {rules.EstUplift:P0}, {SeatAdditions.Count(s.Quantity)}, no promotion, no seat changes; cancel at any time."
                    : $"Continues month to month from {renewal:yyyy-MM-dd} at the term price per month + {rules.EstUpliftWithoutMonthlyPlan:P0} (the SKU has no monthly plan), no promotion, no seat changes."));
        }

        if (current.Outcome == EndOfTermOutcome.Expire)
        {
            paths.Add(("expire", EndOfTermOutcome.Expire, 0m, s.Status == SubscriptionStatus.Suspended
                ? $"Suspended when the term ends on {end:yyyy-MM-dd}, it expires and its data is deleted, unless reactivated before."
                : $"The term ends before EST enforcement ({context.Est.EnforcedFrom:yyyy-MM-dd}) or began before {context.Est.EligibleTermsStartingFrom:yyyy-MM-dd}: it expires with Microsoft's free grace period."));
        }

        paths.Add(("cancel", EndOfTermOutcome.Cancel, 0m, $"Service stops at the end of {end:yyyy-MM-dd} (UTC); nothing more is charged and the subscription cannot be recovered."));

        var currentYear = paths.FirstOrDefault(p => p.Outcome == current.Outcome).Year ?? 0m;
        var costs = paths.Select(p => new PathCost(
                p.Path, p.Outcome, p.Outcome == current.Outcome, p.Year ?? 0m, decimal.Round((p.Year ?? 0m) / 12m, 2, Rounding.Estimate), (p.Year ?? 0m) - currentYear,
                p.Year is null ? $"{p.Description} (its charges could not be computed from the recorded history)" : p.Description))
            .ToList();
        var decideBefore = BillingClock.StartOfDay(renewal);
        return new EndOfTermOptions(
            s.Id, s.CustomerId, context.Customer.Name, s.FriendlyName, s.Quantity, end, decideBefore, s.EndOfTerm, s.AutoRenewEnabled, current.Outcome, current.Explicit,
            current.DriftsIntoEst, s.Currency, costs, current.Outcome == EndOfTermOutcome.Renew ? context.Cancellation.AllowedUntil(decideBefore) : null);
    }

    /// <summary>Microsoft's charges from <paramref name="from"/> to <paramref name="through"/> with <paramref name="changes"/>; null when the engine refuses the history.</summary>
    private static decimal? Year(PlanContext context, ChargeRules rules, IReadOnlyList<SubscriptionChange> changes, DateOnly from, DateOnly through) =>
        SubscriptionActions.Charge(context, through, changes, rules) is { IsSuccess: true } lines
            ? lines.Value.Where(l => l.SubscriptionId == context.SubscriptionId && l.ChargeStartDate >= from && l.ChargeStartDate <= through).Sum(l => l.Subtotal.Amount)
            : null;
}
