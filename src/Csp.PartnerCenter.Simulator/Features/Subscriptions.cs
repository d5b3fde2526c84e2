using System.Globalization;
using System.Text.Json;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Subscriptions (<c>/v1/customers/{id}/subscriptions</c>): get, list, and change by a PATCH of the whole resource with
/// <c>If-Match</c> — seats, status (<c>suspended</c>, <c>active</c>, <c>deleted</c> = cancel), auto-renew, the
/// end-of-term scheduled action and next-term instructions — under Microsoft's rules (docs/microsoft/lifecycle.md).
/// </summary>
public static class Subscriptions
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/customers/{customerId:guid}/subscriptions", ListAsync);
        v1.MapGet("/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}", GetAsync);
        v1.MapMethods("/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}", [HttpMethods.Patch], PatchAsync);
    }

    private static async Task<IResult> ListAsync(Guid customerId, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        var subscriptions = await db.Subscriptions.Where(s => s.CustomerId == customerId).ToListAsync(cancellationToken);
        var views = subscriptions.OrderBy(s => s.CreatedAt).Select(s => View(s, clock.GetUtcNow(), options.Value)).ToList();
        var self = LinkResource.Get($"/customers/{customerId}/subscriptions");
        return TypedResults.Json(new SubscriptionPage(views.Count, views, new CollectionLinksResource(self), new AttributesResource(null, "Collection")), SimulatorJson.Default.SubscriptionPage);
    }

    private static async Task<IResult> GetAsync(Guid customerId, Guid subscriptionId, HttpResponse response, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (await Find(db, customerId, subscriptionId, cancellationToken) is not { } subscription)
        {
            return MicrosoftErrors.NotFound($"Subscription {subscriptionId}");
        }

        response.Headers.ETag = subscription.ETag;
        return TypedResults.Json(View(subscription, clock.GetUtcNow(), options.Value), SimulatorJson.Default.SubscriptionResource);
    }

    private static async Task<IResult> PatchAsync(Guid customerId, Guid subscriptionId, HttpRequest request, HttpResponse response, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (await Find(db, customerId, subscriptionId, cancellationToken) is not { } s)
        {
            return MicrosoftErrors.NotFound($"Subscription {subscriptionId}");
        }

        // Microsoft's PATCH samples send no If-Match: without one the change applies to the subscription as it is.
        if (request.Headers.IfMatch.Count > 0 && request.Headers.IfMatch.ToString() != s.ETag)
        {
            return MicrosoftErrors.Error(StatusCodes.Status412PreconditionFailed, 412, "If-Match is not the subscription's current ETag: get the subscription again and resend the change.");
        }

        var wanted = await request.ReadFromJsonAsync(SimulatorJson.Default.SubscriptionResource, cancellationToken);
        if (wanted is null)
        {
            return MicrosoftErrors.InvalidInput("The body must be the whole subscription resource.");
        }

        var now = clock.GetUtcNow();
        if (Refusal(s, wanted, now, options.Value) is { } refused)
        {
            return refused;
        }

        var before = View(s, now, options.Value);
        Apply(s, wanted, now);
        s.Version++;
        var customer = await db.Customers.SingleAsync(c => c.Id == customerId, cancellationToken);
        AuditRecords.Add(db, customer, "subscription", "update_subscription", now, before, View(s, now, options.Value), SimulatorJson.Default.SubscriptionResource, s.Id);
        await db.SaveChangesAsync(cancellationToken);
        response.Headers.ETag = s.ETag;
        return TypedResults.Json(View(s, now, options.Value), SimulatorJson.Default.SubscriptionResource);
    }

    /// <summary>What Microsoft refuses in a change, with its status and code, or null when the change is allowed.</summary>
    private static IResult? Refusal(SimSubscription s, SubscriptionResource wanted, DateTimeOffset now, SimulatorOptions options)
    {
        var status = Status(wanted.Status);
        var hours = options.CancellationWindowHours.ToString(CultureInfo.InvariantCulture);
        if (s.Status == SubscriptionStatus.Pending || s.RenewalInProgressUntil > now)
        {
            return MicrosoftErrors.Error(StatusCodes.Status409Conflict, 800082, "Subscription is not ready to be updated. Try again after sometime.");
        }

        if (status is null)
        {
            return MicrosoftErrors.InvalidInput($"status '{wanted.Status}' is not one of active, suspended, deleted.");
        }

        if (s.Status is SubscriptionStatus.Deleted or SubscriptionStatus.Expired or SubscriptionStatus.Disabled)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800081, $"A {s.Status.ToString().ToLowerInvariant()} subscription can't be updated.");
        }

        if (status != s.Status && SubscriptionLifecycle.Next(s.Status, Trigger(status.Value)) is { IsSuccess: false } move)
        {
            return MicrosoftErrors.InvalidInput(move.Error.Message);
        }

        var othersChange = wanted.Quantity != s.Quantity || wanted.AutoRenewEnabled != s.AutoRenewEnabled;
        if (s.Status == SubscriptionStatus.Suspended && status == SubscriptionStatus.Suspended && othersChange)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800091, "Can't update a subscription with suspended status.");
        }

        if (status == SubscriptionStatus.Deleted && !s.InExtendedServiceTerm && !options.CancellationPolicy.IsOpen(s.TermStartedAt, now))
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 900213, $"You have passed your {hours}-hour cancellation window. We are unable to cancel your purchase.");
        }

        if (wanted.Quantity != s.Quantity && s.InExtendedServiceTerm)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800090, "Subscription quantity can't be changed during an Extended Service Term.");
        }

        if (wanted.Quantity < 1 && status != SubscriptionStatus.Deleted)
        {
            return MicrosoftErrors.InvalidInput("quantity must be at least 1.");
        }

        if (wanted.Quantity != s.Quantity && Catalog.Find($"{s.ProductId}:{s.SkuId}:{s.AvailabilityId}") is { } offer && wanted.Quantity > offer.MaximumQuantity)
        {
            return MicrosoftErrors.Error(StatusCodes.Status403Forbidden, 800067, $"The desired seat count exceeded the maximum seat count allowed per subscription: {wanted.Quantity} is more than the SKU's maximumQuantity, {offer.MaximumQuantity}.");
        }

        if (wanted.Quantity < s.Quantity && status != SubscriptionStatus.Deleted)
        {
            var refundable = options.CancellationPolicy.Refundable(Seats.Read(s.SeatAdditionsJson), s.Quantity, now);
            if (s.Quantity - wanted.Quantity > refundable.TotalQuantity)
            {
                return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 900214, $"You have passed your {hours}-hour window for reducing seats for this subscription: {refundable.TotalQuantity} can still be reduced.");
            }
        }

        if (wanted.ScheduledActions?.FirstOrDefault(a => !a.ScheduleType.Equals("TermEnd", StringComparison.OrdinalIgnoreCase)) is { } custom)
        {
            // Microsoft publishes no rule for a CustomDate schedule (docs/microsoft/lifecycle.md): refused rather than guessed.
            return MicrosoftErrors.InvalidInput($"scheduleType {custom.ScheduleType} is not supported: schedule actions for the term's end (TermEnd).");
        }

        if (wanted.ScheduledActions?.FirstOrDefault(a => a.ActionType == EndOfTermActions.Transition)?.Instructions?.Product is { } into
            && (Catalog.Find($"{into.ProductId}:{into.SkuId}:{into.AvailabilityId}") is not { } targetOffer
                || SimulatorCatalog.UpgradesTo.GetValueOrDefault(s.ProductId)?.Contains(targetOffer.ProductId) != true))
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, Transitions.NotEligible, $"{into.ProductId}:{into.SkuId} is not an upgrade of {s.OfferName}: a transition at term end must be one.");
        }

        if (wanted.ScheduledNextTermInstructions is not null && !(wanted.AutoRenewEnabled && s.Status == SubscriptionStatus.Active))
        {
            return MicrosoftErrors.InvalidInput("Scheduled changes need an active subscription with auto-renew on.");
        }

        return wanted.BillingCycle is null || wanted.BillingCycle.Equals(s.BillingCycle, StringComparison.OrdinalIgnoreCase) ? null : BillingCycleRefusal(s, wanted.BillingCycle, now);
    }

    /// <summary>
    /// A change of billing frequency alone (docs/microsoft/lifecycle.md): from the next charge cycle, only between monthly and
    /// annual on a three-year term, of an active, paid subscription whose current cycle does not run to the term's end.
    /// </summary>
    private static IResult? BillingCycleRefusal(SimSubscription s, string billingCycle, DateTimeOffset now)
    {
        var (from, to) = (s.BillingCycle.ToLowerInvariant(), billingCycle.ToLowerInvariant());
        if (s.Status != SubscriptionStatus.Active || s.InExtendedServiceTerm || s.IsTrial)
        {
            return MicrosoftErrors.InvalidInput("The billing frequency can change only on an active, paid subscription.");
        }

        if (s.TermDuration != "P3Y" || (from, to) is not (("monthly", "annual") or ("annual", "monthly")))
        {
            return MicrosoftErrors.InvalidInput($"Billing frequency changes are supported only between monthly and annual on a three-year term, not {from} → {to} on {s.TermDuration}.");
        }

        var schedule = NceCalendar.Reported(s.TermStartDate, Term.P3Y, TermExtensions.ParseBillingPlan(from, Term.P3Y).Value, s.TermEndDate).Value;
        return schedule.CycleOn(BillingClock.MicrosoftDay(now)) is { } cycle && cycle.End >= schedule.Period.End
            ? MicrosoftErrors.InvalidInput("The current charge cycle runs to the end of the term: change the billing frequency at renewal.")
            : null;
    }

    private static void Apply(SimSubscription s, SubscriptionResource wanted, DateTimeOffset now)
    {
        var status = Status(wanted.Status)!.Value;
        var midTerm = wanted.Quantity != s.Quantity || status == SubscriptionStatus.Deleted || (s.AutoRenewEnabled && !wanted.AutoRenewEnabled);
        if (wanted.Quantity > s.Quantity)
        {
            s.SeatAdditionsJson = Seats.Write(SeatAdditions.Add(Seats.Read(s.SeatAdditionsJson), wanted.Quantity - s.Quantity, now));
        }
        else if (wanted.Quantity < s.Quantity && status != SubscriptionStatus.Deleted)
        {
            s.SeatAdditionsJson = Seats.Write(SeatAdditions.Remove(Seats.Read(s.SeatAdditionsJson), s.Quantity - wanted.Quantity));
        }

        if (status != SubscriptionStatus.Deleted)
        {
            s.Quantity = wanted.Quantity;
        }

        var scheduled = wanted.ScheduledActions?.FirstOrDefault(a => a.ScheduleType.Equals("TermEnd", StringComparison.OrdinalIgnoreCase));
        var action = scheduled?.ActionType == EndOfTermActions.Transition ? EndOfTermActions.Renew : scheduled?.ActionType;
        if (wanted.ScheduledActions is not null)
        {
            s.EndOfTermAction = action is EndOfTermActions.Cancel or EndOfTermActions.Renew or EndOfTermActions.Est ? action : null;
        }

        // A renewal or transition action may carry its instructions, as scheduledNextTermInstructions does.
        wanted = scheduled?.Instructions is { } instructions && action == EndOfTermActions.Renew ? wanted with { ScheduledNextTermInstructions = instructions } : wanted;

        // Suspending turns auto-renew off; turning it off without a scheduled cancel starts Microsoft's 24 hours to EST.
        var autoRenew = status == SubscriptionStatus.Suspended ? false : wanted.AutoRenewEnabled;
        if (s.AutoRenewEnabled && !autoRenew)
        {
            s.AutoRenewOffAt = s.EndOfTermAction == EndOfTermActions.Cancel ? null : now;
        }
        else if (autoRenew)
        {
            s.AutoRenewOffAt = null;
        }

        s.AutoRenewEnabled = autoRenew;
        s.Status = status;

        // A new billing frequency applies from the next charge cycle; the resource shows it at once. Left out, it stays.
        s.BillingCycle = wanted.BillingCycle?.ToLowerInvariant() ?? s.BillingCycle;

        // "If you make a mid-term (immediate) change before your renewal date, all scheduled changes … are deleted." The body
        // is the whole resource, so instructions left out are instructions removed.
        s.ScheduledNextTermJson = !midTerm && s.EndOfTermAction is null or EndOfTermActions.Renew && wanted.ScheduledNextTermInstructions is { } next
            ? JsonSerializer.Serialize(next, SimulatorJson.Default.NextTermInstructionsResource)
            : null;
    }

    private static Task<SimSubscription?> Find(SimulatorDb db, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken) =>
        db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken);

    private static SubscriptionStatus? Status(string? text) => text?.ToLowerInvariant() switch
    {
        "active" => SubscriptionStatus.Active,
        "suspended" => SubscriptionStatus.Suspended,
        "deleted" => SubscriptionStatus.Deleted,
        _ => null,
    };

    private static SubscriptionTrigger Trigger(SubscriptionStatus to) => to switch
    {
        SubscriptionStatus.Suspended => SubscriptionTrigger.Suspend,
        SubscriptionStatus.Deleted => SubscriptionTrigger.Cancel,
        _ => SubscriptionTrigger.Reactivate,
    };

    public static SubscriptionResource View(SimSubscription s, DateTimeOffset now, SimulatorOptions options)
    {
        var refundable = options.CancellationPolicy.Refundable(Seats.Read(s.SeatAdditionsJson), s.Quantity, now);
        IReadOnlyList<ScheduledActionResource>? actions = s.EndOfTermAction is { } action ? [new ScheduledActionResource("TermEnd", action)] : null;
        var allowedUntil = s.InExtendedServiceTerm || s.IsUsage ? (DateTimeOffset?)null : options.CancellationPolicy.AllowedUntil(s.TermStartedAt);

        // The availability's cancellation policy (Catalog): a full refund for a day, then a partial one to the window's end.
        IReadOnlyList<SubscriptionRefundOption> refunds = allowedUntil is { } until && !s.IsTrial
            ? [new SubscriptionRefundOption("Full", s.TermStartedAt.AddDays(1)), new SubscriptionRefundOption("Partial", until)]
            : [];
        var product = s.IsUsage ? "Azure" : "OnlineServicesNCE";
        var links = new SubscriptionLinks(
            LinkResource.Get($"/products/{s.ProductId}"),
            LinkResource.Get($"/products/{s.ProductId}/skus/{s.SkuId}"),
            LinkResource.Get($"/products/{s.ProductId}/skus/{s.SkuId}/availabilities/{s.AvailabilityId}"),
            LinkResource.Get($"/customers/{s.CustomerId}/subscriptions/{s.Id}"));
        return new SubscriptionResource(
            s.Id.ToString(), $"{s.ProductId}:{s.SkuId}:{s.AvailabilityId}", s.OfferName, s.OfferName, new ItemTypeResource(product, product),
            s.Quantity, s.IsUsage ? "Usage-based" : "Licenses", HasPurchasableAddons: false,
            s.CreatedAt, BillingClock.StartOfDay(s.TermStartDate),
            s.TermEndDate is { } end ? BillingClock.StartOfDay(end) : null,
            s.TermEndDate is { } last ? BillingClock.StartOfDay(last).AddDays(1).AddSeconds(-1) : null,
            s.Status.ToString().ToLowerInvariant(), s.AutoRenewEnabled, s.IsTrial, s.IsUsage ? "usage" : "license", s.BillingCycle,
            s.InExtendedServiceTerm ? "P1M" : s.TermDuration, RenewalTermDuration: "", refunds, IsMicrosoftProduct: true, s.PartnerIdOnRecord ?? "",
            AttentionNeeded: false, ActionTaken: false, "subscription", links, "Microsoft Corporation",
            new RefundableQuantityResource(refundable.TotalQuantity, refundable.Details.Select(d => new RefundableQuantityDetailResource(d.Quantity, d.AllowedUntil)).ToList()),
            s.OrderId, allowedUntil, actions,
            s.ScheduledNextTermJson is { } json ? JsonSerializer.Deserialize(json, SimulatorJson.Default.NextTermInstructionsResource) : null,
            s.PromotionId,
            new AttributesResource(s.ETag, "Subscription"));
    }
}
