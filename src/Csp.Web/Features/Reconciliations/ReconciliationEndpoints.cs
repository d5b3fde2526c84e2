using System.Globalization;
using System.Text;
using Csp.Commerce;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Csp.Web.Features.Reconciliations;

/// <summary>
/// The reconciliation routes: the upload streamed to disk as it arrives, then <see cref="ReconcileInvoice"/>; a
/// reconciliation (<see cref="GetReconciliation"/>) and its differences (<see cref="ListReconciliationLines"/>).
/// </summary>
public static class ReconciliationEndpoints
{
    private static readonly string[] Kinds = Enum.GetValues<DiscrepancyKind>().Select(k => k.ToName()).ToArray();

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/reconciliations", HandleAsync)
            .WithTags("Reconciliation")
            .WithSummary("Reconcile Microsoft's invoice reconciliation file")
            .WithDescription("The body is Microsoft's invoice reconciliation file (text/csv). month=yyyy-MM picks the billing month; without it, the file's one month. Licence lines are matched against the shadow invoice, Azure plan lines against the month's imported daily usage. 201 with the result; 200 with the earlier result when the same file was imported before; 400 naming line, column and value of a bad file, of which nothing is kept.")
            .Accepts<string>("text/csv")
            .AcceptsUpload()
            .RequireRole(AccessRole.Billing);
        api.MapGet("/reconciliations/{id:guid}", async (Guid id, CommerceDb db, CancellationToken cancellationToken) => (await GetReconciliation.RunAsync(db, id, cancellationToken)).ToResult())
            .WithTags("Reconciliation")
            .WithSummary("Get a reconciliation");
        api.MapGet("/reconciliations/{id:guid}/lines", LinesAsync)
            .WithTags("Reconciliation")
            .WithSummary("List a reconciliation's differences")
            .WithDescription("kind=missing|unexpected|quantity|unitPrice|dates|promotion|rounding|currency filters; paged.");
        api.MapGet("/reconciliations/{id:guid}/lines.csv", ExportAsync)
            .WithTags("Reconciliation")
            .WithSummary("Export a reconciliation's differences as CSV");
    }

    public static async Task<Results<Ok<Paged<DifferenceView>>, ProblemHttpResult>> LinesAsync(
        Guid id, string? kind, string? page, string? pageSize, CommerceDb db, CancellationToken cancellationToken)
    {
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 100, 1, 1000);
        var filter = Filter(kind);
        return (number.Error ?? size.Error ?? filter.Error) is { } error
            ? error.ToProblem()
            : (await ListReconciliationLines.RunAsync(db, id, filter.Value, number.Value, size.Value, cancellationToken)).ToResult();
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(Guid id, string? kind, CommerceDb db, CancellationToken cancellationToken)
    {
        var filter = Filter(kind);
        if (!filter.IsSuccess)
        {
            return filter.Error.ToProblem();
        }

        var csv = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        return await ListReconciliationLines.WriteCsvAsync(db, id, filter.Value, csv, cancellationToken) is { } refusal
            ? refusal.ToProblem()
            : TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"reconciliation-{id}.csv");
    }

    private static Result<DiscrepancyKind?> Filter(string? kind)
    {
        var name = Query.OneOf(kind, nameof(kind), "", Kinds);
        return !name.IsSuccess ? name.Error : name.Value.Length == 0 ? (DiscrepancyKind?)null : Enum.Parse<DiscrepancyKind>(name.Value, ignoreCase: true);
    }

    public static async Task<Results<Created<ReconciliationView>, Ok<ReconciliationView>, ProblemHttpResult>> HandleAsync(
        string? month, string? fileName, HttpRequest request, IOptions<RequestLimits> limits, CommerceDb db, PartnerScope scope, ChargeRules rules, TimeProvider time, CancellationToken cancellationToken)
    {
        var period = Query.Month(month, nameof(month));
        if (!period.IsSuccess)
        {
            return period.Error.ToProblem();
        }

        var file = Query.FileName(fileName, nameof(fileName), "microsoft-reconciliation.csv");
        if (!file.IsSuccess)
        {
            return file.Error.ToProblem();
        }

        using var upload = await UploadedFile.SaveAsync(request.Body, limits.Value.UploadDirectory, cancellationToken);
        var done = await ReconcileInvoice.RunAsync(
            db, scope.PartnerId!.Value, new ReceivedFile(file.Value, upload.Sha256, upload.OpenText), period.Value, nameof(month), rules, time, cancellationToken);
        return done switch
        {
            { UnreadableFile: { } unreadable } => unreadable.ToProblem(),
            { Refusal: { } refusal } => refusal.ToProblem(),
            { Created: true, Reconciliation: { } created } => TypedResults.Created($"/api/reconciliations/{created.Id}", created),
            _ => TypedResults.Ok(done.Reconciliation!),
        };
    }
}
