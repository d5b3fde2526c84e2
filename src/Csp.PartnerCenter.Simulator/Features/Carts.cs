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
        if (await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken) is not { } customer)
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        var cart = await request.ReadFromJsonAsync(SimulatorJson.Default.CartRequest, cancellationToken);
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
            ModifiedAt = now,
            ExpiresAt = now + options.Value.CartLifetime,
            PartnerOnRecordAttestationAccepted = cart.PartnerOnRecordAttestationAccepted ?? false,
            LineItemsJson = JsonSerializer.Serialize(Validated(cart.LineItems), SimulatorJson.Default.IReadOnlyListCartLineRequest),
        };
        db.Carts.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(View(created, customer), SimulatorJson.Default.CartResource, statusCode: StatusCodes.Status201Created);
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

        var cart = await request.ReadFromJsonAsync(SimulatorJson.Default.CartRequest, cancellationToken);
        if (cart is not { LineItems.Count: > 0 })
        {
            return MicrosoftErrors.InvalidInput("A cart needs at least one line item.");
        }

        existing.LineItemsJson = JsonSerializer.Serialize(Validated(cart.LineItems), SimulatorJson.Default.IReadOnlyListCartLineRequest);
        existing.PartnerOnRecordAttestationAccepted = cart.PartnerOnRecordAttestationAccepted ?? false;
        existing.ModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        // 201, as update-a-cart's sample answers an update.
        return TypedResults.Json(View(existing, await db.Customers.SingleAsync(c => c.Id == customerId, cancellationToken)), SimulatorJson.Default.CartResource, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// Checks the cart out: one order per order group (the lines of one billing cycle), as Microsoft places them. Lines
    /// Microsoft would refuse become <c>orderErrors</c>, each naming the refused line in <c>orderGroupId</c> (an unknown
    /// catalog item, a term or billing cycle the availability does not offer, no partner-of-record attestation); the
    /// others are ordered, and their subscriptions provisioned shortly after.
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
        var lines = JsonSerializer.Deserialize(cart.LineItemsJson, SimulatorJson.Default.IReadOnlyListCartLineRequest)!;
        var errors = new List<OrderErrorResource>();
        var ordered = new List<(string Group, SimOrderLine Line)>();
        var orderIds = new Dictionary<string, string>();
        foreach (var (line, index) in lines.Select((l, i) => (l, i)))
        {
            var id = line.Id ?? index;
            var offer = line.CatalogItemId is null ? null : Catalog.Find(line.CatalogItemId);
            var customEndAllowed = line.CustomTermEndDate is not { } customEnd || (offer is { IsUsage: false } && !IsTrial(offer, line)
                && TermExtensions.ParseTerm(line.TermDuration) is { IsSuccess: true } term
                && (await CustomTermEndDates.AllowedAsync(db, customerId, term.Value, BillingClock.MicrosoftDay(now), cancellationToken))
                    .Any(a => BillingClock.MicrosoftDay(a.AllowedCustomTermEndDate) == BillingClock.MicrosoftDay(customEnd)));
            var (discount, promotionRefused) = line.PromotionId is { } promotionId && offer is not null && line is { TermDuration: { } duration, BillingCycle: { } cycle }
                ? Promotions.Apply(promotionId, offer, duration, cycle, now)
                : (null, null);
            var problem = offer is null ? (CatalogItemIdIsNotValid, $"Catalog item {line.CatalogItemId} is not valid.")
                : !cart.PartnerOnRecordAttestationAccepted ? (AttestationNotAccepted, "The partner-of-record attestation was not accepted.")
                : line.Quantity is null || line.TermDuration is null || line.BillingCycle is null ? (InvalidInput, $"Line item {id} needs its quantity, termDuration and billingCycle.")
                : !Offered(offer, line) ? (UnableToProcessCartLineItem, $"{line.CatalogItemId} is not offered for {line.TermDuration} billed {line.BillingCycle}.")
                : (line.Quantity < 1 || line.Quantity > offer.MaximumQuantity) && !offer.IsUsage ? (900275, $"The requested quantity for line item {id} is not within the allowed quantity for this offer (1 to {offer.MaximumQuantity}).")
                : !customEndAllowed ? (int.Parse(CustomTermEndDates.NotAllowed, System.Globalization.CultureInfo.InvariantCulture), $"The custom term end date {line.CustomTermEndDate:yyyy-MM-dd} does not match with the end date of any active non-trial OnlineServicesNCE subscription or align with the end of the calendar month.")
                : promotionRefused is { } refusal ? (int.Parse(Promotions.InvalidPromotion, System.Globalization.CultureInfo.InvariantCulture), refusal)
                : ((int, string)?)null;
            if (problem is { } p)
            {
                errors.Add(new OrderErrorResource(id.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Item1, p.Item2));
                continue;
            }

            var group = OrderGroup(offer!, line);
            var subscription = Subscribe(customer, offer!, line, orderIds.TryGetValue(group, out var orderId) ? orderId : orderIds[group] = NewOrderId(), now);
            subscription.PromotionDiscount = discount;
            db.Subscriptions.Add(subscription);
            ordered.Add((group, new SimOrderLine(
                0, offer!.CatalogItemId, subscription.Id.ToString(), subscription.Quantity, subscription.TermDuration, subscription.BillingCycle, subscription.PartnerIdOnRecord,
                line.CustomTermEndDate, subscription.OfferName, Pricing(offer, customer, line, discount, BillingClock.MicrosoftDay(now)))));
        }

        var orders = new List<OrderResource>();
        foreach (var group in ordered.GroupBy(o => o.Group))
        {
            orders.Add(Place(db, customer, orderIds[group.Key], group.Select((o, i) => o.Line with { LineItemNumber = i }).ToList(), now, options.Value, AuditRecords.ThroughApi));
        }

        cart.Status = "Ordered";
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(new CartCheckoutResultResource(orders, errors, new AttributesResource(null, "CartCheckoutResult")), SimulatorJson.Default.CartCheckoutResultResource, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>An order id as Microsoft's new commerce orders have them: twelve hexadecimal digits.</summary>
    public static string NewOrderId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>Adds the order of <paramref name="lines"/> and its audit record (<c>create_order</c>); the order as Partner Center answers it.</summary>
    public static OrderResource Place(SimulatorDb db, SimCustomer customer, string orderId, IReadOnlyList<SimOrderLine> lines, DateTimeOffset at, SimulatorOptions options, string applicationId)
    {
        var order = new SimOrder { Id = orderId, CustomerId = customer.Id, CreatedAt = at, LineItemsJson = JsonSerializer.Serialize(lines, SimulatorJson.Default.IReadOnlyListSimOrderLine) };
        db.Orders.Add(order);
        var view = View(order, customer, at, options);
        AuditRecords.Add(db, customer, "order", "create_order", at, null, view, SimulatorJson.Default.OrderResource, applicationId: applicationId);
        return view;
    }

    private static async Task<IResult> ListOrdersAsync(Guid customerId, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken) is not { } customer)
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        var orders = await db.Orders.Where(o => o.CustomerId == customerId).ToListAsync(cancellationToken);
        var views = orders.OrderBy(o => o.CreatedAt).Select(o => View(o, customer, clock.GetUtcNow(), options.Value)).ToList();
        return TypedResults.Json(
            new OrderPage(views.Count, views, new CollectionLinksResource(LinkResource.Get($"/customers/{customerId}/orders")), new AttributesResource(null, "Collection")),
            SimulatorJson.Default.OrderPage);
    }

    private static async Task<IResult> GetOrderAsync(Guid customerId, string orderId, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken) =>
        await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId && o.CustomerId == customerId, cancellationToken) is { } order
            ? TypedResults.Json(View(order, await db.Customers.SingleAsync(c => c.Id == customerId, cancellationToken), clock.GetUtcNow(), options.Value), SimulatorJson.Default.OrderResource)
            : MicrosoftErrors.NotFound($"Order {orderId}");

    // Microsoft's CartErrorCode values (cart-resources).
    private const int CatalogItemIdIsNotValid = 10001;
    private const int UnableToProcessCartLineItem = 10006;
    private const int InvalidInput = 10010;
    private const int AttestationNotAccepted = 10012;

    private static bool Offered(SimulatorCatalog.Offer offer, CartLineRequest line) =>
        offer.IsUsage || IsTrial(offer, line) || offer.Terms().Any(t => t.Term.ToIso().Equals(line.TermDuration, StringComparison.OrdinalIgnoreCase) && t.BillingPlan.ToString().Equals(line.BillingCycle, StringComparison.OrdinalIgnoreCase));

    /// <summary>A trial is ordered as a one-month term with billing cycle <c>none</c> ("may be used for trial items").</summary>
    private static bool IsTrial(SimulatorCatalog.Offer offer, CartLineRequest line) =>
        !offer.IsUsage && "none".Equals(line.BillingCycle, StringComparison.OrdinalIgnoreCase) && "P1M".Equals(line.TermDuration, StringComparison.OrdinalIgnoreCase);

    /// <summary>An order has one billing cycle, so a cart's lines are grouped by theirs.</summary>
    private static string OrderGroup(SimulatorCatalog.Offer? offer, CartLineRequest line) =>
        offer is { IsUsage: true } ? "none" : (line.BillingCycle ?? "").ToLowerInvariant();

    /// <summary>
    /// Microsoft's pricing of a line, an estimate shown before and at purchase (the invoice's charges are the charge
    /// engine's): the list price per billing cycle that day; less the promotion's share; for a custom term end date, in
    /// proportion to the first term's days; and, extended, for the quantity and every billing cycle of the term. Free for a
    /// trial and for the Azure plan, whose usage is billed as it comes.
    /// </summary>
    private static PricingResource? Pricing(SimulatorCatalog.Offer? offer, SimCustomer customer, CartLineRequest line, decimal? discount, DateOnly day)
    {
        if (offer is null || TermExtensions.ParseTerm(line.TermDuration) is not { IsSuccess: true } term || TermExtensions.ParseBillingPlan(line.BillingCycle, term.Value) is not { IsSuccess: true } plan)
        {
            return offer is { IsUsage: true } || (offer is not null && IsTrial(offer, line)) ? new PricingResource(0, 0, 0, 0, 0) : null;
        }

        var currency = Currency.FromCode(customer.Currency).Value;
        var list = new Money(SimulatorCatalog.UnitPrice(offer, customer.Country, term.Value, plan.Value, day), currency);
        var discounted = (list * (1m - (discount ?? 0m))).Round(Rounding.Estimate);
        var fullEnd = NceCalendar.EndDate(day, term.Value);
        var share = line.CustomTermEndDate is { } end ? (decimal)(BillingClock.MicrosoftDay(end).DayNumber - day.DayNumber + 1) / (fullEnd.DayNumber - day.DayNumber + 1) : 1m;
        var prorated = (discounted * share).Round(Rounding.Estimate);
        var extended = (prorated * ((line.Quantity ?? 0) * (term.Value.Months() / plan.Value.Months()))).Round(Rounding.Estimate);
        return new PricingResource(list.Amount, discounted.Amount, prorated.Amount, prorated.Amount, extended.Amount);
    }

    public static SimSubscription Subscribe(SimCustomer customer, SimulatorCatalog.Offer offer, CartLineRequest line, string orderId, DateTimeOffset now)
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
            Quantity = offer.IsUsage ? 1 : IsTrial(offer, line) ? 25 : line.Quantity ?? 0,
            IsTrial = IsTrial(offer, line),
            TermDuration = offer.IsUsage ? "" : line.TermDuration!.ToUpperInvariant(),
            BillingCycle = offer.IsUsage ? "none" : line.BillingCycle!.ToLowerInvariant(),
            Status = SubscriptionStatus.Pending,
            AutoRenewEnabled = !offer.IsUsage,
            IsUsage = offer.IsUsage,
            CreatedAt = now,
            TermStartedAt = now,
            TermStartDate = BillingClock.MicrosoftDay(now),
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
                subscription.TermEndDate = BillingClock.MicrosoftDay(customEnd);
            }

            var term = TermExtensions.ParseTerm(subscription.TermDuration).Value;
            subscription.UnitPrice = SimulatorCatalog.UnitPrice(offer, customer.Country, term, TermExtensions.ParseBillingPlan(subscription.BillingCycle, term).Value, subscription.TermStartDate);
        }

        return subscription;
    }

    private static List<CartLineRequest> Validated(IReadOnlyList<CartLineRequest> lines) =>
        lines.Select((l, i) => (l with { Id = l.Id ?? i }) is var line && (line.CatalogItemId is null || Catalog.Find(line.CatalogItemId) is null)
            ? line with { Error = new CartErrorResource(CatalogItemIdIsNotValid, $"Catalog item {line.CatalogItemId} is not valid.") }
            : line with { Error = null }).ToList();

    private static CartResource View(SimCart c, SimCustomer customer)
    {
        var day = BillingClock.MicrosoftDay(c.ModifiedAt);
        var lines = JsonSerializer.Deserialize(c.LineItemsJson, SimulatorJson.Default.IReadOnlyListCartLineRequest)!;
        var groups = lines.Select(l => OrderGroup(l.CatalogItemId is null ? null : Catalog.Find(l.CatalogItemId), l)).Distinct().ToList();
        return new CartResource(
            c.Id.ToString(), c.CreatedAt, c.ModifiedAt, c.ExpiresAt, ApplicationUser, c.Status,
            lines.Select((l, i) =>
            {
                var offer = l.CatalogItemId is null ? null : Catalog.Find(l.CatalogItemId);
                var discount = l.PromotionId is { } promotion && offer is not null && l is { TermDuration: { } duration, BillingCycle: { } cycle } ? Promotions.Apply(promotion, offer, duration, cycle, c.ModifiedAt).Discount : null;
                return new CartLineResource(
                    l.Id ?? i, l.CatalogItemId ?? "", l.Quantity ?? 0, customer.Currency, (l.BillingCycle ?? "").ToLowerInvariant(), l.TermDuration ?? "", l.ProvisioningContext ?? new Dictionary<string, string>(),
                    groups.IndexOf(OrderGroup(offer, l)).ToString(System.Globalization.CultureInfo.InvariantCulture), Pricing(offer, customer, l, discount, day),
                    l.FriendlyName, l.PromotionId, l.CustomTermEndDate, l.Participants, l.Error);
            }).ToList(),
            new SelfLinksResource(LinkResource.Get($"/customers/{c.CustomerId}/carts/{c.Id}")),
            new AttributesResource(null, "Cart"));
    }

    /// <summary>The user the simulator's API calls act as: <c>lastModifiedUser</c> of a cart.</summary>
    private const string ApplicationUser = "9db12087-fbc3-481c-8965-73d44ff88e27";

    /// <remarks>
    /// A line's <c>transactionType</c> is <c>New</c>, as Microsoft writes it. Orders stored before their lines' pricing was
    /// kept are priced from the catalog on the order's day.
    /// </remarks>
    public static OrderResource View(SimOrder o, SimCustomer customer, DateTimeOffset now, SimulatorOptions options)
    {
        var lines = JsonSerializer.Deserialize(o.LineItemsJson, SimulatorJson.Default.IReadOnlyListSimOrderLine)!;
        var day = BillingClock.MicrosoftDay(o.CreatedAt);
        var views = lines.Select(l =>
        {
            var offer = Catalog.Find(l.OfferId);
            var pricing = l.Pricing ?? Pricing(offer, customer, new CartLineRequest(l.LineItemNumber, l.OfferId, l.Quantity, l.TermDuration, l.BillingCycle, CustomTermEndDate: l.CustomTermEndDate), null, day) ?? new PricingResource(0, 0, 0, 0, 0);
            var (product, sku, availability) = offer is null ? (l.OfferId, "", "") : (offer.ProductId, offer.SkuId, offer.AvailabilityId);
            return new OrderLineResource(
                l.LineItemNumber, l.OfferId, l.SubscriptionId, l.TermDuration, "New", l.FriendlyName ?? offer?.Title ?? l.OfferId, l.Quantity, pricing,
                new OrderLineLinksResource(
                    LinkResource.Get($"/products/{product}?country={customer.Country}"),
                    LinkResource.Get($"/products/{product}/skus/{sku}?country={customer.Country}"),
                    LinkResource.Get($"/products/{product}/skus/{sku}/availabilities/{availability}?country={customer.Country}")),
                l.PartnerIdOnRecord, l.CustomTermEndDate);
        }).ToList();
        var self = $"/customers/{o.CustomerId}/orders/{o.Id}";
        return new OrderResource(
            o.Id, o.Id, o.CustomerId.ToString(), lines.Select(l => l.BillingCycle).FirstOrDefault(c => c is not null) ?? "monthly", customer.Currency, SimulatorCatalog.CurrencySymbol(customer.Currency), views,
            o.CreatedAt, o.CreatedAt + options.ProvisioningDelay <= now ? "completed" : "pending", "UserPurchase",
            new OrderLinksResource(LinkResource.Get(self), LinkResource.Get($"{self}/provisioningstatus"), new LinkResource(self, "PATCH", [])),
            views.Sum(v => v.Pricing.ExtendedPrice), new OrderClientResource(), new AttributesResource(null, "Order"));
    }
}
