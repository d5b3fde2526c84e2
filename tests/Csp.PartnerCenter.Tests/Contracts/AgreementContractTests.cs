using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// The customer's acceptance of the Microsoft Customer Agreement against Microsoft's "Confirm customer acceptance": its
/// kind is <c>type</c> (the client sent <c>agreementType</c>, which Microsoft's resource does not have).
/// </summary>
public sealed class AgreementContractTests
{
    private const string Request = "confirm-customer-consent-customer-agreement.request.json";
    private const string Response = "confirm-customer-consent-customer-agreement.response.json";
    private const string Listed = "get-confirmation-of-customer-agreement.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_SendsMicrosoftsNames_AndReadsItsAnswer()
    {
        var agreement = new Agreement(
            "MicrosoftCustomerAgreement", new DateTimeOffset(2018, 6, 14, 0, 0, 0, TimeSpan.Zero), "117a77b0-9360-443b-8795-c6dedc750cf9", new AgreementContact("Tania", "Carr", "someone@example.com", "1234567890"));

        var body = JsonSerializer.SerializeToElement(agreement, PartnerCenterJson.Default.Agreement);
        var answer = MicrosoftSample.Read(Response).Body.Deserialize(PartnerCenterJson.Default.Agreement)!;

        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Request).Body, body));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(Request).Body, body));
        Assert.Equal(("MicrosoftCustomerAgreement", "3d6f2c09-eb40-48ca-a4b3-d24c9c007531", "Carr"), (answer.Type, answer.UserId, answer.PrimaryContact.LastName));
    }

    [Fact]
    public void Client_ReadsMicrosoftsAgreements_TheirDaysAsUtc()
    {
        var agreements = MicrosoftSample.Read(Listed).Body.Deserialize(PartnerCenterJson.Default.ResourcePageAgreement)!.Items;

        Assert.Equal([new DateTimeOffset(2019, 8, 26, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2019, 8, 27, 0, 0, 0, TimeSpan.Zero)], agreements.Select(a => a.DateAgreed));
        Assert.All(agreements, a => Assert.Equal(("MicrosoftCustomerAgreement", "https://aka.ms/customeragreement"), (a.Type, a.AgreementLink)));
    }

    // Without agreementType Microsoft answers Microsoft Cloud Agreements only: the client names the Customer Agreement.
    [Fact]
    public async Task Simulator_ListOfAgreements_IsOfTheTypeAsked_WithMicrosoftsNames()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        await pc.Client.AcceptAgreementAsync(customer.Id!, new Agreement("MicrosoftCustomerAgreement", pc.Start, "117a77b0-9360-443b-8795-c6dedc750cf9", new AgreementContact("Tania", "Carr", "tania@example.com", "1234567890")), Guid.NewGuid(), Cancel);

        var asked = await pc.GetJsonAsync($"v1/customers/{customer.Id}/agreements?agreementType=MicrosoftCustomerAgreement");
        var every = await pc.GetJsonAsync($"v1/customers/{customer.Id}/agreements?agreementType=*");
        var byDefault = await pc.GetJsonAsync($"v1/customers/{customer.Id}/agreements");
        var listed = await pc.Client.ListAgreementsAsync(customer.Id!, Cancel);

        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Listed).Body, asked));
        Assert.Equal(["items[].userId"], JsonShape.Extra(MicrosoftSample.Read(Listed).Body, asked));
        Assert.Equal((1, 1, 0), (asked.GetProperty("totalCount").GetInt32(), every.GetProperty("totalCount").GetInt32(), byDefault.GetProperty("totalCount").GetInt32()));
        Assert.Equal("MicrosoftCustomerAgreement", Assert.Single(listed).Type);
    }

    [Fact]
    public async Task Simulator_MicrosoftsRequest_AnswersWithMicrosoftsNames_AndAnAgreementWithoutItsTypeIsRefused()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.Client.CreateCustomerAsync(
            new Customer(null, new CompanyProfile("Relecloud", "relecloud-agreement.onmicrosoft.com"), new BillingProfile("en-US", "en", null, "it@relecloud.example", new Address("US"))), Guid.NewGuid(), Cancel);

        var accepted = await pc.SendAsync(HttpMethod.Post, $"v1/customers/{customer.Id}/agreements", new StringContent(MicrosoftSample.Read(Request).Body.GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        var untyped = await pc.SendAsync(HttpMethod.Post, $"v1/customers/{customer.Id}/agreements", JsonContent.Create(new { agreementType = "MicrosoftCustomerAgreement", templateId = "117a77b0-9360-443b-8795-c6dedc750cf9", dateAgreed = "2018-06-14T00:00:00Z", primaryContact = new { firstName = "Tania", lastName = "Carr", email = "someone@example.com" } }));
        var listed = Assert.Single(await pc.Client.ListAgreementsAsync(customer.Id!, Cancel));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Response).Body, await accepted.Content.ReadFromJsonAsync<JsonElement>(Cancel)));
        Assert.Equal(HttpStatusCode.BadRequest, untyped.StatusCode);
        Assert.Equal(("MicrosoftCustomerAgreement", "117a77b0-9360-443b-8795-c6dedc750cf9"), (listed.Type, listed.TemplateId));
    }
}
