using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Throttling against Microsoft's api-throttling-guidance: 429 Too Many Requests with <c>Retry-After</c> and the body
/// <c>{ statusCode, message }</c>. How the client waits is <see cref="ReliabilityTests"/>'.
/// </summary>
public sealed class ThrottlingContractTests
{
    private const string Sample = "api-throttling-guidance.429.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Simulator_Throttled_IsMicrosofts429_WithRetryAfterAndItsBody()
    {
        await using var pc = new SimulatedPartnerCenter();
        var fault = await pc.Control.PostAsync("/_sim/faults", new StringContent("{\"kind\":\"Throttle\",\"pathPrefix\":\"/v1/customers\",\"times\":1}", Encoding.UTF8, "application/json"), Cancel);

        var throttled = await pc.SendAsync(HttpMethod.Get, "v1/customers");
        var body = await throttled.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.True(fault.IsSuccessStatusCode);
        Assert.Equal((HttpStatusCode)MicrosoftSample.Read(Sample).Status!, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Sample).Body, body));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(Sample).Body, body));
        Assert.Equal($"Rate limit is exceeded. Try again in {throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds} seconds.", body.GetProperty("message").GetString());
    }
}
