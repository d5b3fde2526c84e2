using System.Text.Json;
using Csp.Commerce.Billing;
using Csp.Commerce.Reconciliations;
using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using Availability = Csp.Data.Availability;
using CancellationPolicy = Csp.Domain.Subscriptions.CancellationPolicy;
using Customer = Csp.Data.Customer;
using Sku = Csp.Data.Sku;
using Subscription = Csp.Data.Subscription;

namespace Csp.Commerce.Lifecycle;

/// <summary>A subscription to buy from the catalog.</summary>
/// <param name="CatalogItemId"><c>productId:skuId:availabilityId</c>.</param>
/// <param name="Term">P1M, P1Y or P3Y.</param>
/// <param name="BillingPlan">monthly, annual, triennial, or none (up front).</param>
/// <param name="CustomTermEndDate">A first term ending on another subscription's end date or a month's end (coterminosity).</param>
public sealed record OrderRequest(string CatalogItemId, string Term, string BillingPlan, int Quantity, string? PromotionId = null, DateOnly? CustomTermEndDate = null, string? FriendlyName = null);

/// <summary>What an order did: what its preview said, the subscription bought, and the ids to trace it by.</summary>
public sealed record OrderOutcome(ActionPreview Preview, SubscriptionView Subscription, string OrderId, Guid MicrosoftRequestId, long AuditEntryId);

/// <summary>
/// Buys a subscription for a customer through Partner Center's cart and checkout. The preview shows what Microsoft will
/// charge for the term and until when the purchase can still be cancelled; the order is placed under request ids derived
/// from the Idempotency-Key, so a retry never buys twice, and recorded once Partner Center confirms it.
/// </summary>
public static class OrderSubscription
{
    public const string Action = "order";

    /// <summary>The longest name a subscription is given here.</summary>
    public const int MaxFriendlyName = 128;

    public static async Task<ActionResult<OrderOutcome>> RunAsync(
        LifecycleServices services, Guid id, OrderRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken)
    {
        var db = services.Db;
        if (await db.Customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } customer)
        {
            return new(null, null, ActionFailure.NotFound("customer", id));
        }

        var now = services.Time.GetUtcNow();
        var availability = await db.Availabilities.FirstOrDefaultAsync(a => a.CatalogItemId == request.CatalogItemId, cancellationToken);
        var sku = availability is null ? null : await db.Skus.FirstOrDefaultAsync(s => s.ProductId == availability.ProductId && s.Id == availability.SkuId, cancellationToken);
        var product = availability is null ? null : await db.Products.FirstOrDefaultAsync(p => p.Id == availability.ProductId, cancellationToken);
        var client = services.PartnerCenter;
        var tenant = customer.CustomerTenantId.ToString();
        PurchasedSubscription? bought;
        Error? refusal;
        try
        {
            (bought, refusal) = await CheckAsync(db, client, customer, request, availability, sku, BillingClock.MicrosoftDay(now), cancellationToken);
        }
        catch (Exception e) when (SubscriptionActions.IsPartnerCenterFailure(e))
        {
            // Partner Center's promotion or allowed custom term end dates could not be read: nothing was bought yet.
            return new(null, null, SubscriptionActions.PartnerCenterFailure(e, null, "Nothing was bought.").Failure);
        }

        var previewed = Preview(request, bought, refusal, now, services.Cancellation, services.Rules);
        if (previewed.Allowed && bought is not null)
        {
            previewed = await AtTheCustomersPriceAsync(db, previewed, bought, customer, services.Rules, cancellationToken);
        }
        if (refusal is { Kind: ErrorKind.Invalid } invalid)
        {
            return new(previewed, null, new ActionFailure(invalid));
        }

        if (preview)
        {
            return new(previewed, null, null);
        }

        var actor = caller.Actor;
        var requestText = JsonSerializer.Serialize(request);
        if (previewed.Refusal is { } refused)
        {
            Audit(db, customer, null, now, actor, AuditOutcome.Refused, refused.Message, refused.Code, requestText, null, caller, null);
            await db.SaveChangesAsync(cancellationToken);
            return new(previewed, null, new ActionFailure(refusal ?? refused.ToError()));
        }

