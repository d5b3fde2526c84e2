using System.Collections.Frozen;
using System.Text;
using static Csp.Domain.Subscriptions.SubscriptionStatus;
using static Csp.Domain.Subscriptions.SubscriptionTrigger;

namespace Csp.Domain.Subscriptions;

/// <summary>A subscription's status, as Partner Center's <c>status</c> field names it.</summary>
public enum SubscriptionStatus
{
    /// <summary>Ordered; Microsoft is still provisioning it.</summary>
    Pending,

    /// <summary>In service and billed.</summary>
    Active,

    /// <summary>Service stopped by the partner; still billed until the term ends.</summary>
    Suspended,

    /// <summary>The term ended without renewal.</summary>
    Expired,

    /// <summary>Cancelled (Partner Center's <c>deleted</c>): service and billing stop for good.</summary>
    Deleted,

    /// <summary>Turned off by Microsoft, e.g. for non-payment or a closed customer tenant.</summary>
    Disabled,
}

/// <summary>What can move a subscription from one status to another.</summary>
public enum SubscriptionTrigger
{
    /// <summary>Microsoft finished provisioning an order.</summary>
    Provision,

    /// <summary>The partner suspends service (PATCH <c>status: suspended</c>).</summary>
    Suspend,

    /// <summary>The partner restores a suspended subscription (PATCH <c>status: active</c>).</summary>
    Reactivate,

    /// <summary>The partner cancels (PATCH <c>status: deleted</c>), or an order fails before provisioning.</summary>
    Cancel,

    /// <summary>The term ends without renewal or Extended Service Term.</summary>
    Expire,

    /// <summary>Microsoft disables the subscription.</summary>
    Disable,

    /// <summary>Microsoft lifts a disablement.</summary>
    Enable,
}

/// <summary>Every move a subscription's status may make, and nothing else.</summary>
/// <remarks>
/// Tests walk every (status, trigger) pair against this table, and docs/subscription-lifecycle.md is
/// generated from it. Business conditions on a move (such as the cancellation window) are checked
/// before the table is asked. Renewal and entry into an Extended Service Term are not status moves:
/// the subscription stays <see cref="Active"/> and starts a new term.
/// </remarks>
public static class SubscriptionLifecycle
{
    public static FrozenDictionary<(SubscriptionStatus From, SubscriptionTrigger Trigger), SubscriptionStatus> Moves { get; } =
        new Dictionary<(SubscriptionStatus, SubscriptionTrigger), SubscriptionStatus>
        {
            [(Pending, Provision)] = Active,
            [(Pending, Cancel)] = Deleted,
            [(Active, Suspend)] = Suspended,
            [(Suspended, Reactivate)] = Active,
            [(Active, Cancel)] = Deleted,
            [(Suspended, Cancel)] = Deleted,
            [(Active, Expire)] = Expired,
            [(Suspended, Expire)] = Expired,
            [(Active, Disable)] = Disabled,
            [(Suspended, Disable)] = Disabled,
            [(Disabled, Enable)] = Active,
        }.ToFrozenDictionary();

    public static Result<SubscriptionStatus> Next(SubscriptionStatus from, SubscriptionTrigger trigger) =>
        Moves.TryGetValue((from, trigger), out var to)
            ? to
            : new Error("subscription.invalid_transition", $"A {from.ToString().ToLowerInvariant()} subscription cannot {trigger.ToString().ToLowerInvariant()}.");

    /// <summary>The trigger of the move from <paramref name="from"/> to <paramref name="to"/>, or null when the table has none.</summary>
    public static SubscriptionTrigger? TriggerBetween(SubscriptionStatus from, SubscriptionStatus to) =>
        Moves.Where(m => m.Key.From == from && m.Value == to).Select(m => (SubscriptionTrigger?)m.Key.Trigger).FirstOrDefault();

    /// <summary>The table as a Mermaid state diagram, the body of docs/subscription-lifecycle.md.</summary>
    public static string ToMermaid()
    {
        var text = new StringBuilder();
        text.Append("stateDiagram-v2\n");
        text.Append("    [*] --> Pending\n");
        foreach (var ((from, trigger), to) in Moves.OrderBy(m => m.Key.From).ThenBy(m => m.Key.Trigger))
        {
            text.Append("    ").Append(from).Append(" --> ").Append(to).Append(" : ").Append(trigger).Append('\n');
        }

        return text.ToString();
    }
}
