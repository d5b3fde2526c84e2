using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// The asynchronous billing API against Graph's reference (partners-billing-operation-get, partners-billing-manifest-get):
/// the client reads a running, a failed and a succeeded operation, follows a succeeded operation's link to its manifest
/// when the manifest is not in it, and reads the manifest; the simulator answers with Graph's names.
/// </summary>
public sealed class BillingExportContractTests
{
    private const string Succeeded = "partners-billing-operation-get.succeeded.response.json";
    private const string Failed = "partners-billing-operation-get.failed.response.json";
    private const string Running = "partners-billing-operation-get.running.response.json";
    private const string Manifest = "partners-billing-manifest-get.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsGraphsOperationsAndManifest()
    {
        var succeeded = MicrosoftSample.Read(Succeeded).Body.Deserialize(PartnerCenterJson.Default.BillingOperation)!;
        var failed = MicrosoftSample.Read(Failed).Body.Deserialize(PartnerCenterJson.Default.BillingOperation)!;
        var running = MicrosoftSample.Read(Running).Body.Deserialize(PartnerCenterJson.Default.BillingOperation)!;
        var manifest = MicrosoftSample.Read(Manifest).Body.Deserialize(PartnerCenterJson.Default.BillingManifest)!;

        Assert.Equal(("succeeded", null), (succeeded.Status, succeeded.ResourceLocation));
        Assert.EndsWith("/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db", succeeded.ResourceLocationLink, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2023, 3, 9, 8, 12, 53, TimeSpan.Zero), succeeded.CreatedDateTime);
        Assert.Equal(("failed", "5000", "No data available"), (failed.Status, failed.Error?.Code, failed.Error?.Message));
        Assert.Equal("running", running.Status);
        Assert.Equal(("compressedJSON", 1, "part-00049-b016029b-a7a7-4c46-9b5e-c925ac317ac6.c000.json.gz"), (manifest.DataFormat, manifest.BlobCount, manifest.Blobs[0].Name));
    }

    // Graph's operation carries only a link to its manifest: the client reads the manifest there, then its blob.
    [Fact]
    public async Task Client_ASucceededOperationWithOnlyALink_IsFollowedToItsManifestAndBlobs()
    {
        var line = new Domain.Reconciliation.ReconLine(
            2, new DateOnly(2026, 11, 3), "c", "s", "CFQ7TTC0LH18", "0001", "Microsoft 365 Business Basic", "new", 6m, 3m, 3m, 6m, 18m, 18m, "USD",
            new DateOnly(2026, 11, 3), new DateOnly(2026, 12, 2), null, null, "r", null, new Dictionary<string, string>());
        using var blob = new MemoryStream();
        BillingExportFile.WriteReconLines([line], blob);
        var asked = new List<string>();
        await using var partnerCenter = new StubbedPartnerCenter(new Graph(blob.ToArray(), asked));

        var lines = await partnerCenter.Client.ExportInvoiceReconciliationAsync("G202611000", Guid.NewGuid(), Cancel).ToListAsync(Cancel);

        Assert.Equal((18m, "CFQ7TTC0LH18"), (Assert.Single(lines).Subtotal, lines[0].ProductId));
        Assert.Equal(["POST export", "GET operation", "GET manifest", "GET blob"], asked);
    }

    [Theory]
    [InlineData("billedreconciliation")]
    [InlineData("billedusage")]
    [InlineData("unbilledusage")]
    public async Task Client_ExportRequests_HaveGraphsNames(string export)
    {
        var sent = new List<string>();
        await using var partnerCenter = new StubbedPartnerCenter(new Refusing(sent));
        var client = partnerCenter.Client;

        await Assert.ThrowsAsync<PartnerCenterException>(async () =>
        {
            _ = export switch
            {
                "billedreconciliation" => await client.ExportInvoiceReconciliationAsync("G016907411", Guid.NewGuid(), Cancel).ToListAsync(Cancel),
                "billedusage" => (object)await client.ExportBilledUsageAsync("G016907411", Guid.NewGuid(), Cancel).ToListAsync(Cancel),
                _ => await client.ExportUnbilledUsageAsync("USD", "current", Guid.NewGuid(), Cancel).ToListAsync(Cancel),
            };
        });

        var sample = MicrosoftSample.Read($"partners-billing-{export}-export.request.json").Body;
        var body = JsonDocument.Parse(Assert.Single(sent)).RootElement;
        Assert.Empty(JsonShape.Missing(sample, body));
        Assert.Empty(JsonShape.Extra(sample, body));
    }

    [Fact]
    public async Task Simulator_Operation_AndManifest_HaveGraphsNames()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        await pc.SubscribeAsync(customer, quantity: 2);
        await pc.AdvanceAsync(TimeSpan.FromDays(40));
        var invoice = (await pc.Client.ListInvoicesAsync(Cancel))[0];

        var started = await pc.SendAsync(HttpMethod.Post, "v1.0/reports/partners/billing/reconciliation/billed/export", JsonContent.Create(new { invoiceId = invoice.Id, attributeSet = "full" }));
        var running = await pc.GetJsonAsync(started.Headers.Location!.PathAndQuery.TrimStart('/'));
        await pc.AdvanceAsync(TimeSpan.FromMinutes(5));
        var succeeded = await pc.GetJsonAsync(started.Headers.Location!.PathAndQuery.TrimStart('/'));
        var manifest = await pc.GetJsonAsync(new Uri(succeeded.GetProperty("resourceLocation@odata.navigationLink").GetString()!).PathAndQuery.TrimStart('/'));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Running).Body, running));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(Running).Body, running));
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Succeeded).Body, succeeded));
        Assert.Equal(["resourceLocation"], JsonShape.Extra(MicrosoftSample.Read(Succeeded).Body, succeeded));
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Manifest).Body, manifest));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(Manifest).Body, manifest));
        Assert.Equal(("#microsoft.graph.partners.billing.runningOperation", "#microsoft.graph.partners.billing.exportSuccessOperation"), (running.GetProperty("@odata.type").GetString(), succeeded.GetProperty("@odata.type").GetString()));
        Assert.Equal(manifest.GetRawText(), succeeded.GetProperty("resourceLocation").GetRawText());
    }

    /// <summary>Graph refusing every export, keeping what was asked.</summary>
    private sealed class Refusing(List<string> sent) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = JsonContent.Create(new { code = 800002, description = "refused" }) };
        }
    }

    /// <summary>Graph as its reference shows it: the export accepted, its operation succeeded with a link, the manifest there, one blob.</summary>
    private sealed class Graph(byte[] blob, List<string> asked) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            HttpResponseMessage Json(string sample, Action<JsonNode> change)
            {
                var body = JsonNode.Parse(MicrosoftSample.Read(sample).Body.GetRawText())!;
                change(body);
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            }

            (string Name, HttpResponseMessage Answer) answer = path switch
            {
                _ when request.Method == HttpMethod.Post && path.EndsWith("/reconciliation/billed/export", StringComparison.Ordinal) =>
                    ("POST export", new HttpResponseMessage(HttpStatusCode.Accepted) { Headers = { Location = new Uri("https://graph.invalid/v1.0/reports/partners/billing/operations/6fe687d7-1e0f-4bd6-9091-4672691f64bc") } }),
                _ when path.Contains("/operations/", StringComparison.Ordinal) =>
                    ("GET operation", Json(Succeeded, o => o["resourceLocation@odata.navigationLink"] = "https://graph.invalid/v1.0/reports/partners/billing/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db")),
                _ when path.Contains("/manifests/", StringComparison.Ordinal) =>
                    ("GET manifest", Json(Manifest, m => (m["rootDirectory"], m["sasToken"]) = ("https://blobs.invalid/billing", "sig=x"))),
                _ when path.StartsWith("/billing/", StringComparison.Ordinal) && request.RequestUri.Query == "?sig=x" =>
                    ("GET blob", new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(blob) }),
                _ => ("unexpected " + request.RequestUri, new HttpResponseMessage(HttpStatusCode.NotFound)),
            };
            asked.Add(answer.Name);
            return Task.FromResult(answer.Answer);
        }
    }
}