        var partner = await db.Partners.SingleAsync(p => p.Id == customer.PartnerId, cancellationToken);
        var cartRequestId = caller.RequestId("cart");
        var checkoutRequestId = caller.RequestId("checkout");
        var line = new CartLineItem(
            0, request.CatalogItemId, request.Quantity, bought!.Term.ToIso(), bought.BillingPlan.ToMicrosoft(), customer.Currency, request.FriendlyName, request.PromotionId,
            request.CustomTermEndDate is { } end ? BillingClock.StartOfDay(end) : null,
            partner.Kind == PartnerKind.Reseller && partner.MpnId is { } mpn ? [new("transaction_reseller", mpn)] : null);
        CartCheckoutResult checkout;
        ApiSubscriptionResult created;
        try
        {
            var cart = await client.CreateCartAsync(tenant, new Cart(null, [line], PartnerOnRecordAttestationAccepted: true), cartRequestId, cancellationToken);
            checkout = await client.CheckoutAsync(tenant, cart.Id!, checkoutRequestId, cancellationToken);
            if (checkout.Orders is not [{ LineItems: [{ SubscriptionId: { } subscriptionId }] } order])
            {
                var error = checkout.OrderErrors.Count > 0 ? checkout.OrderErrors[0] : null;
                throw new PartnerCenterException(System.Net.HttpStatusCode.BadRequest, new ApiError(error?.Code ?? "order", error?.Description ?? "Partner Center placed no order."));
            }

            created = new(order.Id, await client.GetSubscriptionAsync(tenant, subscriptionId, cancellationToken));
        }
        catch (Exception e) when (SubscriptionActions.IsPartnerCenterFailure(e))
        {
            var (outcome, failure) = SubscriptionActions.PartnerCenterFailure(e, checkoutRequestId, "Nothing was bought.");
            db.ChangeTracker.Clear();
            Audit(db, customer, null, now, actor, outcome, failure.Error.Message, failure.MicrosoftCode, requestText, null, caller, checkoutRequestId);
            await db.SaveChangesAsync(cancellationToken);
            return new(previewed, null, failure);
        }

        var found = created.Subscription;
        var at = services.Time.GetUtcNow();
        var subscription = new Subscription(
            Guid.CreateVersion7(at), customer.PartnerId, customer.Id, Guid.Parse(found.Id), availability!.ProductId, availability.SkuId, availability.Id,
            found.FriendlyName, bought.Term, bought.BillingPlan, found.Quantity, BillingClock.MicrosoftDay(found.CreationDate), BillingClock.MicrosoftDay(found.EffectiveStartDate),
            found.CommitmentEndDate is { } commitment ? BillingClock.MicrosoftDay(commitment) : bought.CustomTermEndDate ?? NceCalendar.EndDate(bought.Start, bought.Term),
            at, SubscriptionStatus.Active, SubscriptionChanges.Decision(found), found.AutoRenewEnabled, bought.UnitPrice.Amount, customer.Currency, found.PromotionId, found.IsTrial, created.OrderId);
        if (found.PromotionId is not null && found.PromotionId.Equals(request.PromotionId, StringComparison.OrdinalIgnoreCase))
        {
            subscription.DiscountPromotion(bought.PromotionDiscount);
        }

        db.Subscriptions.Add(subscription);
        db.SubscriptionEvents.Add(SubscriptionEvent.Purchased(
            subscription, new Recorded(at, actor, checkoutRequestId), $"bought {product?.Title ?? request.CatalogItemId}, {SeatAdditions.Count(found.Quantity)} (order {created.OrderId})", found.Quantity, subscription.Terms));
        var entry = Audit(db, customer, subscription.Id, at, actor, AuditOutcome.Done, $"ordered {SeatAdditions.Count(found.Quantity)} of {request.CatalogItemId} (order {created.OrderId})", null, requestText, SubscriptionActions.Serialize(found), caller, checkoutRequestId);
        await db.SaveChangesAsync(cancellationToken);

