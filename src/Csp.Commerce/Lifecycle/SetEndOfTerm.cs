using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using Availability = Csp.Data.Availability;
using Sku = Csp.Data.Sku;
using Subscription = Csp.Data.Subscription;

namespace Csp.Commerce.Lifecycle;

/// <summary>Changes to schedule for the renewal; each left out stays as it is.</summary>
/// <param name="CatalogItemId">Another SKU or availability to renew into (<c>productId:skuId:availabilityId</c>).</param>
/// <param name="Term">P1M, P1Y or P3Y.</param>
/// <param name="BillingPlan">monthly, annual, triennial or none (up front).</param>
public sealed record RenewalChanges(int? Quantity = null, string? CatalogItemId = null, string? Term = null, string? BillingPlan = null);

/// <summary>The end-of-term choice: <c>renew</c> (as is, or with <paramref name="Renewal"/> changes), <c>cancel</c> or <c>est</c>.</summary>
public sealed record SetEndOfTermRequest(EndOfTerm Choice, RenewalChanges? Renewal = null);

/// <summary>
/// Sets what happens when the term ends, always as Partner Center's explicit scheduled action: renew (as is or with
/// scheduled changes to seats, SKU, term and billing plan), cancel at the end of the term, or continue in a paid Extended
/// Service Term. The platform never turns auto-renew off alone: Microsoft would put the subscription into EST.
/// </summary>
public static class SetEndOfTerm
{
    public const string Action = "set_end_of_term";

    public static async Task<ActionResult<ActionOutcome>> RunAsync(
        LifecycleServices services, Guid id, SetEndOfTermRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken)
    {
        // What the renewal is bought as: another catalog item, or the subscription's own when only the term or plan changes.
        var db = services.Db;
        var catalogItemId = request.Renewal is { } renewal
            ? renewal.CatalogItemId ?? (renewal.Term is not null || renewal.BillingPlan is not null
                ? await db.Subscriptions.Where(s => s.Id == id).Select(s => s.CatalogItemId).FirstOrDefaultAsync(cancellationToken)
                : null)
            : null;
        var target = catalogItemId is null ? null : await db.Availabilities.FirstOrDefaultAsync(a => a.CatalogItemId == catalogItemId, cancellationToken);
        var targetSku = target is null ? null : await db.Skus.FirstOrDefaultAsync(k => k.ProductId == target.ProductId && k.Id == target.SkuId, cancellationToken);
        return await SubscriptionActions.RunAsync(services, id, request, caller, preview, context => Plan(context, request, target, targetSku), cancellationToken);
    }

    /// <param name="targetSku">The SKU of <paramref name="target"/>, whose seats the renewal must respect.</param>
    public static ActionPlan Plan(PlanContext context, SetEndOfTermRequest request, Availability? target, Sku? targetSku = null)
    {
        const string What = "change its end-of-term choice";
        var s = context.Subscription;
        var (schedule, invalid) = s.Term is { } current && request.Choice == EndOfTerm.Renew && request.Renewal is { } wanted
            ? Schedule(s, current, wanted, target, target is null ? context.Sku : targetSku)
            : (null, null);
        var refusal = invalid
            ?? context.NotInService(What)
            ?? (s.Term is null || s.TermEndDate is null ? PlanContext.Refuse("subscription.usage_based", $"{s.FriendlyName} is billed by usage: it has no term to end.") : null)
            ?? NceRules.OutsideExtendedServiceTerm(s.FriendlyName, context.InExtendedServiceTerm, What)
            ?? (request.Choice == EndOfTerm.Est && !context.Est.IsEligible(s.TermStartDate, s.TermEndDate!.Value)
                ? PlanContext.Refuse(
                    "subscription.est_not_eligible",
                    $"{s.FriendlyName} cannot enter an Extended Service Term: only terms bought or renewed on or after {context.Est.EligibleTermsStartingFrom:yyyy-MM-dd} and ending on or after {context.Est.EnforcedFrom:yyyy-MM-dd} can. Its term ({s.TermStartDate:yyyy-MM-dd} – {s.TermEndDate:yyyy-MM-dd}) gets Microsoft's grace period instead.")
                : null)
            ?? (request.Choice == s.EndOfTerm && schedule == s.ScheduledRenewal && (request.Choice != EndOfTerm.Renew || s.AutoRenewEnabled)
                ? PlanContext.Refuse("subscription.nothing_to_change", $"{s.FriendlyName} is already set to {Describe(request.Choice, schedule)} at the end of its term.")
                : null);

        var termEnd = s.TermEndDate ?? context.Today;
        var warnings = new List<string>();
        switch (request.Choice)
        {
            case EndOfTerm.Cancel:
                warnings.Add($"Service stops at the end of {termEnd:yyyy-MM-dd} (UTC). The subscription cannot be recovered or reactivated afterwards.");
                break;
            case EndOfTerm.Est:
                warnings.Add($"From {termEnd.AddDays(1):yyyy-MM-dd} the subscription continues month to month at the monthly-term price plus {(context.Prices.MonthlyTermPrice(s.ProductId, s.SkuId, s.AvailabilityId, context.Customer, termEnd) is null ? "23% (this SKU has no monthly plan)" : "3%")}, with no promotion and no seat changes.");
                break;
            default:
                warnings.Add($"A new term starts on {termEnd.AddDays(1):yyyy-MM-dd} at the price list's price of that day; its seats can be reduced or it can be cancelled only within {context.Cancellation.Window.TotalHours:0} hours of the renewal.");
                break;
        }

        if (s.PromotionId is not null)
        {
            warnings.Add($"The promotion {s.PromotionId} ends with this term.");
        }

        var next = schedule is null ? null : ExpectedCharges.NextTermOf(s, schedule, context.Customer, context.Prices, termEnd.AddDays(1));
        List<SubscriptionChange> changes = [new Csp.Domain.Charges.SetEndOfTerm(context.Today, context.SubscriptionId, request.Choice)];
        if (schedule is not null || s.ScheduledRenewal is not null)
        {
            changes.Add(new ScheduleNextTerm(context.Today, context.SubscriptionId, next));
        }

        var instructions = schedule is null
            ? null
            : new ScheduledNextTermInstructions(new ScheduledProduct(schedule.ProductId, schedule.SkuId, schedule.AvailabilityId, schedule.BillingPlan.ToMicrosoft(), schedule.Term.ToIso()), schedule.Quantity);
        return new ActionPlan(
            Action,
            Describe(request.Choice, schedule),
            refusal,
            changes,
            warnings,
            current => SubscriptionChanges.Decide(current, request.Choice, instructions),
            (record, confirmed) =>
            {
                var decision = SubscriptionChanges.Decision(confirmed);
                record.Event(SubscriptionEvent.EndOfTermChanged(record.Subscription, record.By, $"end of term: {Describe(request.Choice, null)}", decision));
                record.Subscription.DecideEndOfTerm(decision, confirmed.AutoRenewEnabled);
                if (schedule is not null || s.ScheduledRenewal is not null)
                {
                    record.Event(SubscriptionEvent.RenewalScheduled(
                        record.Subscription, record.By, schedule is null ? "changes scheduled for the renewal removed" : $"renewal scheduled: {Describe(request.Choice, schedule)}", schedule));
                    record.Subscription.ScheduleRenewal(schedule);
                }
            },
            Horizon: termEnd.AddMonths(12));
    }

