using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;

namespace Csp.Commerce.Lifecycle;

/// <summary>Restores the service of a suspended subscription. Auto-renew stays off until an end-of-term choice is set.</summary>
public static class ReactivateSubscription
{
    public const string Action = "reactivate";

    public static Task<ActionResult<ActionOutcome>> RunAsync(LifecycleServices services, Guid id, ReasonRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken) =>
        SubscriptionActions.RunAsync(services, id, request, caller, preview, context => Plan(context), cancellationToken);

    public static ActionPlan Plan(PlanContext context)
    {
        var s = context.Subscription;
        var refusal = s.Status == SubscriptionStatus.Suspended
            ? null
            : PlanContext.Refuse("subscription.not_suspended", $"{s.FriendlyName} is {s.Status.ToString().ToLowerInvariant()}: only a suspended subscription can be reactivated.");
        List<string> warnings = s.EndOfTerm is null
            ? ["Auto-renew stays off after reactivation: set the end-of-term choice, or the subscription will enter a paid Extended Service Term when its term ends."]
            : [];

        return new ActionPlan(
            Action,
            "reactivated",
            refusal,
            [new Reactivate(context.Today, context.SubscriptionId) { At = context.Now }],
            warnings,
            current => current with { Status = "active" },
            (record, _) =>
            {
                record.Move(SubscriptionTrigger.Reactivate);
            });
    }
}
