using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Customers against Microsoft's samples of "Create a customer" and "Get a customer by ID", on both sides: the client
/// reads the responses and sends the request's names; the simulator, sent Microsoft's request as written (its names in
/// capitals, its culture as EN-US), answers with every name of Microsoft's responses and the culture as Microsoft writes it.
/// </summary>
public sealed class CustomerContractTests
{
    private const string CreateRequest = "create-a-customer.request.json";
    private const string CreateResponse = "create-a-customer.response.json";
    private const string Get = "get-a-customer-by-id.response.json";
    private const string List = "get-a-list-of-customers.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsCustomers()
    {
        var created = MicrosoftSample.Read(CreateResponse).Body.Deserialize(PartnerCenterJson.Default.Customer)!;
        var read = MicrosoftSample.Read(Get).Body.Deserialize(PartnerCenterJson.Default.Customer)!;

        Assert.Equal(("dfd8cc0a-c592-468c-8461-869a38d24738", "xyz.ccsctp.net", null), (created.Id, created.CompanyProfile.Domain, created.CompanyProfile.CompanyName));
        Assert.Equal(("en-US", "en", "WA", "Redmond"), (created.BillingProfile!.Culture, created.BillingProfile.Language, created.BillingProfile.DefaultAddress.State, created.BillingProfile.DefaultAddress.City));
        Assert.Equal(("1kl as kjk", "US", "1234567890"), (read.CompanyProfile.CompanyName, read.BillingProfile!.DefaultAddress.Country, read.BillingProfile.DefaultAddress.PhoneNumber));
    }

    [Fact]
    public void Client_CreateRequest_HasMicrosoftsNames()
    {
        var customer = new Customer(
            null, new CompanyProfile(null, "xyz.ccsctp.net"),
            new BillingProfile("en-US", "en", null, "test@outlook.com", new Address("US", "Redmond", "98052", "One Microsoft Way", State: "WA", FirstName: "Test", LastName: "Test"), "test company"),
            EnableGDAPByDefault: false);

        var body = JsonSerializer.SerializeToElement(customer, PartnerCenterJson.Default.Customer);

        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(CreateRequest).Body, body));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(CreateRequest).Body, body));
    }

    [Fact]
    public async Task Simulator_MicrosoftsCreateRequest_AnswersWithEveryNameOfMicrosoftsResponses()
    {
        await using var pc = new SimulatedPartnerCenter();

        var created = await pc.SendAsync(HttpMethod.Post, "v1/customers", new StringContent(MicrosoftSample.Read(CreateRequest).Body.GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var read = await pc.SendAsync(HttpMethod.Get, $"v1/customers/{body.GetProperty("id").GetString()}");
        var got = await read.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (created.StatusCode, read.StatusCode));
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(CreateResponse).Body, body));
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Get).Body, got));
        Assert.Equal(("en-US", "en", "WA", "One Microsoft Way"), (
            got.GetProperty("billingProfile").GetProperty("culture").GetString(), got.GetProperty("billingProfile").GetProperty("language").GetString(),
            got.GetProperty("billingProfile").GetProperty("defaultAddress").GetProperty("state").GetString(), got.GetProperty("billingProfile").GetProperty("defaultAddress").GetProperty("addressLine1").GetString()));
        Assert.False(got.TryGetProperty("userCredentials", out _));
    }

    [Fact]
    public async Task Simulator_ACultureThatIsNotOne_IsRefused()
    {
        await using var pc = new SimulatedPartnerCenter();

        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.CreateCustomerAsync(
            new Customer(null, new CompanyProfile("Contoso", "contoso-culture.onmicrosoft.com"), new BillingProfile("xx-nowhere", "xx", null, "it@contoso.example", new Address("DE"))), Guid.NewGuid(), Cancel));

        Assert.Equal((HttpStatusCode.BadRequest, "800002"), (refused.Status, refused.Error.Code));
    }

    [Fact]
    public void Client_ReadsMicrosoftsListOfCustomers_WhichHasNoBillingProfile()
    {
        var page = MicrosoftSample.Read(List).Body.Deserialize(PartnerCenterJson.Default.ResourcePageCustomer)!;

        Assert.Equal(2, page.Items.Count);
        Assert.All(page.Items, c => Assert.Null(c.BillingProfile));
        Assert.Equal("domain", page.Items[0].CompanyProfile.Domain);
    }

    [Fact]
    public async Task Simulator_ListOfCustomers_IsMicrosoftsShape_AndTheClientReadsEveryPage()
    {
        await using var pc = new SimulatedPartnerCenter();
        for (var i = 0; i < 3; i++)
        {
            await pc.Client.CreateCustomerAsync(
                new Customer(null, new CompanyProfile($"Tailspin {i}", $"tailspin-{i}.onmicrosoft.com"), new BillingProfile("en-GB", "en", null, "it@tailspin.example", new Address("GB"))), Guid.NewGuid(), Cancel);
        }

        var page = await pc.SendAsync(HttpMethod.Get, "v1/customers?size=2");
        var body = await page.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var all = await pc.Client.ListCustomersAsync(2, Cancel).ToListAsync(Cancel);

        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(List).Body, body));
        Assert.All(body.GetProperty("items").EnumerateArray(), c => Assert.False(c.TryGetProperty("billingProfile", out _)));
        Assert.Equal(3, all.Count);
    }
}
