using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;

namespace Csp.Commerce.Lifecycle;

/// <summary>
/// Suspends a subscription's service. Microsoft keeps billing a suspended new-commerce subscription, turns its auto-renew
/// off, and deletes its data if it is not reactivated by the term's end (docs/microsoft/lifecycle.md).
/// </summary>
public static class SuspendSubscription
{
    public const string Action = "suspend";

    public static Task<ActionResult<ActionOutcome>> RunAsync(LifecycleServices services, Guid id, ReasonRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken) =>
        SubscriptionActions.RunAsync(services, id, request, caller, preview, context => Plan(context), cancellationToken);

    public static ActionPlan Plan(PlanContext context)
    {
        var s = context.Subscription;
        var path = s.TermEndDate is { } end ? context.Est.PathFor(s.EndOfTerm, autoRenewEnabled: false, s.TermStartDate, end) : null;
        List<string> warnings =
        [
            "Microsoft keeps billing a suspended subscription until the term ends.",
            $"If it is not reactivated by the end of the term ({s.TermEndDate:yyyy-MM-dd}), the subscription's data is deleted.",
        ];
        if (path is { DriftsIntoEst: true })
        {
            warnings.Add($"Suspending turns auto-renew off, and reactivating leaves it off: once reactivated with no end-of-term choice, the subscription enters a paid Extended Service Term on {s.TermEndDate!.Value.AddDays(1):yyyy-MM-dd}. Set the end-of-term choice after reactivating.");
        }
        else if (s.AutoRenewEnabled)
        {
            warnings.Add("Suspending turns auto-renew off.");
        }

        return new ActionPlan(
            Action,
            "suspended",
            context.NotInService("be suspended"),
            [new Suspend(context.Today, context.SubscriptionId) { At = context.Now }],
            warnings,
            current => current with { Status = "suspended" },
            (record, confirmed) =>
            {
                record.Move(SubscriptionTrigger.Suspend);
                record.Subscription.DecideEndOfTerm(record.Subscription.EndOfTerm, confirmed.AutoRenewEnabled);
                record.DropScheduledRenewal();
            });
    }
}
