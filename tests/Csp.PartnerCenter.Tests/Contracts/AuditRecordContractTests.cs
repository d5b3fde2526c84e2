using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Audit records against Microsoft's "Get a record of Partner Center activity": the client reads the sample and sends the
/// documented filter syntax; the simulator answers with every documented name and keeps only what the filter names.
/// </summary>
public sealed class AuditRecordContractTests
{
    private const string Sample = "get-a-record-of-partner-center-activity-by-user.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsAuditRecords()
    {
        var page = MicrosoftSample.Read(Sample).Body.Deserialize(PartnerCenterJson.Default.ResourcePageAuditRecord)!;

        Assert.Equal(["create_order", "update_customer_user_licenses"], page.Items.Select(r => r.OperationType));
        Assert.Equal(("Relecloud", "order", null), (page.Items[0].CustomerName, page.Items[0].ResourceType, page.Items[0].CustomizedData![^1].Value));
        Assert.Contains("\"SubscriptionId\":\"488745B5-2086-4912-802C-6ABB9F7C3638\"", page.Items[0].ResourceNewValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_Filter_IsMicrosoftsSyntaxEncoded()
    {
        var sent = new List<Uri>();
        await using var partnerCenter = new StubbedPartnerCenter(new Recorder(sent));

        await foreach (var _ in partnerCenter.Client.ListAuditRecordsAsync(new DateOnly(2017, 6, 1), null, AuditRecordFilter.Customer("0c39d6d5-c70d-4c55-bc02-f620844f3fd1"), Cancel))
        {
        }

        var filter = System.Web.HttpUtility.ParseQueryString(Assert.Single(sent).Query)["filter"];
        Assert.Equal("{\"Field\":\"CustomerId\",\"Value\":\"0c39d6d5-c70d-4c55-bc02-f620844f3fd1\",\"Operator\":\"equals\"}", filter);
    }

    [Fact]
    public async Task Simulator_AuditRecords_HaveEveryNameOfMicrosoftsSample_AndTheFilterKeepsWhatItNames()
    {
        await using var pc = new SimulatedPartnerCenter();
        var contoso = await pc.CustomerAsync("US");
        var fabrikam = await pc.Client.CreateCustomerAsync(
            new Customer(null, new CompanyProfile("Fabrikam", "fabrikam-audit.onmicrosoft.com"), new BillingProfile("en-US", "en", null, "it@fabrikam.example", new Address("US"), "Fabrikam, Inc.")), Guid.NewGuid(), Cancel);
        var bought = await pc.SubscribeAsync(contoso, quantity: 3);
        await pc.Client.PatchSubscriptionAsync(contoso.Id!, bought with { Quantity = 4 }, Guid.NewGuid(), Cancel);
        var start = DateOnly.FromDateTime(pc.Start.UtcDateTime);

        var all = await pc.SendAsync(HttpMethod.Get, $"v1/auditrecords?startDate={start:yyyy-MM-dd}");
        var byCompany = await pc.Client.ListAuditRecordsAsync(start, null, AuditRecordFilter.CompanyNameContaining("BRI"), Cancel).ToListAsync(Cancel);
        var byCustomer = await pc.Client.ListAuditRecordsAsync(start, null, AuditRecordFilter.Customer(contoso.Id!), Cancel).ToListAsync(Cancel);
        var subscriptions = await pc.Client.ListAuditRecordsAsync(start, null, AuditRecordFilter.ResourceType("Subscription"), Cancel).ToListAsync(Cancel);
        var unknown = await pc.SendAsync(HttpMethod.Get, $"v1/auditrecords?startDate={start:yyyy-MM-dd}&filter={Uri.EscapeDataString("{\"Field\":\"Colour\",\"Value\":\"x\",\"Operator\":\"equals\"}")}");

        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Sample).Body, await all.Content.ReadFromJsonAsync<JsonElement>(Cancel)));
        Assert.Equal([fabrikam.Id], byCompany.Select(r => r.CustomerId).Distinct());
        Assert.Equal([contoso.Id], byCustomer.Select(r => r.CustomerId).Distinct());
        Assert.Contains(byCustomer, r => r.OperationType == "create_order");
        Assert.Equal(["subscription"], subscriptions.Select(r => r.ResourceType).Distinct());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    /// <summary>Partner Center answering every request with an empty page, keeping what was asked.</summary>
    private sealed class Recorder(List<Uri> sent) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { totalCount = 0, items = Array.Empty<object>() }) });
        }
    }
}
