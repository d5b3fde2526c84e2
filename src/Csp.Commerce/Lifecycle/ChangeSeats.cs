using Csp.Data;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;

namespace Csp.Commerce.Lifecycle;

/// <summary>Seats wanted on the subscription.</summary>
public sealed record ChangeSeatsRequest(int Quantity);

/// <summary>
/// Changes a subscription's seats. An increase is charged for the rest of the charge cycle and can be reduced again only
/// within Microsoft's window (168 hours) from now; a reduction is allowed only for seats still inside their window
/// (docs/microsoft/lifecycle.md).
/// </summary>
public static class ChangeSeats
{
    public const string Action = "change_seats";

    public static Task<ActionResult<ActionOutcome>> RunAsync(LifecycleServices services, Guid id, ChangeSeatsRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken) =>
        SubscriptionActions.RunAsync(services, id, request, caller, preview, context => Plan(context, request.Quantity), cancellationToken);

    public static ActionPlan Plan(PlanContext context, int quantity)
    {
        var s = context.Subscription;
        var old = s.Quantity;
        var warnings = new List<string>();
        var refusal = (quantity < 1 ? PlanContext.Invalid("quantity", $"quantity must be at least 1, not {quantity}; to stop the subscription, cancel it.") : null)
            ?? (context.Sku is { } sku && (quantity < sku.MinimumQuantity || quantity > sku.MaximumQuantity)
                ? PlanContext.Invalid("quantity", $"quantity must be from {sku.MinimumQuantity} to {sku.MaximumQuantity} for {sku.Title} (the seats Microsoft allows on one subscription of it), not {quantity}.")
                : null)
            ?? context.NotInService("change seats")
            ?? (s.Term is null ? PlanContext.Refuse("subscription.usage_based", $"{s.FriendlyName} is billed by usage: it has no seats to change.") : null)
            ?? NceRules.OutsideExtendedServiceTerm(s.FriendlyName, context.InExtendedServiceTerm, "change seats")
            ?? (quantity == old ? PlanContext.Refuse("subscription.nothing_to_change", $"{s.FriendlyName} already has {SeatAdditions.Count(old)}.") : null)
            ?? (quantity < old ? NceRules.SeatReduction(s.FriendlyName, context.Cancellation, context.SeatsAddedThisTerm, old, old - quantity, context.Now) : null);

        if (quantity > old)
        {
            var until = context.Cancellation.AllowedUntil(context.Now);
            warnings.Add($"After this change, {(quantity - old == 1 ? "this seat" : $"these {quantity - old} seats")} can no longer be reduced after {until:yyyy-MM-dd HH:mm} UTC.");
        }
        else if (quantity < old)
        {
            warnings.Add($"The {SeatAdditions.Count(old - quantity)} given back {(old - quantity == 1 ? "is" : "are")} refunded for the rest of the charge cycle and cannot be added back at this term's price once the price list changes.");
        }

        if (s.ScheduledRenewal is not null)
        {
            warnings.Add("The changes scheduled for the renewal will be deleted: Microsoft deletes them on any mid-term change. Schedule them again afterwards.");
        }

        return new ActionPlan(
            Action,
            $"seats {old} → {quantity}",
            refusal,
            [new ChangeQuantity(context.Today, context.SubscriptionId, quantity) { At = context.Now }],
            warnings,
            current => current with { Quantity = quantity },
            (record, confirmed) =>
            {
                record.Event(SubscriptionEvent.QuantityChanged(record.Subscription, record.By, $"quantity {old} → {confirmed.Quantity}", old, confirmed.Quantity));
                record.Subscription.ChangeQuantity(confirmed.Quantity);
                record.DropScheduledRenewal();
            });
    }
}
