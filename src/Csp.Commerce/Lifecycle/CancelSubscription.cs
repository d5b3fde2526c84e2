using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;

namespace Csp.Commerce.Lifecycle;

/// <summary>
/// Cancels a subscription now, with a prorated refund: allowed only within Microsoft's window (168 hours) from the
/// purchase or renewal, or at any time during an Extended Service Term. Irreversible: the customer loses access at once.
/// </summary>
public static class CancelSubscription
{
    public const string Action = "cancel";

    public static Task<ActionResult<ActionOutcome>> RunAsync(LifecycleServices services, Guid id, ReasonRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken) =>
        SubscriptionActions.RunAsync(services, id, request, caller, preview, context => Plan(context), cancellationToken);

    public static ActionPlan Plan(PlanContext context)
    {
        var s = context.Subscription;
        var refusal = context.NotInService("be cancelled", allowSuspended: true)
            ?? (s.Term is null ? PlanContext.Refuse("subscription.usage_based", $"{s.FriendlyName} is billed by usage and has no cancellation window: stop the usage, or remove the plan in Partner Center.") : null)
            ?? NceRules.Cancellation(s.FriendlyName, context.Cancellation, s.TermStartedAt, context.Now, context.InExtendedServiceTerm, s.IsTrial, s.TermEndDate);

        List<string> warnings = ["Cancelling is irreversible: the customer loses access at once, and the subscription cannot be restored or reactivated."];
        if (s.PromotionId is not null)
        {
            warnings.Add($"The promotion {s.PromotionId} is lost with the subscription.");
        }

        return new ActionPlan(
            Action,
            "cancelled now",
            refusal,
            [new Cancel(context.Today, context.SubscriptionId) { At = context.Now }],
            warnings,
            current => current with { Status = "deleted" },
            (record, _) =>
            {
                record.Move(SubscriptionTrigger.Cancel, " (cancelled)");
                record.DropScheduledRenewal();
            });
    }
}
