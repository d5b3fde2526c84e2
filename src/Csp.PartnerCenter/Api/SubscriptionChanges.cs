using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;

namespace Csp.PartnerCenter.Api;

/// <summary>
/// What a change of Partner Center's subscription resource means for billing: the differences between the resource
/// before and after one operation (an audit record's old and new value), as the charge engine's changes.
/// </summary>
public static class SubscriptionChanges
{
    /// <summary>
    /// The changes from <paramref name="before"/> to <paramref name="after"/> on <paramref name="day"/>, in the order
    /// Partner Center applies them: a reactivation first (a suspended subscription cannot change seats), then seats, the
    /// end-of-term decision, and a suspension or cancellation last.
    /// </summary>
    public static IReadOnlyList<SubscriptionChange> Between(Subscription before, Subscription after, DateOnly day)
    {
        var id = after.Id;
        var changes = new List<SubscriptionChange>();
        var (from, to) = (Status(before.Status), Status(after.Status));
        if (to == SubscriptionStatus.Active && from == SubscriptionStatus.Suspended)
        {
            changes.Add(new Reactivate(day, id));
        }

        if (after.Quantity != before.Quantity)
        {
            changes.Add(new ChangeQuantity(day, id, after.Quantity));
        }

        if (EndOfTermOf(after) != EndOfTermOf(before))
        {
            changes.Add(new SetEndOfTerm(day, id, EndOfTermOf(after)));
        }

        if (to != from && to == SubscriptionStatus.Suspended)
        {
            changes.Add(new Suspend(day, id));
        }
        else if (to != from && to == SubscriptionStatus.Deleted)
        {
            changes.Add(new Cancel(day, id));
        }

        return changes;
    }

    /// <summary>
    /// Whether <paramref name="after"/> changes what is scheduled for the renewal by itself: instructions set, altered or
    /// removed — not dropped as a mid-term change (seats, status, auto-renew off) drops them, as Microsoft documents.
    /// </summary>
    public static bool Rescheduled(Subscription before, Subscription after) =>
        System.Text.Json.JsonSerializer.Serialize(before.ScheduledNextTermInstructions, PartnerCenterJson.Default.ScheduledNextTermInstructions)
            != System.Text.Json.JsonSerializer.Serialize(after.ScheduledNextTermInstructions, PartnerCenterJson.Default.ScheduledNextTermInstructions)
        && !(after.ScheduledNextTermInstructions is null && (after.Quantity != before.Quantity || after.Status != before.Status || !after.AutoRenewEnabled));

    /// <summary>The end-of-term decision scheduled explicitly (a <c>TermEnd</c> scheduled action), or null when none is.</summary>
    public static EndOfTerm? Decision(Subscription s) =>
        s.ScheduledActions?.FirstOrDefault(a => a.ScheduleType.Equals("TermEnd", StringComparison.OrdinalIgnoreCase))?.ActionType switch
        {
            "Cancel" => EndOfTerm.Cancel,
            "RenewToNewTerm" => EndOfTerm.Renew,
            "RenewToExtendedServiceTerm" => EndOfTerm.Est,
            _ => null,
        };

    /// <summary>
    /// <paramref name="current"/> as it must be sent to make <paramref name="decision"/> at the term's end: always the explicit
    /// <c>TermEnd</c> scheduled action — never <c>autoRenewEnabled=false</c> alone, which Microsoft turns into a paid
    /// Extended Service Term within 24 hours (docs/microsoft/extended-service-term.md) — with auto-renew on only for a renewal, and the
    /// changes scheduled for the renewal (<paramref name="next"/>; null renews as is).
    /// </summary>
    public static Subscription Decide(Subscription current, EndOfTerm decision, ScheduledNextTermInstructions? next) => current with
    {
        AutoRenewEnabled = decision == EndOfTerm.Renew,
        ScheduledActions =
        [
            new ScheduledAction("TermEnd", decision switch
            {
                EndOfTerm.Cancel => "Cancel",
                EndOfTerm.Est => "RenewToExtendedServiceTerm",
                _ => "RenewToNewTerm",
            }),
        ],
        ScheduledNextTermInstructions = decision == EndOfTerm.Renew ? next : null,
    };

    /// <summary>
    /// What the term's end will do: the explicit decision, else renewal while auto-renew is on; with it off, EST (Microsoft
    /// schedules it within 24 hours) — or, for a trial, no conversion.
    /// </summary>
    public static EndOfTerm EndOfTermOf(Subscription s) =>
        Decision(s) ?? (s.AutoRenewEnabled ? EndOfTerm.Renew : s.IsTrial ? EndOfTerm.Cancel : EndOfTerm.Est);

    /// <summary>Partner Center's <c>status</c> as the lifecycle's status; null for one the platform does not know.</summary>
    public static SubscriptionStatus? Status(string? status) => status?.ToLowerInvariant() switch
    {
        "active" => SubscriptionStatus.Active,
        "suspended" => SubscriptionStatus.Suspended,
        "deleted" => SubscriptionStatus.Deleted,
        "expired" => SubscriptionStatus.Expired,
        "pending" => SubscriptionStatus.Pending,
        "disabled" => SubscriptionStatus.Disabled,
        _ => null,
    };
}
