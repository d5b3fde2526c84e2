using System.Text.Json;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Carts and checkout (<c>/v1/customers/{id}/carts</c>): a cart is created and updated, then checked out into one order
/// whose subscriptions Microsoft provisions asynchronously (they are <c>pending</c> until then).
/// </summary>
public static class Carts
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/customers/{customerId:guid}/carts", CreateAsync);
        v1.MapPut("/customers/{customerId:guid}/carts/{cartId:guid}", UpdateAsync);
        v1.MapPost("/customers/{customerId:guid}/carts/{cartId:guid}/checkout", CheckoutAsync);
        v1.MapGet("/customers/{customerId:guid}/orders", ListOrdersAsync);
        v1.MapGet("/customers/{customerId:guid}/orders/{orderId}", GetOrderAsync);
    }

    private static async Task<IResult> CreateAsync(Guid customerId, HttpRequest request, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        var cart = await request.ReadFromJsonAsync(PartnerCenterJson.Default.Cart, cancellationToken);
        if (cart is not { LineItems.Count: > 0 })
        {
            return MicrosoftErrors.InvalidInput("A cart needs at least one line item.");
        }

        var now = clock.GetUtcNow();
        var created = new SimCart
        {
            Id = Guid.CreateVersion7(now),
            CustomerId = customerId,
            Status = "Active",
            CreatedAt = now,
            ExpiresAt = now + options.Value.CartLifetime,
            PartnerOnRecordAttestationAccepted = cart.PartnerOnRecordAttestationAccepted,
            LineItemsJson = JsonSerializer.Serialize(Validated(cart.LineItems), PartnerCenterJson.Default.IReadOnlyListCartLineItem),
        };
        db.Carts.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(View(created), PartnerCenterJson.Default.Cart, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(Guid customerId, Guid cartId, HttpRequest request, SimulatorDb db, SimulatorClock clock, CancellationToken cancellationToken)
    {
        if (await db.Carts.FirstOrDefaultAsync(c => c.Id == cartId && c.CustomerId == customerId, cancellationToken) is not { } existing)
        {
            return MicrosoftErrors.Error(StatusCodes.Status404NotFound, 800008, $"Cart {cartId} was not found.");
        }

        if (existing.Status != "Active")
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800065, "An already submitted cart can't be changed or checked out again.");
        }

        var cart = await request.ReadFromJsonAsync(PartnerCenterJson.Default.Cart, cancellationToken);
        if (cart is not { LineItems.Count: > 0 })
        {
            return MicrosoftErrors.InvalidInput("A cart needs at least one line item.");
        }

        existing.LineItemsJson = JsonSerializer.Serialize(Validated(cart.LineItems), PartnerCenterJson.Default.IReadOnlyListCartLineItem);
        existing.PartnerOnRecordAttestationAccepted = cart.PartnerOnRecordAttestationAccepted;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(View(existing), PartnerCenterJson.Default.Cart);
    }

    /// <summary>
    /// Checks the cart out into one order. Lines Microsoft would refuse become <c>orderErrors</c> (an unknown catalog
    /// item, a term or billing cycle the availability does not offer, no partner-of-record attestation); the others
    /// are ordered, and their subscriptions provisioned shortly after.
    /// </summary>
    private static async Task<IResult> CheckoutAsync(Guid customerId, Guid cartId, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await db.Carts.FirstOrDefaultAsync(c => c.Id == cartId && c.CustomerId == customerId, cancellationToken) is not { } cart)
        {
            return MicrosoftErrors.Error(StatusCodes.Status404NotFound, 800008, $"Cart {cartId} was not found.");
        }

        if (cart.Status != "Active")
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800065, "An already submitted cart can't be checked out again.");
        }

        if (cart.ExpiresAt <= now)
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800008, $"Cart {cartId} has expired; create a new one.");
        }

        var customer = await db.Customers.SingleAsync(c => c.Id == customerId, cancellationToken);
        var lines = JsonSerializer.Deserialize(cart.LineItemsJson, PartnerCenterJson.Default.IReadOnlyListCartLineItem)!;
        var orderId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var errors = new List<OrderError>();
        var ordered = new List<OrderLineItem>();
        foreach (var line in lines)
        {
            var offer = Catalog.Find(line.CatalogItemId);
            var customEndAllowed = line.CustomTermEndDate is not { } customEnd || (offer is { IsUsage: false } && !IsTrial(offer, line)
                && TermExtensions.ParseTerm(line.TermDuration) is { IsSuccess: true } term
                && (await CustomTermEndDates.AllowedAsync(db, customerId, term.Value, BillingClock.DateIn(now, null), cancellationToken))
                    .Any(a => BillingClock.DateIn(a.AllowedCustomTermEndDate, null) == BillingClock.DateIn(customEnd, null)));
            var (discount, promotionRefused) = line.PromotionId is { } promotionId && offer is not null
                ? Promotions.Apply(promotionId, offer, line.TermDuration, line.BillingCycle, now)
                : (null, null);
            var problem = offer is null ? ("10001", $"Catalog item {line.CatalogItemId} is not valid.")
                : !cart.PartnerOnRecordAttestationAccepted ? ("10012", "The partner-of-record attestation was not accepted.")
                : !Offered(offer, line) ? ("10006", $"{line.CatalogItemId} is not offered for {line.TermDuration} billed {line.BillingCycle}.")
                : (line.Quantity < 1 || line.Quantity > offer.MaximumQuantity) && !offer.IsUsage ? ("900275", $"The requested quantity for line item {line.Id} is not within the allowed quantity for this offer (1 to {offer.MaximumQuantity}).")
                : !customEndAllowed ? (CustomTermEndDates.NotAllowed, $"The custom term end date {line.CustomTermEndDate:yyyy-MM-dd} does not match with the end date of any active non-trial OnlineServicesNCE subscription or align with the end of the calendar month.")
                : promotionRefused is { } refusal ? (Promotions.InvalidPromotion, refusal)
                : ((string, string)?)null;
            if (problem is { } p)
            {
                errors.Add(new OrderError(line.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Item1, p.Item2));
                continue;
            }

            var subscription = Subscribe(customer, offer!, line, orderId, now);
            subscription.PromotionDiscount = discount;
            db.Subscriptions.Add(subscription);
            ordered.Add(new OrderLineItem(line.Id, offer!.CatalogItemId, subscription.Id.ToString(), subscription.Quantity, subscription.TermDuration, subscription.BillingCycle, "New", subscription.PartnerIdOnRecord, line.CustomTermEndDate));
        }

        var orders = new List<Order>();
        if (ordered.Count > 0)
        {
            var order = new SimOrder { Id = orderId, CustomerId = customerId, CreatedAt = now, LineItemsJson = JsonSerializer.Serialize<IReadOnlyList<OrderLineItem>>(ordered, PartnerCenterJson.Default.IReadOnlyListOrderLineItem) };
            db.Orders.Add(order);
            orders.Add(View(order, now, options.Value));
            AuditRecords.Add(db, customer, "order", "create_order", now, null, orders[^1], PartnerCenterJson.Default.Order);
        }

        cart.Status = "Ordered";
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(new CartCheckoutResult(orders, errors), PartnerCenterJson.Default.CartCheckoutResult, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListOrdersAsync(Guid customerId, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.Where(o => o.CustomerId == customerId).ToListAsync(cancellationToken);
        var views = orders.OrderBy(o => o.CreatedAt).Select(o => View(o, clock.GetUtcNow(), options.Value)).ToList();
        return TypedResults.Json(new ResourcePage<Order>(views.Count, views), PartnerCenterJson.Default.ResourcePageOrder);
    }

    private static async Task<IResult> GetOrderAsync(Guid customerId, string orderId, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken) =>
        await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId && o.CustomerId == customerId, cancellationToken) is { } order
            ? TypedResults.Json(View(order, clock.GetUtcNow(), options.Value), PartnerCenterJson.Default.Order)
            : MicrosoftErrors.NotFound($"Order {orderId}");

    private static bool Offered(SimulatorCatalog.Offer offer, CartLineItem line) =>
        offer.IsUsage || IsTrial(offer, line) || offer.Terms().Any(t => t.Term.ToIso().Equals(line.TermDuration, StringComparison.OrdinalIgnoreCase) && t.BillingPlan.ToString().Equals(line.BillingCycle, StringComparison.OrdinalIgnoreCase));

    /// <summary>A trial is ordered as a one-month term with billing cycle <c>none</c> ("may be used for trial items").</summary>
    private static bool IsTrial(SimulatorCatalog.Offer offer, CartLineItem line) =>
        !offer.IsUsage && line.BillingCycle.Equals("none", StringComparison.OrdinalIgnoreCase) && line.TermDuration.Equals("P1M", StringComparison.OrdinalIgnoreCase);

    public static SimSubscription Subscribe(SimCustomer customer, SimulatorCatalog.Offer offer, CartLineItem line, string orderId, DateTimeOffset now)
    {
        var subscription = new SimSubscription
        {
            Id = Guid.CreateVersion7(now),
            CustomerId = customer.Id,
            OrderId = orderId,
            ProductId = offer.ProductId,
            SkuId = offer.SkuId,
            AvailabilityId = offer.AvailabilityId,
            OfferName = line.FriendlyName ?? offer.Title,
            // Trials "come with 25 seats; have autorenew turned on by default" and run one month (docs/microsoft/trials.md).
            Quantity = offer.IsUsage ? 1 : IsTrial(offer, line) ? 25 : line.Quantity,
            IsTrial = IsTrial(offer, line),
            TermDuration = offer.IsUsage ? "" : line.TermDuration.ToUpperInvariant(),
            BillingCycle = offer.IsUsage ? "none" : line.BillingCycle.ToLowerInvariant(),
            Status = SubscriptionStatus.Pending,
            AutoRenewEnabled = !offer.IsUsage,
            IsUsage = offer.IsUsage,
            CreatedAt = now,
            TermStartedAt = now,
            TermStartDate = BillingClock.DateIn(now, null),
            SeatAdditionsJson = Seats.Write([]),
            PartnerIdOnRecord = line.Participants?.FirstOrDefault(p => p.Key == "transaction_reseller").Value,
            PromotionId = line.PromotionId,
            Currency = customer.Currency,
        };
        if (subscription.IsTrial)
        {
            // A trial's term is one month by the NCE calendar ("One-Month commitment for trial"); it converts the day after.
            TimeDriven.StartTerm(subscription, subscription.TermStartDate, now);
        }
        else if (!offer.IsUsage)
        {
            TimeDriven.StartTerm(subscription, subscription.TermStartDate, now);
            if (line.CustomTermEndDate is { } customEnd)
            {
                // Coterminous: the first term ends on the chosen day; renewals run full terms.
                subscription.TermEndDate = BillingClock.DateIn(customEnd, null);
            }

            var term = TermExtensions.ParseTerm(subscription.TermDuration).Value;
            subscription.UnitPrice = SimulatorCatalog.UnitPrice(offer, customer.Country, term, TermExtensions.ParseBillingPlan(subscription.BillingCycle, term).Value, subscription.TermStartDate);
        }

        return subscription;
    }

    private static List<CartLineItem> Validated(IReadOnlyList<CartLineItem> lines) =>
        lines.Select(l => Catalog.Find(l.CatalogItemId) is null ? l with { Error = new CartLineError(10001, $"Catalog item {l.CatalogItemId} is not valid.") } : l with { Error = null }).ToList();

    private static Cart View(SimCart c) => new(
        c.Id.ToString(), JsonSerializer.Deserialize(c.LineItemsJson, PartnerCenterJson.Default.IReadOnlyListCartLineItem)!, c.Status, c.CreatedAt, c.ExpiresAt, c.PartnerOnRecordAttestationAccepted);

    /// <remarks>A line's <c>transactionType</c> is <c>New</c>, as Microsoft writes it; orders stored before said <c>new</c>.</remarks>
    public static Order View(SimOrder o, DateTimeOffset now, SimulatorOptions options) => new(
        o.Id, o.CustomerId.ToString(),
        JsonSerializer.Deserialize(o.LineItemsJson, PartnerCenterJson.Default.IReadOnlyListOrderLineItem)!.Select(l => l with { TransactionType = "New" }).ToList(), o.CreatedAt,
        o.CreatedAt + options.ProvisioningDelay <= now ? "completed" : "pending");
}
