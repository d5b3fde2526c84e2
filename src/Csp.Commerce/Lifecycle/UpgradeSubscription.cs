using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using ApiSubscription = Csp.PartnerCenter.Api.Subscription;
using Subscription = Csp.Data.Subscription;

namespace Csp.Commerce.Lifecycle;

/// <summary>
/// Seats to upgrade to another product: all of them (the subscription keeps its id), some of them into a new subscription
/// coterminous with this one, or into an existing subscription of the target product (<see cref="ToSubscriptionId"/>).
/// </summary>
/// <param name="Quantity">Seats to upgrade; all of them when left out.</param>
public sealed record UpgradeRequest(string ToCatalogItemId, int? Quantity = null, Guid? ToSubscriptionId = null);

/// <summary>A product the subscription may or may not be upgraded to, as Partner Center says, and its price for the subscription's term and plan today.</summary>
public sealed record UpgradeTarget(string CatalogItemId, string Title, bool Eligible, IReadOnlyList<string> Reasons, string Term, string BillingPlan, decimal? UnitPrice, string Currency);

/// <summary>
/// Upgrades a subscription (docs/microsoft/lifecycle.md): only from an active, paid subscription, only to a target Partner Center
/// lists as eligible (downgrades are not supported), and it cannot be undone — an upgrade has no cancellation window. The
/// target is charged from today at the price list's price for the source's term and plan, coterminous with the source;
/// the source is refunded the rest of its charge cycle for the seats that leave it. The changes scheduled for the renewal
/// are deleted, as Microsoft deletes them.
/// </summary>
public static class UpgradeSubscription
{
    public const string Action = "upgrade";

    /// <summary>
    /// The products Partner Center allows subscription <paramref name="id"/> to be upgraded to, each with Microsoft's
    /// reasons when not eligible and its price for the subscription's term and plan today; none for a usage-based one.
    /// </summary>
    public static async Task<ActionResult<List<UpgradeTarget>>> ListTargetsAsync(LifecycleServices services, Guid id, CancellationToken cancellationToken)
    {
        if (await SubscriptionActions.ContextAsync(services, id, cancellationToken) is not { } context)
        {
            return new(null, null, ActionFailure.NotFound("subscription", id));
        }

        var s = context.Subscription;
        if (s.Term is not { } term)
        {
            return new(null, [], null);
        }

        IReadOnlyList<TransitionEligibility> eligibilities;
        try
        {
            eligibilities = await services.PartnerCenter.ListTransitionEligibilitiesAsync(context.Customer.CustomerTenantId.ToString(), context.SubscriptionId, cancellationToken);
        }
        catch (Exception e) when (SubscriptionActions.IsPartnerCenterFailure(e))
        {
            return new(null, null, SubscriptionActions.PartnerCenterFailure(e, null, "").Failure);
        }

        var prices = await PriceList.LoadAsync(services.Db, [], [context.Customer], cancellationToken, eligibilities.Select(t => t.CatalogItemId.Split(':')[0]));
        return new(null, eligibilities.Select(t =>
        {
            var transitionOnly = t.TransitionOnly;
            var price = CatalogItem.TryParse(t.CatalogItemId) is { } item ? prices.UnitPrice(item.ProductId, item.SkuId, item.AvailabilityId, context.Customer, term, s.BillingPlan, context.Today) : null;
            return new UpgradeTarget(
                t.CatalogItemId, t.Title, transitionOnly?.IsEligible == true, transitionOnly?.Errors?.Select(e => e.Description).ToList() ?? [], term.ToString(), s.BillingPlan.ToMicrosoft(), price, s.Currency);
        }).ToList(), null);
    }

