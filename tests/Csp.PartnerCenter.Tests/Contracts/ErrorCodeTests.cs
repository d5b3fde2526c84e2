using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// The simulator refuses with the status and code Microsoft's error-codes page gives each case, and keeps the rules its
/// pages state (carts live 7 days; a PATCH may come without If-Match, as Microsoft's samples send it).
/// </summary>
public sealed class ErrorCodeTests
{
    private const string Basic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string Premium = "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tokens_MissingIs800001_AndNotValidIsAccessDenied()
    {
        await using var pc = new SimulatedPartnerCenter();

        var missing = await pc.Control.GetAsync("v1/customers", Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/customers");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer not-a-token");
        var invalid = await pc.Control.SendAsync(request, Cancel);

        Assert.Equal((HttpStatusCode.Unauthorized, 800001), (missing.StatusCode, await CodeAsync(missing)));
        Assert.Equal((HttpStatusCode.Unauthorized, 400), (invalid.StatusCode, await CodeAsync(invalid)));
    }

    [Fact]
    public async Task Catalog_UnknownProductOrSku_Is404WithMicrosoftsCatalogCode()
    {
        await using var pc = new SimulatedPartnerCenter();

        var product = await pc.SendAsync(HttpMethod.Get, "v1/products/CFQ7TTC0ZZZZ/skus?country=US");
        var sku = await pc.SendAsync(HttpMethod.Get, "v1/products/CFQ7TTC0LH18/skus/9999/availabilities?country=US");
        var known = await pc.SendAsync(HttpMethod.Get, "v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US");

        Assert.Equal((HttpStatusCode.NotFound, 400013), (product.StatusCode, await CodeAsync(product)));
        Assert.Equal((HttpStatusCode.NotFound, 400018), (sku.StatusCode, await CodeAsync(sku)));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    [Fact]
    public async Task Seats_OverTheSkusMaximum_Are900275InACartAnd800067InAPatch()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, Basic, 301, "P1Y", "Monthly")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);
        var checkout = await pc.Client.CheckoutAsync(customer.Id!, cart.Id!, Guid.NewGuid(), Cancel);
        var bought = await pc.SubscribeAsync(customer, Basic, quantity: 10);

        var patch = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.PatchSubscriptionAsync(customer.Id!, bought with { Quantity = 301 }, Guid.NewGuid(), Cancel));

        Assert.Equal("900275", Assert.Single(checkout.OrderErrors).Code);
        Assert.Equal((HttpStatusCode.Forbidden, "800067"), (patch.Status, patch.Error.Code));
    }

    [Fact]
    public async Task Carts_LiveSevenDays()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        Cart NewCart() => new(null, [new CartLineItem(0, Basic, 1, "P1Y", "Monthly")], PartnerOnRecordAttestationAccepted: true);
        var kept = await pc.Client.CreateCartAsync(customer.Id!, NewCart(), Guid.NewGuid(), Cancel);
        var left = await pc.Client.CreateCartAsync(customer.Id!, NewCart(), Guid.NewGuid(), Cancel);
        await pc.AdvanceAsync(TimeSpan.FromDays(6));

        var sixDays = await pc.Client.CheckoutAsync(customer.Id!, kept.Id!, Guid.NewGuid(), Cancel);
        await pc.AdvanceAsync(TimeSpan.FromDays(1.5));
        var expired = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.CheckoutAsync(customer.Id!, left.Id!, Guid.NewGuid(), Cancel));

        Assert.Single(sixDays.Orders);
        Assert.Equal("800008", expired.Error.Code);
    }

    [Fact]
    public async Task Patch_WithoutIfMatch_AppliesAsMicrosoftsSamplesSendIt()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var bought = await pc.SubscribeAsync(customer, Basic, quantity: 10);

        var answer = await pc.SendAsync(HttpMethod.Patch, $"v1/customers/{customer.Id}/subscriptions/{bought.Id}", JsonContent.Create(bought with { Quantity = 11 }, PartnerCenterJson.Default.Subscription));
        var stale = await pc.SendAsync(HttpMethod.Patch, $"v1/customers/{customer.Id}/subscriptions/{bought.Id}", JsonContent.Create(bought with { Quantity = 12 }, PartnerCenterJson.Default.Subscription), bought.Attributes.Etag);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(11, (await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel)).Quantity);
    }

    [Fact]
    public async Task Transition_OntoItselfOrOntoATargetInItsWindow_HasMicrosoftsTransitionCodes()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var basic = await pc.SubscribeAsync(customer, Basic, quantity: 10);
        await pc.AdvanceAsync(TimeSpan.FromDays(8));
        var premium = await pc.SubscribeAsync(customer, Premium, quantity: 1);

        var itself = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.TransitionAsync(customer.Id!, basic.Id, new Transition(Basic, Premium, 2, Transition.TransitionOnly, basic.Id, basic.Id), Guid.NewGuid(), Cancel));
        var inWindow = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.TransitionAsync(customer.Id!, basic.Id, new Transition(Basic, Premium, 2, Transition.TransitionOnly, basic.Id, premium.Id), Guid.NewGuid(), Cancel));

        Assert.Equal(("900259", "900261"), (itself.Error.Code, inWindow.Error.Code));
    }

    [Fact]
    public async Task Eligibilities_OfAnEligibilityTypeThatIsNotOne_AreRefusedNamingIt()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var basic = await pc.SubscribeAsync(customer, Basic, quantity: 1);

        var refused = await pc.SendAsync(HttpMethod.Get, $"v1/customers/{customer.Id}/subscriptions/{basic.Id}/transitionEligibilities?eligibilityType=soon");
        var scheduled = await pc.SendAsync(HttpMethod.Get, $"v1/customers/{customer.Id}/subscriptions/{basic.Id}/transitionEligibilities?eligibilityType=Scheduled");

        Assert.Equal((HttpStatusCode.BadRequest, 800002), (refused.StatusCode, await CodeAsync(refused)));
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
    }

    private static async Task<int> CodeAsync(HttpResponseMessage answer) =>
        (await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetInt32();
}
