using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;

namespace Csp.Commerce.Lifecycle;

/// <summary>The billing plan wanted: <c>monthly</c> or <c>annual</c>.</summary>
public sealed record ChangeBillingFrequencyRequest(string BillingPlan);

/// <summary>
/// Changes how a three-year subscription is billed, monthly ↔ annual, from its next charge cycle (docs/microsoft/lifecycle.md):
/// Microsoft allows nothing else mid-term — no change to or from paying up front, none on one-month or one-year terms, none
/// when the current cycle runs to the term's end. The new plan is charged at the price list's price for it in force when
/// the term began, the term's price being locked then.
/// </summary>
public static class ChangeBillingFrequency
{
    public const string Action = "change_billing_plan";

    public static Task<ActionResult<ActionOutcome>> RunAsync(LifecycleServices services, Guid id, ChangeBillingFrequencyRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken) =>
        SubscriptionActions.RunAsync(services, id, request, caller, preview, context => Plan(context, request.BillingPlan), cancellationToken);

    public static ActionPlan Plan(PlanContext context, string billingPlan)
    {
        const string What = "change its billing plan";
        var s = context.Subscription;
        var cycle = s.Term is { } term && s.TermEndDate is not null && NceCalendar.Reported(s.TermStartDate, term, s.BillingPlan, s.TermEndDate) is { IsSuccess: true } schedule
            ? schedule.Value.CycleOn(context.Today)
            : null;
        var wanted = billingPlan?.ToLowerInvariant() switch
        {
            "monthly" => BillingPlan.Monthly,
            "annual" => BillingPlan.Annual,
            _ => (BillingPlan?)null,
        };
        var price = wanted is { } plan && s.Term == Term.P3Y
            ? context.Prices.UnitPrice(s.ProductId, s.SkuId, s.AvailabilityId, context.Customer, Term.P3Y, plan, s.TermStartDate)
            : null;
        var refusal = (wanted is null ? PlanContext.Invalid("billingPlan", $"billingPlan must be monthly or annual, not '{billingPlan}'.") : null)
            ?? context.NotInService(What)
            ?? (s.Term is null ? PlanContext.Refuse("subscription.usage_based", $"{s.FriendlyName} is billed by usage: it has no billing plan to change.") : null)
            ?? NceRules.OutsideExtendedServiceTerm(s.FriendlyName, context.InExtendedServiceTerm, What)
            ?? (wanted == s.BillingPlan && !s.IsTrial ? PlanContext.Refuse("subscription.nothing_to_change", $"{s.FriendlyName} is already billed {s.BillingPlan.ToMicrosoft()}.") : null)
            ?? NceRules.BillingPlanChange(s.FriendlyName, s.IsTrial, s.Term!.Value, s.BillingPlan, wanted!.Value)
            ?? (cycle is { } current ? NceRules.BillingPlanChangeBeforeTermEnd(s.FriendlyName, current.End, s.TermEndDate!.Value) : null)
            ?? Pending(context)
            ?? (price is null
                ? PlanContext.Refuse("subscription.no_price", $"The price list has no {wanted?.ToMicrosoft()} price for {s.FriendlyName} (three-year term) in {context.Customer.Country} {s.Currency} on {s.TermStartDate:yyyy-MM-dd}, when the term began: sync the price list first.")
                : null);

        var newPlan = wanted ?? s.BillingPlan;
        var before = s.Term is null ? null : s.Terms;
        var after = before is null ? null : before with { BillingPlan = newPlan, UnitPrice = price ?? s.UnitPrice };
        var warnings = new List<string>();
        if (refusal is null && cycle is { } billing)
        {
            warnings.Add($"Billed {s.BillingPlan.ToMicrosoft()} until {billing.End:yyyy-MM-dd}, then {newPlan.ToMicrosoft()} at {price:0.00##} {s.Currency} per seat per {(newPlan == BillingPlan.Annual ? "year" : "month")} from {billing.End.AddDays(1):yyyy-MM-dd}.");
        }

        if (refusal is null && s.PromotionId is not null)
        {
            warnings.Add($"The promotion {s.PromotionId} is lost: the new plan is charged at the price list's price.");
        }

        return new ActionPlan(
            Action,
            $"billing plan {s.BillingPlan.ToMicrosoft()} → {newPlan.ToMicrosoft()}",
            refusal,
            refusal is null ? [new ChangeBillingPlan(context.Today, context.SubscriptionId, newPlan, new Money(price!.Value, Currency.FromCode(s.Currency).Value)) { At = context.Now }] : [],
            warnings,
            current => current with { BillingCycle = newPlan.ToMicrosoft() },
            (record, confirmed) =>
            {
                record.Event(SubscriptionEvent.BillingPlanChanged(
                    record.Subscription, record.By, $"billing plan {before!.BillingPlan.ToMicrosoft()} → {after!.BillingPlan.ToMicrosoft()} from the next charge cycle", before, after!));
                record.Subscription.ChangeTerms(after);
            });
    }

    /// <summary>A change already waiting for the next charge cycle: one per cycle, so that what the next cycle bills is never in doubt.</summary>
    private static Error? Pending(PlanContext context) =>
        SubscriptionViews.PlanChangeWaiting(context.Subscription, context.History, context.Today) is { } waiting
            ? PlanContext.Refuse(
                "subscription.billing_plan_change_pending",
                $"{context.Subscription.FriendlyName} already switches to {context.Subscription.BillingPlan.ToMicrosoft()} billing on {waiting.Until.AddDays(1):yyyy-MM-dd}; change it again from then.")
            : null;
}
