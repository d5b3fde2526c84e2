using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// The Subscription resource against Microsoft's samples of "Get a subscription by ID" and "Change the quantity of a
/// subscription", on both sides: the platform's client reads the responses and sends the request's names; the simulator,
/// sent Microsoft's request, answers with every name of Microsoft's response.
/// </summary>
public sealed class SubscriptionContractTests
{
    private const string NewCommerce = "get-a-subscription-by-id.new-commerce.response.json";
    private const string PatchRequest = "change-the-quantity-of-a-subscription.new-commerce.request.json";
    private const string PatchResponse = "change-the-quantity-of-a-subscription.new-commerce.response.json";
    private const string DecreaseRefused = "change-the-quantity-of-a-subscription.decrease-refused.response.json";
    private const string List = "get-all-of-a-customer-s-subscriptions.response.json";

    /// <summary>
    /// What the client and the simulator send beyond the samples, each documented elsewhere: <c>cancellationAllowedUntilDate</c>,
    /// <c>scheduledNextTermInstructions</c> and <c>promotionId</c> in the Subscription resource's table (subscription-resources),
    /// <c>scheduledActions</c> for the extended service term (docs/microsoft/lifecycle.md).
    /// </summary>
    private static readonly string[] Additions = ["cancellationAllowedUntilDate", "scheduledActions", "scheduledNextTermInstructions", "promotionId", "attributes.etag"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsNewCommerceSubscription()
    {
        var subscription = MicrosoftSample.Read(NewCommerce).Body.Deserialize(PartnerCenterJson.Default.Subscription)!;

        Assert.Equal(("a4c1340d-6911-4758-bba3-0c4c6007d161", "CFQ7TTC0LH18:0001:CFQ7TTC0K971", 15, "expired"), (subscription.Id, subscription.OfferId, subscription.Quantity, subscription.Status));
        Assert.Equal(("monthly", "P1Y", "license", false), (subscription.BillingCycle, subscription.TermDuration, subscription.BillingType, subscription.IsTrial));
        Assert.Equal(new DateTimeOffset(2022, 1, 13, 0, 0, 0, TimeSpan.Zero), subscription.CommitmentEndDate);
        Assert.Equal((10, new DateTimeOffset(2021, 1, 24, 20, 39, 17, 182, TimeSpan.Zero).AddTicks(6970)), (subscription.RefundableQuantity!.TotalQuantity, Assert.Single(subscription.RefundableQuantity.Details).AllowedUntilDateTime));
        Assert.Equal(("OnlineServicesNCE", "Subscription", null), (subscription.ProductType!.Id, subscription.Attributes.ObjectType, subscription.Attributes.Etag));
    }

    [Fact]
    public void Client_ReadsMicrosoftsAzureSubscription()
    {
        var subscription = MicrosoftSample.Read("get-a-subscription-by-id.azure.response.json").Body.Deserialize(PartnerCenterJson.Default.Subscription)!;

        Assert.Equal(("MS-AZR-0145P", "Usage-based", "usage", "active"), (subscription.OfferId, subscription.UnitType, subscription.BillingType, subscription.Status));
        Assert.StartsWith("eyJpZCI6", subscription.Attributes.Etag, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_PatchBody_IsTheWholeResourceWithMicrosoftsNames()
    {
        var got = MicrosoftSample.Read(NewCommerce).Body.Deserialize(PartnerCenterJson.Default.Subscription)!;
        var request = MicrosoftSample.Read(PatchRequest).Body;

        var body = JsonSerializer.SerializeToElement(got with { Quantity = 1, Status = "active", AutoRenewEnabled = true }, PartnerCenterJson.Default.Subscription);

        Assert.Empty(JsonShape.Missing(request, body));
        Assert.Empty(JsonShape.Extra(request, body).Except(JsonShape.Extra(request, MicrosoftSample.Read(NewCommerce).Body)).Except(Additions));
        Assert.Equal(1, body.GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task Client_MicrosoftsNumericErrorCode_IsTheRefusalsCode()
    {
        var refusal = MicrosoftSample.Read(DecreaseRefused);
        await using var partnerCenter = new StubbedPartnerCenter(new Answer(refusal));
        var subscription = MicrosoftSample.Read(NewCommerce).Body.Deserialize(PartnerCenterJson.Default.Subscription)! with { Quantity = 1 };

        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => partnerCenter.Client.PatchSubscriptionAsync("d8202a51-69f9-4228-b900-d0e081af17d7", subscription, Guid.NewGuid(), Cancel));

        Assert.Equal((HttpStatusCode.BadRequest, "800090", "Subscription quantity cannot be decreased."), (refused.Status, refused.Error.Code, refused.Error.Description));
    }

    [Fact]
    public async Task Simulator_Subscription_HasEveryNameOfMicrosoftsSample()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var subscription = await pc.SubscribeAsync(customer);

        var answer = await pc.SendAsync(HttpMethod.Get, $"v1/customers/{customer.Id}/subscriptions/{subscription.Id}");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(NewCommerce).Body, await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel)));
    }