    public static async Task<ActionResult<ActionOutcome>> RunAsync(
        LifecycleServices services, Guid id, UpgradeRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken)
    {
        var target = CatalogItem.TryParse(request.ToCatalogItemId);
        var contexts = await SubscriptionActions.ContextsAsync(
            services, services.Db.Subscriptions.Where(x => x.Id == id || x.Id == request.ToSubscriptionId), cancellationToken, target is null ? null : [target.Value.ProductId]);
        if (contexts.FirstOrDefault(c => c.Subscription.Id == id) is not { } context)
        {
            return new(null, null, ActionFailure.NotFound("subscription", id));
        }

        var into = contexts.FirstOrDefault(c => c.Subscription.Id != id);
        if (into is not null)
        {
            // Seats moving into an existing subscription are charged with it: the two run as one history.
            context = context with { Family = [.. context.Family, .. into.Family.Where(m => context.Family.All(f => f.Subscription.Id != m.Subscription.Id))] };
        }

        Error? eligibility = null;
        var title = request.ToCatalogItemId;
        var s = context.Subscription;
        if (target is not null && s is { Status: SubscriptionStatus.Active, Term: not null })
        {
            try
            {
                var client = services.PartnerCenter;
                var tenant = context.Customer.CustomerTenantId.ToString();
                var offered = await client.ListTransitionEligibilitiesAsync(tenant, context.SubscriptionId, cancellationToken);
                eligibility = Eligibility(offered, request.ToCatalogItemId, s, into?.Subscription);

                // A retry of a full upgrade Partner Center already made (its answer lost, or the host gone before recording
                // it): Partner Center no longer lists the target, but the same request id replays the upgrade it made.
                if (eligibility is not null && !preview
                    && (await client.GetSubscriptionAsync(tenant, context.SubscriptionId, cancellationToken)).OfferId.Equals(request.ToCatalogItemId, StringComparison.OrdinalIgnoreCase))
                {
                    eligibility = null;
                }

                title = offered.FirstOrDefault(t => t.CatalogItemId.Equals(request.ToCatalogItemId, StringComparison.OrdinalIgnoreCase))?.Title ?? title;
            }
            catch (Exception e) when (SubscriptionActions.IsPartnerCenterFailure(e))
            {
                return new(null, null, SubscriptionActions.PartnerCenterFailure(e, null, "Nothing was changed.").Failure);
            }
        }

        var plan = Plan(context, request, target, title, into?.Subscription, eligibility);
        return await SubscriptionActions.ExecuteAsync(services, context, plan, preview, caller, request, cancellationToken);
    }

    /// <summary>
    /// Why Partner Center would refuse the upgrade to <paramref name="catalogItemId"/>, from its eligibilities: the target
    /// itself, and <paramref name="into"/> (when the seats move onto it) as one of the target's subscription eligibilities.
    /// Null when Partner Center lists both as eligible.
    /// </summary>
    private static Error? Eligibility(IReadOnlyList<TransitionEligibility> offered, string catalogItemId, Subscription s, Subscription? into)
    {
        var found = offered.FirstOrDefault(t => t.CatalogItemId.Equals(catalogItemId, StringComparison.OrdinalIgnoreCase));
        var transitionOnly = found?.TransitionOnly;
        if (found is null || transitionOnly?.IsEligible != true)
        {
            return PlanContext.Refuse(
                "subscription.upgrade_not_eligible",
                found is null
                    ? $"Partner Center does not offer {catalogItemId} as an upgrade of {s.FriendlyName}; GET …/upgrades lists the products that are."
                    : $"Partner Center does not allow upgrading {s.FriendlyName} to {found.Title}: {string.Join(" ", transitionOnly?.Errors?.Select(e => e.Description) ?? ["not eligible."])}");
        }

        // Without the list (Partner Center did not say), Partner Center decides when the seats are sent.
        if (into is null || found.SubscriptionEligibilities is null)
        {
            return null;
        }

        var onto = found.SubscriptionEligibilities.FirstOrDefault(e => e.SubscriptionId.Equals(into.MicrosoftSubscriptionId.ToString(), StringComparison.OrdinalIgnoreCase));
        return onto?.IsEligible == true
            ? null
            : PlanContext.Refuse(
                "subscription.upgrade_not_eligible",
                $"Partner Center does not allow moving seats of {s.FriendlyName} onto {into.FriendlyName}: {string.Join(" ", onto?.Errors?.Select(e => e.Description) ?? ["it is not one of the subscriptions of the target Partner Center lists as eligible."])}");
    }