        var view = (await SubscriptionViews.LoadAsync(db, db.Subscriptions.Where(s => s.Id == subscription.Id), services.Time, services.Cancellation, services.Est, cancellationToken)).Single();
        return new(previewed, new OrderOutcome(previewed, view, created.OrderId, checkoutRequestId, entry.Id), null);
    }

    /// <summary>The subscription as it would be bought, or why it cannot be.</summary>
    private static async Task<(PurchasedSubscription? Bought, Error? Refusal)> CheckAsync(
        CommerceDb db, PartnerCenterClient client, Customer customer, OrderRequest request, Availability? availability, Sku? sku, DateOnly today, CancellationToken cancellationToken)
    {
        if (CatalogItem.TryParse(request.CatalogItemId) is null || request.CatalogItemId.Length > 48)
        {
            return (null, PlanContext.Invalid("catalogItemId", "catalogItemId must be Microsoft's productId:skuId:availabilityId."));
        }

        if (request.PromotionId is { } promotion && !IsPromotionId(promotion))
        {
            return (null, PlanContext.Invalid("promotionId", "promotionId must be Microsoft's promotion id: up to 48 letters, digits and ':', ';' or '-' (e.g. CFQ7TTC0LCHC:0002:39NFJQT1Q5KN)."));
        }

        if (request.FriendlyName is { Length: > MaxFriendlyName })
        {
            return (null, PlanContext.Invalid("friendlyName", $"friendlyName must be at most {MaxFriendlyName} characters."));
        }

        if (availability is null || sku is null)
        {
            return (null, PlanContext.Refuse("order.not_offered", $"catalogItemId '{request.CatalogItemId}' is not in the catalog."));
        }

        var term = TermExtensions.ParseTerm(request.Term);
        if (!term.IsSuccess)
        {
            return (null, PlanContext.Invalid("term", $"term: {term.Error.Message}"));
        }

        var plan = TermExtensions.ParseBillingPlan(request.BillingPlan, term.Value);
        if (!plan.IsSuccess)
        {
            return (null, PlanContext.Invalid("billingPlan", $"billingPlan: {plan.Error.Message}"));
        }

        if (!availability.Terms.Contains(new OfferedTerm(term.Value, plan.Value)))
        {
            return (null, PlanContext.Refuse("order.not_offered", $"{availability.CatalogItemId} is not sold for {term.Value.ToIso()} billed {plan.Value.ToMicrosoft()}."));
        }

        if (request.Quantity < sku.MinimumQuantity || request.Quantity > sku.MaximumQuantity)
        {
            return (null, PlanContext.Invalid("quantity", $"quantity must be from {sku.MinimumQuantity} to {sku.MaximumQuantity} for {sku.Title}, not {request.Quantity}."));
        }

        var prices = await PriceList.LoadAsync(db, [availability.ProductId], customer, cancellationToken);
        if (prices.UnitPrice(availability.ProductId, availability.SkuId, availability.Id, customer, term.Value, plan.Value, today) is not { } price)
        {
            return (null, PlanContext.Refuse("order.no_price", $"The price list has no price for {availability.CatalogItemId} ({term.Value.ToIso()} billed {plan.Value.ToMicrosoft()}) in {customer.Country} {customer.Currency} today: sync the price list."));
        }

        decimal? discount = null;
        if (request.PromotionId is { } promotionId)
        {
            // Microsoft's promotion as Partner Center describes it: current, for this SKU, term and billing cycle.
            Promotion? offered;
            try
            {
                offered = await client.GetPromotionAsync(promotionId, customer.Country, cancellationToken);
            }
            catch (PartnerCenterException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
            {
                offered = null;
            }

            discount = offered?.DiscountFor(availability.ProductId, availability.SkuId, term.Value.ToIso(), plan.Value.ToMicrosoft());
            if (offered is null || discount is null || !offered.IsAvailable(BillingClock.StartOfDay(today)))
            {
                return (null, PlanContext.Refuse(
                    "order.promotion_not_available",
                    offered is null
                        ? $"Partner Center has no promotion '{promotionId}' in {customer.Country}."
                        : discount is null
                            ? $"The promotion '{promotionId}' ({offered.Name}) gives no percentage off {availability.CatalogItemId} on {term.Value.ToIso()} billed {plan.Value.ToMicrosoft()}."
                            : $"The promotion '{promotionId}' ({offered.Name}) cannot be bought today: it runs from {offered.Properties?.StartDate:yyyy-MM-dd} to {offered.Properties?.EndDate:yyyy-MM-dd}."));
            }
        }

        if (request.CustomTermEndDate is { } end)
        {
            // Microsoft's own list of the end dates the customer may align to (its subscriptions' ends, months' ends).
            var allowed = await client.ListCustomTermEndDatesAsync(customer.CustomerTenantId.ToString(), term.Value.ToIso(), today, cancellationToken);
            if (!allowed.Any(a => BillingClock.MicrosoftDay(a.AllowedCustomTermEndDate) == end))
            {
                return (null, PlanContext.Refuse(
                    "order.invalid_term_end",
                    $"customTermEndDate {end:yyyy-MM-dd} is neither the end date of one of the customer's active subscriptions nor the end of a calendar month within the first term. Allowed: {string.Join(", ", allowed.Select(a => BillingClock.MicrosoftDay(a.AllowedCustomTermEndDate).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Distinct().Take(12))}."));
            }
        }

        var currency = Currency.FromCode(customer.Currency).Value;
        var monthly = prices.MonthlyTermPrice(availability.ProductId, availability.SkuId, availability.Id, customer, today);
        return (new PurchasedSubscription(
            "new", availability.ProductId, availability.SkuId, request.FriendlyName ?? sku.Title, new Money(price, currency), term.Value, plan.Value, today, request.Quantity,
            MonthlyTermUnitPrice: monthly, PromotionId: request.PromotionId, CustomTermEndDate: request.CustomTermEndDate, PromotionDiscount: discount), null);
    }

    /// <summary>
    /// Microsoft writes promotion ids as <c>product:sku:code</c> (promotion resources, recon files), <c>product;sku;code</c>
    /// ("Get promotions" sample) or a GUID (invoice line sample): any of them, within the column's 48 characters.
    /// </summary>
    private static bool IsPromotionId(string id) =>
        id.Length is > 0 and <= 48 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or ';' or '-');

    /// <summary>
    /// The order's plan, a plain function: the charges of the whole first term as Microsoft will post them, what it commits
    /// the partner to, and until when it can be undone — or the refusal <paramref name="refusal"/>.
    /// </summary>
    /// <param name="bought">The subscription as it would be bought, its price that of the price list today.</param>
    public static ActionPreview Preview(OrderRequest request, PurchasedSubscription? bought, Error? refusal, DateTimeOffset now, CancellationPolicy cancellation, ChargeRules rules)
    {
        if (refusal is not null || bought is null)
        {
            return new ActionPreview(Action, false, refusal is null ? null : ActionRefusal.Of(refusal), [], [], [], null, []);
        }

        var termEnd = bought.CustomTermEndDate ?? NceCalendar.EndDate(bought.Start, bought.Term);
        var charged = ChargeEngine.Run(new ChargeHistory(bought.UnitPrice.Currency, termEnd, [bought], []), rules);
        if (charged.Error is { } error)
        {
            return new ActionPreview(Action, false, ActionRefusal.Of(error), [], [], [], null, []);
        }

        var lines = charged.Value.Select(SubscriptionActions.Line).ToList();
        var total = charged.Value.Sum(l => l.Subtotal.Amount);
        List<string> warnings =
        [
            $"The purchase can be cancelled with a prorated refund until {cancellation.AllowedUntil(now):yyyy-MM-dd HH:mm} UTC; after that the whole term ({bought.Start:yyyy-MM-dd} – {termEnd:yyyy-MM-dd}), {total:0.00} {bought.UnitPrice.Currency.Code}, is owed to Microsoft.",
        ];
        if (request.CustomTermEndDate is { } end)
        {
            warnings.Add($"The first term ends on {end:yyyy-MM-dd} with the subscriptions it is aligned to; its charge cycles end with it, the first one short and charged by the day. Renewals run full terms.");
        }

        if (request.PromotionId is not null && bought.PromotionDiscount is { } discount)
        {
            warnings.Add($"The promotion {request.PromotionId} takes {discount:0.##%} off the list price for this term only: renewals are at the list price. Microsoft shows it on its billing data within 24 hours of the purchase.");
        }

        return new ActionPreview(Action, true, null, lines, [], lines, new CommittedValue(0m, total, total, bought.UnitPrice.Currency.Code), warnings);
    }

    /// <summary><paramref name="previewed"/> with its customer lines at the customer's price, as the first invoice will have them.</summary>
    private static async Task<ActionPreview> AtTheCustomersPriceAsync(CommerceDb db, ActionPreview previewed, PurchasedSubscription bought, Customer customer, ChargeRules rules, CancellationToken cancellationToken)
    {
        var seller = await db.Partners.FirstAsync(p => p.Id == customer.PartnerId, cancellationToken);
        var pricing = await CustomerPricing.LoadAsync(db, seller, cancellationToken);
        var prices = await PriceList.LoadAsync(db, [bought.ProductId], customer, cancellationToken);
        var termEnd = bought.CustomTermEndDate ?? NceCalendar.EndDate(bought.Start, bought.Term);
        var charges = ChargeEngine.Run(new ChargeHistory(bought.UnitPrice.Currency, termEnd, [bought], []), rules).Value;
        var (lines, unpriced) = CustomerPricing.Preview(pricing, customer, prices, _ => (Guid.Empty, bought.PromotionDiscount), charges);
        return previewed with { CustomerCharges = lines, Warnings = [.. previewed.Warnings, .. unpriced] };
    }

    private static AuditEntry Audit(
        CommerceDb db, Customer customer, Guid? subscriptionId, DateTimeOffset at, string actor, AuditOutcome outcome, string description, string? code, string request, string? after, ActionCaller caller, Guid? requestId)
    {
        var entry = new AuditEntry(customer.PartnerId, customer.Id, subscriptionId, at, actor, Action, outcome, description, code, request, null, after, caller.IdempotencyKey, requestId);
        db.AuditEntries.Add(entry);
        return entry;
    }

    private sealed record ApiSubscriptionResult(string OrderId, Csp.PartnerCenter.Api.Subscription Subscription);
}