    [Fact]
    public async Task Simulator_ListOfSubscriptions_HasEveryNameOfMicrosoftsList_AndTheClientReadsBoth()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var subscription = await pc.SubscribeAsync(customer);

        var answer = await pc.GetJsonAsync($"v1/customers/{customer.Id}/subscriptions");
        var documented = MicrosoftSample.Read(List).Body.Deserialize(PartnerCenterJson.Default.ResourcePageSubscription)!.Items.Single();
        var listed = await pc.Client.ListSubscriptionsAsync(customer.Id!, Cancel);

        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(List).Body, answer));
        Assert.Equal(("P3Y", "triennial", "license"), (documented.TermDuration, documented.BillingCycle, documented.BillingType));
        Assert.Equal(subscription.Id, Assert.Single(listed).Id);
    }

    [Fact]
    public async Task Simulator_MicrosoftsPatchRequest_AnswersWithEveryNameOfMicrosoftsResponse()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var subscription = await pc.SubscribeAsync(customer);
        var request = JsonNode.Parse(MicrosoftSample.Read(PatchRequest).Body.GetRawText())!.AsObject();
        request["id"] = subscription.Id;
        request["quantity"] = 12;
        request["creationDate"] = subscription.CreationDate;
        request["effectiveStartDate"] = subscription.EffectiveStartDate;
        request["commitmentEndDate"] = subscription.CommitmentEndDate;
        request["orderId"] = subscription.OrderId;
        request["links"]!["self"]!["uri"] = $"/customers/{customer.Id}/subscriptions/{subscription.Id}";

        var answer = await pc.SendAsync(HttpMethod.Patch, $"v1/customers/{customer.Id}/subscriptions/{subscription.Id}", JsonContent.Create(request), subscription.Attributes.Etag);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(PatchResponse).Body, body));
        Assert.Equal(12, body.GetProperty("quantity").GetInt32());
    }

    /// <summary>
    /// Microsoft's page shows 800090 for a reduction after the window; its error-codes page gives the window its own code,
    /// 900214 ("You have passed your {0}-hour window for reducing seats"), which the simulator answers
    /// (docs/microsoft/conformance.md). The body's names and kinds are Microsoft's.
    /// </summary>
    [Fact]
    public async Task Simulator_ReductionAfterTheWindow_IsMicrosoftsErrorBody()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var subscription = await pc.SubscribeAsync(customer);
        await pc.AdvanceAsync(TimeSpan.FromDays(8));
        subscription = await pc.Client.GetSubscriptionAsync(customer.Id!, subscription.Id, Cancel);

        var answer = await pc.SendAsync(
            HttpMethod.Patch, $"v1/customers/{customer.Id}/subscriptions/{subscription.Id}", JsonContent.Create(subscription with { Quantity = 1 }, PartnerCenterJson.Default.Subscription), subscription.Attributes.Etag);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(DecreaseRefused).Body, body));
        Assert.Equal(900214, body.GetProperty("code").GetInt32());
    }

    /// <summary>Partner Center answering every request with a documented sample.</summary>
    private sealed class Answer(MicrosoftSample sample) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage((HttpStatusCode)sample.Status!.Value) { Content = JsonContent.Create(sample.Body) });
    }
}
