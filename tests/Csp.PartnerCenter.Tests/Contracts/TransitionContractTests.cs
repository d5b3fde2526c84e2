using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Upgrades against Microsoft's samples of "Transition a new commerce subscription" and "Get transitions", on both
/// sides: the client reads the eligibilities, the transition and the history and sends the request's names; the
/// simulator, sent Microsoft's request, answers with every name of Microsoft's responses.
/// </summary>
public sealed class TransitionContractTests
{
    private const string Eligibilities = "transition-a-new-commerce-subscription.eligibilities.response.json";
    private const string TransitionRequest = "transition-a-new-commerce-subscription.transition.request.json";
    private const string TransitionResponse = "transition-a-new-commerce-subscription.transition.response.json";
    private const string History = "get-transitions.response.json";
    private const string Basic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string Premium = "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsEligibilities()
    {
        var page = MicrosoftSample.Read(Eligibilities).Body.Deserialize(PartnerCenterJson.Default.ResourcePageTransitionEligibility)!;

        var e5 = page.Items[0];
        Assert.Equal(("CFQ7TTC0KZCR:0001:CFQ7TTC0K71H", true), (e5.CatalogItemId, e5.TransitionOnly!.IsEligible));
        Assert.Equal("3", Assert.Single(e5.Eligibilities[1].Errors!).Code);
        Assert.Equal([false, true], e5.SubscriptionEligibilities!.Select(s => s.IsEligible));
        Assert.Null(page.Items[1].TransitionOnly);
    }

    [Fact]
    public void Client_TransitionRequest_HasMicrosoftsNames()
    {
        var request = MicrosoftSample.Read(TransitionRequest).Body;
        var transition = new Transition("CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X", "CFQ7TTC0LF8R:0001:CFQ7TTC0KCSV", 2, Transition.TransitionOnly, "e487e8dc-421e-4275-cb42-3c1c8daccf70", "0af52192-4a2a-4364-d25b-c8ecab3a5697", "P1M", "Monthly");

        var body = JsonSerializer.SerializeToElement(transition, PartnerCenterJson.Default.Transition);

        Assert.Empty(JsonShape.Missing(request, body));
        Assert.Empty(JsonShape.Extra(request, body));
    }

    [Fact]
    public void Client_ReadsMicrosoftsTransitionAndHistory()
    {
        var done = MicrosoftSample.Read(TransitionResponse).Body.Deserialize(PartnerCenterJson.Default.Transition)!;
        var history = MicrosoftSample.Read(History).Body.Deserialize(PartnerCenterJson.Default.TransitionHistory)!.All;

        Assert.Equal(("0af52192-4a2a-4364-d25b-c8ecab3a5697", "Started "), (done.ToSubscriptionId, Assert.Single(done.Events!).Status));
        var transition = Assert.Single(history);
        Assert.Equal(("CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT", "transition_with_license_transfer", "1caf8ec7-62cc-4ab5-b35d-572d2a62974c"), (transition.FromCatalogItemId, transition.TransitionType, transition.OperationId));
        Assert.Equal(["Started ", "Completed"], transition.Events!.Select(e => e.Status));
    }

    [Fact]
    public async Task Simulator_Eligibilities_HaveEveryNameOfMicrosoftsSample()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var basic = await pc.SubscribeAsync(customer, Basic, quantity: 5);
        await pc.SubscribeAsync(customer, Premium, quantity: 1);
        await pc.SubscribeAsync(customer, Premium, quantity: 1, term: "P1M");
        await pc.AdvanceAsync(TimeSpan.FromDays(8));
        await pc.SubscribeAsync(customer, Premium, quantity: 1);

        var answer = await pc.SendAsync(HttpMethod.Get, $"v1/customers/{customer.Id}/subscriptions/{basic.Id}/transitionEligibilities?eligibilityType=immediate");
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Eligibilities).Body, body));
        var premium = body.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("catalogItemId").GetString() == Premium);
        var into = premium.GetProperty("subscriptionEligibilities").EnumerateArray()
            .Select(s => (s.GetProperty("isEligible").GetBoolean(), s.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetInt32()).FirstOrDefault()))
            .Order();
        Assert.Equal([(false, 2), (false, 3), (true, 0)], into);
    }

    [Fact]
    public async Task Simulator_MicrosoftsTransitionRequest_AnswersWithEveryNameOfMicrosoftsResponse_AndIsInTheHistory()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var basic = await pc.SubscribeAsync(customer, Basic, quantity: 5);
        var request = JsonNode.Parse(MicrosoftSample.Read(TransitionRequest).Body.GetRawText())!.AsObject();
        request["fromCatalogItemId"] = Basic;
        request["fromSubscriptionId"] = basic.Id;
        request["toCatalogItemId"] = Premium;
        request.Remove("toSubscriptionId");
        request["termDuration"] = "P1Y";

        var answer = await pc.SendAsync(HttpMethod.Post, $"v1/customers/{customer.Id}/subscriptions/{basic.Id}/transitions", JsonContent.Create(request));
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var history = await pc.SendAsync(HttpMethod.Get, $"v1/customers/{customer.Id}/subscriptions/{basic.Id}/transitions");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(TransitionResponse).Body, body));
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(History).Body, await history.Content.ReadFromJsonAsync<JsonElement>(Cancel)));
        var listed = Assert.Single(await pc.Client.ListTransitionsAsync(customer.Id!, basic.Id, Cancel));
        Assert.Equal((Basic, Premium, 2, "Completed"), (listed.FromCatalogItemId, listed.ToCatalogItemId, listed.Quantity, listed.Events![0].Status));
    }

    [Fact]
    public async Task Simulator_TransitionWithoutItsType_IsRefusedNamingIt()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var basic = await pc.SubscribeAsync(customer, Basic, quantity: 5);

        var answer = await pc.SendAsync(HttpMethod.Post, $"v1/customers/{customer.Id}/subscriptions/{basic.Id}/transitions", JsonContent.Create(new { toCatalogItemId = Premium, quantity = 1 }));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("transitionType", (await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
