using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.EntityFrameworkCore;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Upgrades (<c>…/subscriptions/{id}/transitionEligibilities</c> and <c>…/transitions</c>, partner-center.md §1.10):
/// only from an active subscription, only to a richer product (<see cref="SimulatorCatalog.UpgradesTo"/>; downgrades are
/// refused), never more seats than the source has. A full upgrade keeps the subscription id; a partial one starts a new
/// subscription coterminous with the source, or moves the seats onto an existing one. Upgrades have no cancellation
/// window and drop the source's scheduled changes.
/// </summary>
public static class Transitions
{
    /// <summary>
    /// The code Partner Center's transition errors use here. Microsoft publishes the range (900258–900261) without saying
    /// which code a downgrade gets; this one is the simulator's choice.
    /// </summary>
    public const string NotEligible = "900260";

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}/transitionEligibilities", EligibilitiesAsync);
        v1.MapPost("/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}/transitions", TransitionAsync);
    }

    private static async Task<IResult> EligibilitiesAsync(Guid customerId, Guid subscriptionId, SimulatorDb db, CancellationToken cancellationToken)
    {
        if (await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken) is not { } source)
        {
            return MicrosoftErrors.NotFound($"Subscription {subscriptionId}");
        }

        var targets = SimulatorCatalog.Offers.Where(o => !o.IsUsage && o.ProductId != source.ProductId).Select(o =>
        {
            var refusal = Refusal(source, o);
            return new TransitionEligibility(o.CatalogItemId, o.Title, [new Eligibility("Immediate", refusal is null, refusal is null ? null : [new ApiError(NotEligible, refusal)])]);
        }).ToList();
        return TypedResults.Json(new ResourcePage<TransitionEligibility>(targets.Count, targets), PartnerCenterJson.Default.ResourcePageTransitionEligibility);
    }

    private static async Task<IResult> TransitionAsync(Guid customerId, Guid subscriptionId, HttpRequest request, SimulatorDb db, SimulatorClock clock, CancellationToken cancellationToken)
    {
        if (await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken) is not { } source)
        {
            return MicrosoftErrors.NotFound($"Subscription {subscriptionId}");
        }

        var wanted = await request.ReadFromJsonAsync(PartnerCenterJson.Default.Transition, cancellationToken);
        if (wanted is null || Catalog.Find(wanted.ToCatalogItemId) is not { } target)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, "800004", "toCatalogItemId is not an offer of the catalog.");
        }

        if (Refusal(source, target) is { } refusal)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, NotEligible, refusal);
        }

        if (wanted.Quantity < 1 || wanted.Quantity > source.Quantity)
        {
            return MicrosoftErrors.InvalidInput($"quantity must be 1 to the source's {source.Quantity} seats.");
        }

        var now = clock.GetUtcNow();
        var from = $"{source.ProductId}:{source.SkuId}:{source.AvailabilityId}";
        SimSubscription upgraded;
        if (wanted.ToSubscriptionId is { } toId)
        {
            if (!Guid.TryParse(toId, out var existingId) || await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == existingId && s.CustomerId == customerId, cancellationToken) is not { } existing
                || existing.ProductId != target.ProductId || existing.Status != SubscriptionStatus.Active)
            {
                return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, NotEligible, "toSubscriptionId must be an active subscription of the target product.");
            }

            existing.Quantity += wanted.Quantity;
            existing.SeatAdditionsJson = Seats.Write(SeatAdditions.Add(Seats.Read(existing.SeatAdditionsJson), wanted.Quantity, now));
            existing.Version++;
            Reduce(source, wanted.Quantity);
            upgraded = existing;
        }
        else if (wanted.Quantity == source.Quantity)
        {
            // A full upgrade keeps the subscription id.
            (source.ProductId, source.SkuId, source.AvailabilityId, source.OfferName) = (target.ProductId, target.SkuId, target.AvailabilityId, target.Title);
            source.ScheduledNextTermJson = null;
            source.Version++;
            upgraded = source;
        }
        else
        {
            upgraded = new SimSubscription
            {
                Id = Guid.CreateVersion7(now),
                CustomerId = customerId,
                OrderId = source.OrderId,
                ProductId = target.ProductId,
                SkuId = target.SkuId,
                AvailabilityId = target.AvailabilityId,
                OfferName = target.Title,
                Quantity = wanted.Quantity,
                TermDuration = source.TermDuration,
                BillingCycle = source.BillingCycle,
                Status = SubscriptionStatus.Active,
                AutoRenewEnabled = source.AutoRenewEnabled,
                CreatedAt = now,
                TermStartedAt = now,
                TermStartDate = source.TermStartDate,
                TermEndDate = source.TermEndDate,
                PartnerIdOnRecord = source.PartnerIdOnRecord,
                SeatAdditionsJson = Seats.Write([new SeatAddition(wanted.Quantity, now)]),
                Currency = source.Currency,
            };
            db.Subscriptions.Add(upgraded);
            Reduce(source, wanted.Quantity);
        }

        var done = wanted with
        {
            FromSubscriptionId = source.Id.ToString(),
            FromCatalogItemId = from,
            ToSubscriptionId = upgraded.Id.ToString(),
            TermDuration = upgraded.TermDuration,
            BillingCycle = upgraded.BillingCycle,
            Status = "Completed",
            Events = [new TransitionEvent("Conversion", "Completed", now)],
        };
        var customer = await db.Customers.SingleAsync(c => c.Id == customerId, cancellationToken);
        AuditRecords.Add(db, customer, "subscription", "upgrade_subscription", now, null, done, PartnerCenterJson.Default.Transition, source.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(done, PartnerCenterJson.Default.Transition, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Why Partner Center refuses this upgrade, or null when it allows it.</summary>
    private static string? Refusal(SimSubscription source, SimulatorCatalog.Offer target) =>
        source.Status != SubscriptionStatus.Active || source.InExtendedServiceTerm || source.IsTrial
            ? "Upgrades can only start from an active, paid subscription."
            : SimulatorCatalog.UpgradesTo.GetValueOrDefault(source.ProductId)?.Contains(target.ProductId) == true
                ? null
                : $"{target.Title} is not an upgrade of {source.OfferName}: downgrades aren't supported.";

    /// <summary>The seats moved leave the source; a source left with none is gone (no refund: upgrades have no window).</summary>
    private static void Reduce(SimSubscription source, int seats)
    {
        source.Quantity -= seats;
        source.SeatAdditionsJson = Seats.Write([]);
        source.ScheduledNextTermJson = null;
        if (source.Quantity == 0)
        {
            source.Status = SubscriptionStatus.Deleted;
        }

        source.Version++;
    }
}
