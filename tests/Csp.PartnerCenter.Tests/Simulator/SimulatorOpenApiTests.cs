using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>The simulator's own control API is in its OpenAPI document, its bodies with the names the README uses.</summary>
public sealed class SimulatorOpenApiTests
{
    private static readonly string[] ControlRoutes = ["/_sim/clock", "/_sim/faults", "/_sim/requests", "/_sim/drift", "/_sim/usage"];

    private static readonly string[] FaultKinds = ["Throttle", "Error", "Latency", "LostResponse"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenApi_DocumentsEveryControlRoute_WithTheFaultKindsByName()
    {
        await using var pc = new SimulatedPartnerCenter();

        var answer = await pc.Control.GetAsync("/openapi/simulator.json", Cancel);
        var document = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var paths = document.GetProperty("paths");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.All(ControlRoutes, path => Assert.True(paths.TryGetProperty(path, out _), path));
        var faultBody = paths.GetProperty("/_sim/faults").GetProperty("post").GetProperty("requestBody").GetRawText();
        var schemas = document.GetProperty("components").GetProperty("schemas").GetRawText();
        Assert.Contains("Fault", faultBody, StringComparison.Ordinal);
        Assert.All(FaultKinds, kind => Assert.Contains($"\"{kind}\"", schemas, StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(paths.GetProperty("/_sim/clock").GetProperty("post").GetProperty("summary").GetString()));
    }
}
