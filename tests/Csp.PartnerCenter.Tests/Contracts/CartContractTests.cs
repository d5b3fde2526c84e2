using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Carts, checkout and orders against Microsoft's samples (create-a-cart, update-a-cart, checkout-a-cart,
/// get-an-order-by-id): the client reads them and sends their names; the simulator, sent Microsoft's requests, answers
/// with every documented name, a line priced as Microsoft prices it, and one order per billing cycle.
/// </summary>
public sealed class CartContractTests
{
    private const string CreateRequest = "create-a-cart.new-commerce.request.json";
    private const string CreateResponse = "create-a-cart.new-commerce.response.json";
    private const string UpdateRequest = "update-a-cart.request.json";
    private const string UpdateResponse = "update-a-cart.response.json";
    private const string CheckoutOrder = "checkout-a-cart.new-commerce-order.response.json";
    private const string OrderById = "get-an-order-by-id.response.json";

    /// <summary>Microsoft 365 E5 in the simulator's catalog: availability ids change over time, Microsoft's sample names another.</summary>
    private const string E5 = "CFQ7TTC0LFLZ:0002:CFQ7TTC0K5GF";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsCartAndOrders()
    {
        var cart = MicrosoftSample.Read(CreateResponse).Body.Deserialize(PartnerCenterJson.Default.Cart)!;
        var order = MicrosoftSample.Read(CheckoutOrder).Body.Deserialize(PartnerCenterJson.Default.Order)!;
        var reservation = MicrosoftSample.Read(OrderById).Body.Deserialize(PartnerCenterJson.Default.Order)!;

        var line = Assert.Single(cart.LineItems);
        Assert.Equal(("Active", "0", 30.4m, 364.8m), (cart.Status, line.OrderGroup, line.Pricing!.Price, line.Pricing.ExtendedPrice));
        Assert.Equal(("monthly", "USD", 36.48m, 36.48m), (order.BillingCycle, order.CurrencyCode, order.TotalPrice, order.LineItems[0].Pricing!.ExtendedPrice));
        Assert.Equal(("one_time", null, null), (reservation.BillingCycle, reservation.LineItems[0].SubscriptionId, reservation.LineItems[0].TermDuration));
    }

    [Fact]
    public async Task Client_CartRequest_HasMicrosoftsNames()
    {
        var sent = new List<string>();
        await using var partnerCenter = new StubbedPartnerCenter(new Recorder(sent));

        await partnerCenter.Client.CreateCartAsync(Guid.NewGuid().ToString(), new Cart(null, [new CartLineItem(0, E5, 1, "P1M", "Monthly")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);

        var body = JsonDocument.Parse(Assert.Single(sent)).RootElement;
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(CreateRequest).Body, body));

        // The page's table names the line's id and requires the attestation; its new commerce sample sends neither.
        Assert.Equal(["lineItems[].id", "PartnerOnRecordAttestationAccepted"], JsonShape.Extra(MicrosoftSample.Read(CreateRequest).Body, body));
    }

    [Fact]
    public async Task Simulator_MicrosoftsCartRequests_AnswerWithEveryNameOfMicrosoftsCarts()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var request = Request(CreateRequest, E5);

        var created = await pc.SendAsync(HttpMethod.Post, $"v1/customers/{customer.Id}/carts", JsonContent.Create(request));
        var cart = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var update = Request(UpdateRequest, E5);
        update["LineItems"]![0]!["BillingCycle"] = "Annual";
        update["LineItems"]![0]!["TermDuration"] = "P1Y";
        var updated = await pc.SendAsync(HttpMethod.Put, $"v1/customers/{customer.Id}/carts/{cart.GetProperty("id").GetString()}", JsonContent.Create(update));

