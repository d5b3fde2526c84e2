using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>The simulator's own routes under <c>/_sim</c> read their bodies as strictly as the platform's API.</summary>
public sealed class ControlTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("{\"kind\":0,\"pathPrefix\":\"/v1\"}")]
    [InlineData("{\"kind\":\"Sometimes\",\"pathPrefix\":\"/v1\"}")]
    [InlineData("{\"kind\":\"Throttle\"}")]
    [InlineData("{\"kind\":\"Throttle\",\"pathPrefix\":\"v1\"}")]
    [InlineData("{\"kind\":\"Throttle\",\"pathPrefix\":\"/v1\",\"times\":0}")]
    [InlineData("{\"kind\":\"Error\",\"pathPrefix\":\"/v1\",\"status\":200}")]
    [InlineData("{\"kind\":\"Throttle\",\"pathPrefix\":\"/v1\",\"colour\":\"red\"}")]
    public async Task Faults_AWrongFault_Is400AndLeavesEveryLaterRequestAlone(string body)
    {
        await using var pc = new SimulatedPartnerCenter();

        var refused = await pc.Control.PostAsync("/_sim/faults", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
        var customer = await pc.CustomerAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("800002", (await refused.Content.ReadFromJsonAsync<Api.ApiError>(Cancel))!.Code);
        Assert.NotNull((await pc.Client.GetCustomerAsync(customer.Id!, Cancel)).Id);
    }

    [Fact]
    public async Task Faults_AKindByName_IsInjected()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();

        var posted = await pc.Control.PostAsync(
            "/_sim/faults", new StringContent($"{{\"kind\":\"Error\",\"pathPrefix\":\"/v1/customers/{customer.Id}\",\"method\":\"GET\",\"times\":1,\"status\":500}}", Encoding.UTF8, "application/json"), Cancel);
        var raw = new HttpRequestMessage(HttpMethod.Get, $"/v1/customers/{customer.Id}");
        raw.Headers.Authorization = new("Bearer", "csp-simulator-development-token");
        var failed = await pc.Control.SendAsync(raw, Cancel);

        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
    }

    [Theory]
    [InlineData("/_sim/clock", "{\"by\":\"-1.00:00:00\"}")]
    [InlineData("/_sim/clock", "{}")]
    [InlineData("/_sim/usage", "{\"subscriptionId\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\",\"date\":\"2026-11-10\"}")]
    [InlineData("/_sim/drift", "{\"subscriptionId\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\"}")]
    [InlineData("/_sim/drift", "{\"customerId\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\",\"quantity\":-5}")]
    public async Task Control_AWrongBody_Is400(string path, string body)
    {
        await using var pc = new SimulatedPartnerCenter();

        var refused = await pc.Control.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
