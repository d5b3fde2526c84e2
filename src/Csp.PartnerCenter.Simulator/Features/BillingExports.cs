using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Csp.Domain;
using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Microsoft's asynchronous billing API (Graph <c>/v1.0/reports/partners/billing</c>, docs/microsoft/files.md): an
/// export request is answered 202 with the operation's <c>Location</c>; the operation runs for
/// <see cref="SimulatorOptions.ExportDuration"/> on the simulator's clock (polled, with <c>Retry-After</c>), then
/// names its manifest: blobs of gzip JSON lines under a root directory, read with a SAS token.
/// </summary>
public static class BillingExports
{
    public const string BilledReconciliation = "reconciliation/billed";

    public const string BilledUsage = "usage/billed";

    public const string UnbilledUsage = "usage/unbilled";

    /// <summary>Lines per blob: Microsoft splits a large export into several files.</summary>
    public const int LinesPerBlob = 100_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var billing = app.MapGroup("/v1.0/reports/partners/billing");
        billing.MapPost("/reconciliation/billed/export", ExportBilledReconciliationAsync);
        billing.MapPost("/usage/billed/export", ExportBilledUsageAsync);
        billing.MapPost("/usage/unbilled/export", ExportUnbilledUsageAsync);
        billing.MapGet("/operations/{operationId:guid}", OperationAsync);
        billing.MapGet("/manifests/{operationId:guid}", ManifestAsync);
        app.MapGet("/_blobs/billing/{operationId:guid}/{name}", BlobAsync);
    }

    private static async Task<IResult> ExportBilledReconciliationAsync(
        BillingExportRequestResource export, HttpRequest request, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (export.InvoiceId is null || await Invoices.IssuedAsync(export.InvoiceId, db, clock, invoices, options.Value, cancellationToken) is null)
        {
            return MicrosoftErrors.NotFound($"Invoice {export.InvoiceId}");
        }

        return await StartAsync(new SimBillingExport { Dataset = BilledReconciliation, InvoiceId = export.InvoiceId }, request, db, clock, options.Value, cancellationToken);
    }

    private static async Task<IResult> ExportBilledUsageAsync(
        BillingExportRequestResource export, HttpRequest request, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (export.InvoiceId is null || await Invoices.IssuedAsync(export.InvoiceId, db, clock, invoices, options.Value, cancellationToken) is null)
        {
            return MicrosoftErrors.NotFound($"Invoice {export.InvoiceId}");
        }

        return await StartAsync(new SimBillingExport { Dataset = BilledUsage, InvoiceId = export.InvoiceId }, request, db, clock, options.Value, cancellationToken);
    }

    /// <summary>Usage not yet invoiced: <c>current</c> is this month so far, <c>last</c> the month before.</summary>
    private static async Task<IResult> ExportUnbilledUsageAsync(
        BillingExportRequestResource export, HttpRequest request, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (export.CurrencyCode is not { Length: 3 } || export.BillingPeriod is not ("current" or "last"))
        {
            return MicrosoftErrors.InvalidInput("currencyCode (ISO 4217) and billingPeriod (current or last) are required.");
        }

        return await StartAsync(new SimBillingExport { Dataset = UnbilledUsage, CurrencyCode = export.CurrencyCode.ToUpperInvariant(), BillingPeriod = export.BillingPeriod }, request, db, clock, options.Value, cancellationToken);
    }

    private static async Task<IResult> StartAsync(SimBillingExport export, HttpRequest request, SimulatorDb db, SimulatorClock clock, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        (export.Id, export.CreatedAt, export.ReadyAt) = (Guid.CreateVersion7(now), now, now + options.ExportDuration);
        db.BillingExports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        request.HttpContext.Response.Headers.Location = $"{request.Scheme}://{request.Host}/v1.0/reports/partners/billing/operations/{export.Id}";
        return Results.Accepted();
    }

    private static async Task<IResult> OperationAsync(
        Guid operationId, HttpRequest request, HttpResponse response, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (await db.BillingExports.FindAsync([operationId], cancellationToken) is not { } export)
        {
            return MicrosoftErrors.NotFound($"Operation {operationId}");
        }

        var now = clock.GetUtcNow();
        if (now < export.ReadyAt)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((export.ReadyAt - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Json(new BillingOperationResource("#microsoft.graph.partners.billing.runningOperation", export.Id.ToString(), "running", export.CreatedAt, now), SimulatorJson.Default.BillingOperationResource);
        }

        return TypedResults.Json(
            new BillingOperationResource(
                "#microsoft.graph.partners.billing.exportSuccessOperation", export.Id.ToString(), "succeeded", export.CreatedAt, export.ReadyAt,
                $"{request.Scheme}://{request.Host}/v1.0/reports/partners/billing/manifests/{export.Id}",
                await ManifestOfAsync(export, request, db, clock, invoices, options.Value, cancellationToken)),
            SimulatorJson.Default.BillingOperationResource);
    }

    /// <summary>A finished export's manifest (the manifest's id is its operation's); 404 while it runs.</summary>
    private static async Task<IResult> ManifestAsync(
        Guid operationId, HttpRequest request, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, IOptions<SimulatorOptions> options, CancellationToken cancellationToken) =>
        await db.BillingExports.FindAsync([operationId], cancellationToken) is { } export && clock.GetUtcNow() >= export.ReadyAt
            ? TypedResults.Json(await ManifestOfAsync(export, request, db, clock, invoices, options.Value, cancellationToken), SimulatorJson.Default.BillingManifestResource)
            : MicrosoftErrors.NotFound($"Manifest {operationId}");

    private static async Task<BillingManifestResource> ManifestOfAsync(SimBillingExport export, HttpRequest request, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var lines = await LineCountAsync(export, db, clock, invoices, options, cancellationToken);
        var blobs = Enumerable.Range(0, Math.Max(1, (lines + LinesPerBlob - 1) / LinesPerBlob))
            .Select(i => new BillingBlobResource(string.Create(CultureInfo.InvariantCulture, $"part-{i:00000}.json.gz"), "default"))
            .ToList();
        return new BillingManifestResource(
            export.Id.ToString(), "2", "compressedJSON", export.ReadyAt, Signature(export.Id, options)[..16], options.PartnerTenantId.ToString(),
            $"{request.Scheme}://{request.Host}/_blobs/billing/{export.Id}", $"sv=2024-05-04&sr=c&sp=r&sig={Signature(export.Id, options)}", "Default", blobs.Count, blobs);
    }

    /// <summary>One blob of a finished export; its SAS signature is the only credential, as for Azure storage.</summary>
    private static async Task<IResult> BlobAsync(
        Guid operationId, string name, string? sig, HttpResponse response, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (sig != Signature(operationId, options.Value))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await db.BillingExports.FindAsync([operationId], cancellationToken) is not { } export || clock.GetUtcNow() < export.ReadyAt
            || !name.StartsWith("part-", StringComparison.Ordinal) || !int.TryParse(name.AsSpan(5, 5), NumberStyles.None, CultureInfo.InvariantCulture, out var part))
        {
            return Results.NotFound();
        }

        var body = new MemoryStream();
        if (export.Dataset == BilledReconciliation)
        {
            BillingExportFile.WriteReconLines((await ReconLinesAsync(export, db, clock, invoices, options.Value, cancellationToken)).Skip(part * LinesPerBlob).Take(LinesPerBlob), body);
        }
        else
        {
            BillingExportFile.WriteUsageLines((await UsageLinesAsync(export, db, clock, options.Value, cancellationToken)).Skip(part * LinesPerBlob).Take(LinesPerBlob), body);
        }

        return Results.Bytes(body.ToArray(), "application/octet-stream");
    }

    private static async Task<List<Csp.Domain.Reconciliation.ReconLine>> ReconLinesAsync(SimBillingExport export, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, SimulatorOptions options, CancellationToken cancellationToken) =>
        (await Invoices.IssuedAsync(export.InvoiceId!, db, clock, invoices, options, cancellationToken))?.Lines ?? [];

    /// <summary>An export's usage: the invoice's month and currency, or the unbilled period as of when the export was asked.</summary>
    private static async Task<List<DailyRatedUsageLine>> UsageLinesAsync(SimBillingExport export, SimulatorDb db, SimulatorClock clock, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var asked = BillingClock.MicrosoftDay(export.CreatedAt);
        var (month, currency, today) = export.Dataset == BilledUsage && Invoices.TryRead(export.InvoiceId!, out var invoiced, out var invoiceCurrency)
            ? (invoiced, invoiceCurrency, invoiced.End.AddDays(1))
            : (export.BillingPeriod == "last" ? BillingPeriod.Month(asked.AddDays(-asked.Day)) : BillingPeriod.Month(asked), export.CurrencyCode!, asked);
        return await Usage.LinesAsync(db, month.Start, month.End, currency, today, options, cancellationToken);
    }

    private static async Task<int> LineCountAsync(SimBillingExport export, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, SimulatorOptions options, CancellationToken cancellationToken) =>
        export.Dataset == BilledReconciliation
            ? (await ReconLinesAsync(export, db, clock, invoices, options, cancellationToken)).Count
            : (await UsageLinesAsync(export, db, clock, options, cancellationToken)).Count;

    private static string Signature(Guid operationId, SimulatorOptions options) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.DevelopmentToken), operationId.ToByteArray()));
}