        Assert.Equal((HttpStatusCode)MicrosoftSample.Read(CreateResponse).Status!, created.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(CreateResponse).Body, cart));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(CreateResponse).Body, cart));
        Assert.Equal((HttpStatusCode)MicrosoftSample.Read(UpdateResponse).Status!, updated.StatusCode);
        var changed = await updated.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(UpdateResponse).Body, changed));
        Assert.Equal(("A_sample_Azure_RI", 2, "annual"), (changed.GetProperty("lineItems")[0].GetProperty("friendlyName").GetString(), changed.GetProperty("lineItems")[0].GetProperty("quantity").GetInt32(), changed.GetProperty("lineItems")[0].GetProperty("billingCycle").GetString()));
    }

    [Fact]
    public async Task Simulator_Checkout_PlacesMicrosoftsOrders_OnePerBillingCycle()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, E5, 3, "P1Y", "Monthly"), new CartLineItem(1, "CFQ7TTC0LH18:0001:CFQ7TTC0K971", 2, "P1Y", "Annual")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);

        var checkout = await pc.SendAsync(HttpMethod.Post, $"v1/customers/{customer.Id}/carts/{cart.Id}/checkout");
        var result = await checkout.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var orders = result.GetProperty("orders").EnumerateArray().ToList();
        var byId = await pc.SendAsync(HttpMethod.Get, $"v1/customers/{customer.Id}/orders/{orders[0].GetProperty("id").GetString()}");
        var listed = await pc.Client.ListOrdersAsync(customer.Id!, Cancel);

        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        Assert.Equal(["monthly", "annual"], orders.Select(o => o.GetProperty("billingCycle").GetString()));
        foreach (var order in orders.Append(await byId.Content.ReadFromJsonAsync<JsonElement>(Cancel)))
        {
            Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(CheckoutOrder).Body, order));
            Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(CheckoutOrder).Body, order));
            Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(OrderById).Body, order));
        }

        Assert.Equal(orders.Select(o => o.GetProperty("id").GetString()).Order(), listed.Select(o => o.Id).Order());
        Assert.All(listed, o => Assert.Equal(("USD", 0), (o.CurrencyCode, Assert.Single(o.LineItems).LineItemNumber)));
    }

    // E5 at the simulator's US list price (57.00 a month for a year's term): the price per billing cycle, the extended price
    // for the quantity over the whole term, and a promotion's share off.
    [Fact]
    public async Task Simulator_LinePricing_IsThePricePerCycle_ExtendedOverTheTermAndQuantity()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var prices = (await pc.Client.GetPriceSheetAsync("US", "current", null, Cancel))!.Where(e => e.ProductId == "CFQ7TTC0LFLZ" && e.TermDuration == "P1Y").ToDictionary(e => e.BillingPlan.ToLowerInvariant(), e => e.UnitPrice);

        var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, E5, 3, "P1Y", "Monthly"), new CartLineItem(1, E5, 2, "P1Y", "Annual")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);
        var promoted = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1", 4, "P1Y", "Monthly", PromotionId: "CFQ7TTC0LCHC:0002:39NFJQT1Q5KN")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);

        var (monthly, annual, premium) = (cart.LineItems[0].Pricing!, cart.LineItems[1].Pricing!, promoted.LineItems[0].Pricing!);
        Assert.Equal((prices["monthly"], prices["monthly"], 12 * 3 * prices["monthly"]), (monthly.ListPrice, monthly.Price, monthly.ExtendedPrice));
        Assert.Equal((prices["annual"], 2 * prices["annual"]), (annual.Price, annual.ExtendedPrice));
        Assert.Equal((Math.Round(premium.ListPrice * 0.85m, 2, MidpointRounding.AwayFromZero), 12 * 4 * premium.Price), (premium.DiscountedPrice, premium.ExtendedPrice));
        Assert.Equal(["0", "1"], cart.LineItems.Select(l => l.OrderGroup));
    }

    private static JsonNode Request(string sample, string catalogItemId)
    {
        var request = JsonNode.Parse(MicrosoftSample.Read(sample).Body.GetRawText())!;
        request["LineItems"]![0]!["CatalogItemId"] = catalogItemId;
        request["PartnerOnRecordAttestationAccepted"] = true;
        return request;
    }

    /// <summary>Partner Center answering a cart with an empty one, keeping what was sent.</summary>
    private sealed class Recorder(List<string> sent) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.Created) { Content = JsonContent.Create(new { id = "c", lineItems = Array.Empty<object>() }) };
        }
    }
}
