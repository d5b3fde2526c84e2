using System.Text.Json;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Upgrades (<c>…/subscriptions/{id}/transitionEligibilities</c> and <c>…/transitions</c>, docs/microsoft/lifecycle.md):
/// only from an active subscription, only to a richer product (<see cref="SimulatorCatalog.UpgradesTo"/>; downgrades are
/// refused), never more seats than the source has. A full upgrade keeps the subscription id; a partial one starts a new
/// subscription coterminous with the source, or moves the seats onto an existing one. Upgrades have no cancellation
/// window and drop the source's scheduled changes.
/// </summary>
public static class Transitions
{
    /// <summary>
    /// The code for a target that is not an upgrade of the source, or a source that cannot be upgraded. Microsoft's
    /// transition codes (900258–900261, 900236, 900267) are each about the target subscription (<c>toSubscriptionId</c>)
    /// and none fits, so the simulator answers Microsoft's "Invalid request input", with the reason.
    /// </summary>
    public const int NotEligible = 800002;

    private const string TransitionOnly = "transition_only";

    private const string WithLicenseTransfer = "transition_with_license_transfer";

    /// <summary>
    /// The error-codes page's code for a transition onto a target refused for each subscription eligibility code: not
    /// active, not ready (still in its cancellation window), a shorter term, ending earlier.
    /// </summary>
    private static readonly Dictionary<int, int> TransitionCodes = new() { [1] = 900258, [2] = 900261, [3] = 900267, [4] = 900236 };

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}/transitionEligibilities", EligibilitiesAsync);
        v1.MapPost("/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}/transitions", TransitionAsync);
        v1.MapGet("/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}/transitions", HistoryAsync);
    }

    private static async Task<IResult> EligibilitiesAsync(
        Guid customerId, Guid subscriptionId, string? eligibilityType, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken) is not { } source)
        {
            return MicrosoftErrors.NotFound($"Subscription {subscriptionId}");
        }

        if (eligibilityType is not null && !eligibilityType.Equals("immediate", StringComparison.OrdinalIgnoreCase) && !eligibilityType.Equals("scheduled", StringComparison.OrdinalIgnoreCase))
        {
            return MicrosoftErrors.InvalidInput($"eligibilityType '{eligibilityType}' is not one of immediate, scheduled.");
        }

        // "Empty lists will be returned if the source subscription is a trial or if the eligibilityType is specified as
        // Scheduled": seats move onto an existing subscription only at once.
        var intoExisting = !source.IsTrial && !"scheduled".Equals(eligibilityType, StringComparison.OrdinalIgnoreCase);
        var customers = intoExisting
            ? await db.Subscriptions.Where(s => s.CustomerId == customerId && s.Id != subscriptionId && !s.IsUsage).ToListAsync(cancellationToken)
            : [];
        var now = clock.GetUtcNow();
        var operationId = Guid.NewGuid().ToString();
        var targets = SimulatorCatalog.Offers.Where(o => !o.IsUsage && o.ProductId != source.ProductId).Select(o =>
        {
            IReadOnlyList<EligibilityErrorResource> errors = Refusal(source, o) is { } refusal ? [new EligibilityErrorResource(NotEligible, refusal)] : [];
            var existing = customers.Where(c => c.ProductId == o.ProductId).Select(c =>
            {
                IReadOnlyList<EligibilityErrorResource> why = IntoRefusal(source, c, now, options.Value) is { } into ? [into] : [];
                return new TargetSubscriptionEligibilityResource(why.Count == 0, c.Id.ToString(), c.OfferName, c.TermDuration, c.BillingCycle, why);
            }).ToList();
            return new TransitionEligibilityResource(
                operationId, o.CatalogItemId, o.Title, o.Title, source.Quantity, existing,
                [
                    new TransitionEligibilityDetailResource(errors.Count == 0, TransitionOnly, errors),
                    new TransitionEligibilityDetailResource(errors.Count == 0, WithLicenseTransfer, errors),
                ],
                new AttributesResource(null, "TransitionEligibility"));
        }).ToList();
        return TypedResults.Json(new TransitionEligibilityPage(targets.Count, targets, new AttributesResource(null, "Collection")), SimulatorJson.Default.TransitionEligibilityPage);
    }

    /// <summary>The subscription's transitions, from the audit of the upgrades that started from it or moved seats onto it.</summary>
    private static async Task<IResult> HistoryAsync(Guid customerId, Guid subscriptionId, SimulatorDb db, CancellationToken cancellationToken)
    {
        if (!await db.Subscriptions.AnyAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken))
        {
            return MicrosoftErrors.NotFound($"Subscription {subscriptionId}");
        }

        var id = subscriptionId.ToString();
        var upgrades = await db.AuditRecords.Where(r => r.CustomerId == customerId && r.OperationType == "upgrade_subscription").OrderBy(r => r.Id).Select(r => r.ResourceNewValue!).ToListAsync(cancellationToken);
        var transitions = upgrades.Select(json => JsonSerializer.Deserialize(json, SimulatorJson.Default.TransitionResource)!)
            .Where(t => t.FromSubscriptionId == id || t.ToSubscriptionId == id)
            .ToList();
        return TypedResults.Json(new TransitionHistoryResource(transitions, new AttributesResource(null, "Collection")), SimulatorJson.Default.TransitionHistoryResource);
    }

    private static async Task<IResult> TransitionAsync(
        Guid customerId, Guid subscriptionId, HttpRequest request, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken) is not { } source)
        {
            return MicrosoftErrors.NotFound($"Subscription {subscriptionId}");
        }

        var wanted = await request.ReadFromJsonAsync(SimulatorJson.Default.TransitionRequest, cancellationToken);
        if (wanted?.ToCatalogItemId is null || Catalog.Find(wanted.ToCatalogItemId) is not { } target)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800004, "toCatalogItemId is not an offer of the catalog.");
        }

        if (wanted.TransitionType is not (TransitionOnly or WithLicenseTransfer))
        {
            return MicrosoftErrors.InvalidInput($"transitionType must be {TransitionOnly} or {WithLicenseTransfer}.");
        }

        if (Refusal(source, target) is { } refusal)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, NotEligible, refusal);
        }

        if (wanted.Quantity is not { } quantity || quantity < 1 || quantity > source.Quantity)
        {
            return MicrosoftErrors.InvalidInput($"quantity must be 1 to the source's {source.Quantity} seats.");
        }

        var now = clock.GetUtcNow();
        var from = $"{source.ProductId}:{source.SkuId}:{source.AvailabilityId}";
        SimSubscription upgraded;
        if (wanted.ToSubscriptionId is { } toId)
        {
            if (!Guid.TryParse(toId, out var existingId) || await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == existingId && s.CustomerId == customerId, cancellationToken) is not { } existing)
            {
                return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 900258, "The target transition ToSubscriptionId field is invalid. Target subscription must be active.");
            }

            if (existing.Id == source.Id)
            {
                return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 900259, "The target transition ToSubscriptionId field is invalid. Target subscription id can't be the same as the source subscription ID.");
            }

            if (existing.ProductId != target.ProductId)
            {
                return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 900260, "The target transition ToSubscriptionId field is invalid. Target subscription must have the same CatalogItemId as in the transition request.");
            }

            if (IntoRefusal(source, existing, now, options.Value) is { } into)
            {
                return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, TransitionCodes[into.Code], into.Description);
            }

            existing.Quantity += quantity;
            existing.SeatAdditionsJson = Seats.Write(SeatAdditions.Add(Seats.Read(existing.SeatAdditionsJson), quantity, now));
            existing.Version++;
            Reduce(source, quantity);
            upgraded = existing;
        }
        else if (quantity == source.Quantity)
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
                Quantity = quantity,
                TermDuration = source.TermDuration,
                BillingCycle = source.BillingCycle,
                Status = SubscriptionStatus.Active,
                AutoRenewEnabled = source.AutoRenewEnabled,
                CreatedAt = now,
                TermStartedAt = now,
                TermStartDate = source.TermStartDate,
                TermEndDate = source.TermEndDate,
                PartnerIdOnRecord = source.PartnerIdOnRecord,
                SeatAdditionsJson = Seats.Write([new SeatAddition(quantity, now)]),
                Currency = source.Currency,
            };
            db.Subscriptions.Add(upgraded);
            Reduce(source, quantity);
        }

        var done = new TransitionResource(
            Guid.NewGuid().ToString(), from, source.Id.ToString(), target.CatalogItemId, upgraded.Id.ToString(), quantity, upgraded.TermDuration, upgraded.BillingCycle,
            wanted.TransitionType, "Completed",
            [new TransitionEventResource("Conversion", "Completed", now, new AttributesResource(null, "TransitionEvent"))],
            new AttributesResource(null, "Transition"));
        var customer = await db.Customers.SingleAsync(c => c.Id == customerId, cancellationToken);
        AuditRecords.Add(db, customer, "subscription", "upgrade_subscription", now, null, done, SimulatorJson.Default.TransitionResource, source.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(done, SimulatorJson.Default.TransitionResource);
    }

    /// <summary>Why Partner Center refuses this upgrade, or null when it allows it.</summary>
    private static string? Refusal(SimSubscription source, SimulatorCatalog.Offer target) =>
        source.Status != SubscriptionStatus.Active || source.InExtendedServiceTerm || source.IsTrial
            ? "Upgrades can only start from an active, paid subscription."
            : SimulatorCatalog.UpgradesTo.GetValueOrDefault(source.ProductId)?.Contains(target.ProductId) == true
                ? null
                : $"{target.Title} is not an upgrade of {source.OfferName}: downgrades aren't supported.";

    /// <summary>
    /// Why seats of <paramref name="source"/> may not move onto <paramref name="into"/> now, with Microsoft's subscription
    /// eligibility code, or null when they may: it must be active, past its cancellation window, of a term no shorter
    /// than the source's and ending no earlier.
    /// </summary>
    private static EligibilityErrorResource? IntoRefusal(SimSubscription source, SimSubscription into, DateTimeOffset now, SimulatorOptions options) =>
        into.Status != SubscriptionStatus.Active ? new(1, "Subscription is not active.")
        : options.CancellationPolicy.IsOpen(into.TermStartedAt, now) ? new(2, "Subscription is within cancellation window.")
        : Months(into.TermDuration) < Months(source.TermDuration) ? new(3, "Subscription term duration is shorter than the source subscription's term duration.")
        : into.TermEndDate < source.TermEndDate ? new(4, "Subscription term end date is before the source subscription's term end date.")
        : null;

    private static int Months(string termDuration) => TermExtensions.ParseTerm(termDuration) is { IsSuccess: true } term ? term.Value.Months() : 0;

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