    /// <param name="title">The target's name, as Partner Center lists it.</param>
    public static ActionPlan Plan(
        PlanContext context, UpgradeRequest request, (string ProductId, string SkuId, string AvailabilityId)? target, string title, Subscription? into, Error? eligibility)
    {
        var s = context.Subscription;
        var seats = request.Quantity ?? s.Quantity;
        var price = target is { } t && s.Term is { } term ? context.Prices.UnitPrice(t.ProductId, t.SkuId, t.AvailabilityId, context.Customer, term, s.BillingPlan, context.Today) : null;
        var refusal = (target is null ? PlanContext.Invalid("toCatalogItemId", $"toCatalogItemId must be productId:skuId:availabilityId, not '{request.ToCatalogItemId}'.") : null)
            ?? (seats < 1 ? PlanContext.Invalid("quantity", $"quantity must be 1 to the subscription's {s.Quantity} seats, not {seats}.") : null)
            ?? context.NotInService("be upgraded")
            ?? (s.Term is not { } sourceTerm ? PlanContext.Refuse("subscription.usage_based", $"{s.FriendlyName} is billed by usage: it has no seats to upgrade.") : null)
            ?? NceRules.OutsideExtendedServiceTerm(s.FriendlyName, context.InExtendedServiceTerm, "be upgraded")
            ?? NceRules.Upgrade(s.FriendlyName, s.IsTrial, s.Term!.Value, s.Term.Value)
            ?? (seats < 1 || seats > s.Quantity ? PlanContext.Invalid("quantity", $"quantity must be 1 to the subscription's {s.Quantity} seats, not {seats}.") : null)
            ?? (request.ToSubscriptionId is { } wanted && into is null ? PlanContext.Invalid("toSubscriptionId", $"toSubscriptionId {wanted} is not a subscription of this partner.") : null)
            ?? IntoRefusal(s, into, target)
            ?? eligibility
            ?? (price is null
                ? PlanContext.Refuse("subscription.no_price", $"The price list has no {s.Term} {s.BillingPlan.ToMicrosoft()} price for {request.ToCatalogItemId} in {context.Customer.Country} {s.Currency} today: sync the price list first.")
                : null);

        if (refusal is not null)
        {
            return new ActionPlan(Action, $"upgrade to {request.ToCatalogItemId}", refusal, [], [], current => current, (_, _) => { });
        }

        var (productId, skuId, availabilityId) = target!.Value;
        var terms = new SubscriptionTerms(productId, skuId, availabilityId, title, s.Term!.Value, s.BillingPlan, price!.Value);
        var currency = Currency.FromCode(s.Currency).Value;
        var full = into is null && seats == s.Quantity;
        var targetKey = into?.MicrosoftSubscriptionId.ToString() ?? $"{context.SubscriptionId}~upgrade";
        var boughtTarget = new PurchasedSubscription(
            targetKey, productId, skuId, title, new Money(price.Value, currency), s.Term.Value, s.BillingPlan, context.Today, seats,
            MonthlyTermUnitPrice: context.Prices.MonthlyTermPrice(productId, skuId, availabilityId, context.Customer, context.Today));

        var warnings = new List<string>
        {
            $"This upgrade cannot be undone: Microsoft does not allow downgrades, and the upgraded seats have no cancellation window.",
            full
                ? $"All {seats} seats become {title}; the subscription keeps its id and its term end ({s.TermEndDate:yyyy-MM-dd})."
                : into is null
                    ? $"{seats} of the {s.Quantity} seats move to a new subscription of {title}, ending with this one on {s.TermEndDate:yyyy-MM-dd}; {s.Quantity - seats} stay."
                    : $"{seats} seats move into {into.FriendlyName} ({into.Quantity} → {into.Quantity + seats} seats); {s.Quantity - seats} stay here.",
        };
        if (s.PromotionId is not null)
        {
            warnings.Add($"The promotion {s.PromotionId} is lost on the upgraded seats: they are charged at the price list's price.");
        }

        if (s.ScheduledRenewal is not null)
        {
            warnings.Add("The changes scheduled for the renewal will be deleted: Microsoft deletes them when an upgrade starts.");
        }

        Transition? done = null;
        ApiSubscription? created = null;
        return new ActionPlan(
            Action,
            $"upgrade {seats} seats to {title}",
            null,
            [new Upgrade(context.Today, context.SubscriptionId, seats, boughtTarget, TargetExists: into is not null) { At = context.Now }],
            warnings,
            current => current,
            (record, after) => Record(record, after, context, done!, created, into, terms, seats),
            Send: async (client, tenant, before, requestId, cancellationToken) =>
            {
                done = await client.TransitionAsync(
                    tenant,
                    context.SubscriptionId,
                    new Transition(s.CatalogItemId, request.ToCatalogItemId, seats, Transition.TransitionOnly, context.SubscriptionId, into?.MicrosoftSubscriptionId.ToString(), before.TermDuration, before.BillingCycle),
                    requestId,
                    cancellationToken);
                if (into is null && done.ToSubscriptionId is { } to && to != context.SubscriptionId)
                {
                    created = await client.GetSubscriptionAsync(tenant, to, cancellationToken);
                }

                return await client.GetSubscriptionAsync(tenant, context.SubscriptionId, cancellationToken);
            });
    }