    private static string Describe(EndOfTerm choice, RenewalSchedule? schedule) => choice switch
    {
        EndOfTerm.Cancel => "cancel",
        EndOfTerm.Est => "est",
        _ when schedule is { } next => $"renew as {SeatAdditions.Count(next.Quantity)} of {CatalogItem.Id(next.ProductId, next.SkuId, next.AvailabilityId)} for {next.Term.ToIso()} billed {next.BillingPlan.ToMicrosoft()}",
        _ => "renew",
    };

    /// <summary>The renewal as scheduled, or the reason it cannot be.</summary>
    private static (RenewalSchedule? Schedule, Error? Refusal) Schedule(Subscription s, Term current, RenewalChanges changes, Availability? target, Sku? sku)
    {
        if (changes.Quantity is < 1)
        {
            return (null, PlanContext.Invalid("renewal.quantity", $"renewal.quantity must be at least 1, not {changes.Quantity}."));
        }

        if (changes.Quantity is { } seats && sku is not null && (seats < sku.MinimumQuantity || seats > sku.MaximumQuantity))
        {
            return (null, PlanContext.Invalid("renewal.quantity", $"renewal.quantity must be from {sku.MinimumQuantity} to {sku.MaximumQuantity} for {sku.Title} (the seats Microsoft allows on one subscription of it), not {seats}."));
        }

        if (changes.CatalogItemId is { } wanted && target is null)
        {
            return (null, PlanContext.Refuse("subscription.renewal_not_offered", $"renewal.catalogItemId '{wanted}' is not in the catalog."));
        }

        var term = TermExtensions.ParseTerm(changes.Term ?? current.ToIso());
        if (!term.IsSuccess)
        {
            return (null, PlanContext.Invalid("renewal.term", $"renewal.term: {term.Error.Message}"));
        }

        var plan = TermExtensions.ParseBillingPlan(changes.BillingPlan ?? s.BillingPlan.ToMicrosoft(), term.Value);
        if (!plan.IsSuccess)
        {
            return (null, PlanContext.Invalid("renewal.billingPlan", $"renewal.billingPlan: {plan.Error.Message}"));
        }

        var (productId, skuId, availabilityId) = target is null ? (s.ProductId, s.SkuId, s.AvailabilityId) : (target.ProductId, target.SkuId, target.Id);
        if (target is not null && !target.Terms.Contains(new OfferedTerm(term.Value, plan.Value)))
        {
            return (null, PlanContext.Refuse("subscription.renewal_not_offered", $"{target.CatalogItemId} is not sold for {term.Value.ToIso()} billed {plan.Value.ToMicrosoft()}."));
        }

        var schedule = new RenewalSchedule(productId, skuId, availabilityId, term.Value, plan.Value, changes.Quantity ?? s.Quantity);
        return schedule == new RenewalSchedule(s.ProductId, s.SkuId, s.AvailabilityId, current, s.BillingPlan, s.Quantity) ? (null, null) : (schedule, null);
    }
}
