using System.Net;
using Csp.PartnerCenter.Api;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>The client against the simulator over HTTP: customers, agreements, the catalog, carts and checkout.</summary>
public sealed class CustomerAndCatalogTests : IAsyncLifetime
{
    private readonly SimulatedPartnerCenter pc = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => pc.DisposeAsync();

    [Fact]
    public async Task CreateCustomer_ThenGetAndAgreements_AreTheCustomerWithItsAttestation()
    {
        var created = await pc.CustomerAsync("DE", "fabrikam.onmicrosoft.com");

        var read = await pc.Client.GetCustomerAsync(created.Id!, Cancel);
        var agreement = Assert.Single(await pc.Client.ListAgreementsAsync(created.Id!, Cancel));

        Assert.Equal(("fabrikam.onmicrosoft.com", "DE", "EUR"), (read.CompanyProfile.Domain, read.BillingProfile!.DefaultAddress.Country, read.BillingProfile.Currency));
        Assert.Equal(("MicrosoftCustomerAgreement", "ada@contoso.example"), (agreement.Type, agreement.PrimaryContact.Email));
    }

    [Fact]
    public async Task ListCustomers_InPagesOfThree_FollowsTheContinuationTokenToEveryCustomerOnce()
    {
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await pc.CustomerAsync()).Id!);
        }

        var listed = new List<string>();
        await foreach (var customer in pc.Client.ListCustomersAsync(3, Cancel))
        {
            listed.Add(customer.Id!);
        }

        Assert.Equal(created.Order(), listed.Order());
        Assert.Equal(3, (await pc.ReceivedAsync()).Count(r => r.Method == "GET" && r.Path == "/v1/customers"));
    }

    [Fact]
    public async Task CreateCustomer_WithoutACulture_Is800002NamingTheFieldsAndCreatesNothing()
    {
        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.CreateCustomerAsync(
            new Customer(null, new CompanyProfile("Contoso", "contoso.onmicrosoft.com"), new BillingProfile("", "", null, null, new Address("DE"))), Guid.NewGuid(), Cancel));
        var listed = new List<Customer>();
        await foreach (var customer in pc.Client.ListCustomersAsync(10, Cancel))
        {
            listed.Add(customer);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "800002"), (refused.Status, refused.Code));
        Assert.Contains("billingProfile.culture", refused.Error.Description, StringComparison.Ordinal);
        Assert.Empty(listed);
    }

    [Fact]
    public async Task GetCustomer_Unknown_IsMicrosofts404WithItsCode()
    {
        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.GetCustomerAsync(Guid.NewGuid().ToString(), Cancel));

        Assert.Equal((HttpStatusCode.NotFound, "20003"), (refused.Status, refused.Code));
    }

    [Fact]
    public async Task Catalog_ProductToSkuToAvailability_GivesTheCatalogItemIdTermsAndTheMarketsCurrency()
    {
        var products = await pc.Client.ListProductsAsync("DE", "OnlineServices", Cancel);
        var basic = Assert.Single(products, p => p.Title == "Microsoft 365 Business Basic");
        var sku = Assert.Single(await pc.Client.ListSkusAsync(basic.Id, "DE", Cancel));
        var availability = Assert.Single(await pc.Client.ListAvailabilitiesAsync(basic.Id, sku.Id, "DE", Cancel));

        Assert.DoesNotContain(products, p => p.Title == "Azure plan");
        Assert.Equal(("CFQ7TTC0LH18:0001:CFQ7TTC0K971", "EUR", "€"), (availability.CatalogItemId, availability.DefaultCurrency.Code, availability.DefaultCurrency.Symbol));
        Assert.Equal(["P1M/Monthly", "P1Y/Monthly", "P1Y/Annual"], availability.Terms.Select(t => $"{t.Duration}/{t.BillingCycle}"));
        Assert.Equal(["monthly", "annual"], sku.SupportedBillingCycles);
        Assert.True(availability.IsRenewable);
        Assert.Equal("Full", availability.Terms[0].CancellationPolicies![0].RefundOptions[0].Type);
    }

    [Fact]
    public async Task Catalog_AMarketMicrosoftDoesNotSell_Is800070()
    {
        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.ListProductsAsync("XX", "OnlineServices", Cancel));

        Assert.Equal("800070", refused.Code);
    }

    [Fact]
    public async Task Checkout_AValidLine_IsAnOrderWhoseSubscriptionIsPendingThenProvisioned()
    {
        var customer = await pc.CustomerAsync();
        var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ", 12, "P1Y", "Annual")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);

        var result = await pc.Client.CheckoutAsync(customer.Id!, cart.Id!, Guid.NewGuid(), Cancel);
        var line = Assert.Single(Assert.Single(result.Orders).LineItems);
        var pending = await pc.Client.GetSubscriptionAsync(customer.Id!, line.SubscriptionId!, Cancel);
        await pc.AdvanceAsync(TimeSpan.FromSeconds(31));
        var provisioned = await pc.Client.GetSubscriptionAsync(customer.Id!, line.SubscriptionId!, Cancel);
        var order = Assert.Single(await pc.Client.ListOrdersAsync(customer.Id!, Cancel));

        Assert.Equal(("pending", "active"), (pending.Status, provisioned.Status));
        Assert.Equal((12, "P1Y", "annual", true), (provisioned.Quantity, provisioned.TermDuration, provisioned.BillingCycle, provisioned.AutoRenewEnabled));
        Assert.Equal(new DateTimeOffset(2027, 11, 25, 0, 0, 0, TimeSpan.Zero), provisioned.CommitmentEndDate);
        Assert.Equal(pc.Start.AddHours(168), provisioned.CancellationAllowedUntilDate);
        Assert.Equal("completed", order.Status);
    }

    [Fact]
    public async Task Checkout_UnknownItemAndNoAttestation_AreOrderErrorsWithMicrosoftsCodes()
    {
        var customer = await pc.CustomerAsync();
        var unknown = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, "NOPE:0001:NOPE", 1, "P1Y", "Monthly")], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);
        var unattested = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, "CFQ7TTC0LH18:0001:CFQ7TTC0K971", 1, "P1Y", "Monthly")]), Guid.NewGuid(), Cancel);

        var first = await pc.Client.CheckoutAsync(customer.Id!, unknown.Id!, Guid.NewGuid(), Cancel);
        var second = await pc.Client.CheckoutAsync(customer.Id!, unattested.Id!, Guid.NewGuid(), Cancel);
        var again = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.CheckoutAsync(customer.Id!, unattested.Id!, Guid.NewGuid(), Cancel));

        Assert.Equal(("10001", "10012"), (Assert.Single(first.OrderErrors).Code, Assert.Single(second.OrderErrors).Code));
        Assert.Empty(first.Orders);
        Assert.Equal("800065", again.Code);
    }

    [Fact]
    public async Task AnyCall_WithoutTheToken_Is401()
    {
        var response = await pc.Control.GetAsync("/v1/customers", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