    /// <summary>Why the existing subscription named cannot take the seats, or null.</summary>
    private static Error? IntoRefusal(Subscription s, Subscription? into, (string ProductId, string SkuId, string AvailabilityId)? target) =>
        into is null ? null
        : into.CustomerId != s.CustomerId ? PlanContext.Invalid("toSubscriptionId", $"{into.FriendlyName} belongs to another customer.")
        : into.Status != SubscriptionStatus.Active ? PlanContext.Refuse("subscription.not_active", $"{into.FriendlyName} is {into.Status.ToString().ToLowerInvariant()}: seats can move only into an active subscription.")
        : target is not { } t || into.ProductId != t.ProductId || into.SkuId != t.SkuId || into.AvailabilityId != t.AvailabilityId
            ? PlanContext.Invalid("toSubscriptionId", $"{into.FriendlyName} is not a subscription of {target?.ProductId}:{target?.SkuId}:{target?.AvailabilityId}.")
        : into.Term != s.Term || into.BillingPlan != s.BillingPlan || into.TermEndDate < s.TermEndDate
            ? PlanContext.Refuse("subscription.upgrade_not_eligible", $"{into.FriendlyName} must have the same term and plan as {s.FriendlyName} and end no earlier ({into.TermEndDate:yyyy-MM-dd}).")
        : null;

    private static void Record(ActionRecorder record, ApiSubscription after, PlanContext context, Transition done, ApiSubscription? created, Subscription? into, SubscriptionTerms terms, int seats)
    {
        var s = record.Subscription;
        var before = s.Terms;
        var left = s.Quantity - seats;
        record.DropScheduledRenewal();
        if (into is null && done.ToSubscriptionId == context.SubscriptionId)
        {
            record.Event(SubscriptionEvent.Upgraded(s, record.By, $"upgraded all {seats} seats to {terms.ProductName}", seats, 0, before, terms, into: s.Id));
            s.ChangeTerms(terms);
            return;
        }

        var target = into;
        if (target is null)
        {
            var found = created ?? throw new InvalidOperationException($"Partner Center's transition {done.ToSubscriptionId} named no subscription.");
            target = new Subscription(
                Guid.CreateVersion7(record.At), s.PartnerId, s.CustomerId, Guid.Parse(found.Id), terms.ProductId, terms.SkuId, terms.AvailabilityId, found.FriendlyName, terms.Term,
                terms.BillingPlan, 0, context.Today, s.TermStartDate, s.TermEndDate, record.At, SubscriptionStatus.Active, SubscriptionChanges.Decision(found), found.AutoRenewEnabled,
                terms.UnitPrice, s.Currency, null, false, found.OrderId);
            record.Add(target);
        }

        record.Event(SubscriptionEvent.Upgraded(s, record.By, $"upgraded {seats} of {s.Quantity} seats to {terms.ProductName} ({target.FriendlyName})", s.Quantity, left, before, terms, into: target.Id));
        record.Event(SubscriptionEvent.UpgradeReceived(target, record.By, $"{seats} seats upgraded from {s.FriendlyName}", target.Quantity, target.Quantity + seats, from: s.Id));
        target.ChangeQuantity(target.Quantity + seats);
        s.ChangeQuantity(after.Quantity);
        if (SubscriptionChanges.Status(after.Status) is { } status)
        {
            s.Follow(status);
        }
    }
}
