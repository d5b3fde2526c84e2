using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain.Charges;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Csp.Web.Features.Reconciliations;

/// <summary>The reconciliation upload's route: the file streamed to disk as it arrives, then <see cref="ReconcileInvoice"/>.</summary>
public static class UploadReconciliation
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/reconciliations", HandleAsync)
            .WithTags("Reconciliation")
            .WithSummary("Reconcile Microsoft's invoice reconciliation file")
            .WithDescription("The body is Microsoft's invoice reconciliation file (text/csv). month=yyyy-MM picks the billing month; without it, the file's one month. Licence lines are matched against the shadow invoice, Azure plan lines against the month's imported daily usage. 201 with the result; 200 with the earlier result when the same file was imported before; 400 naming line, column and value of a bad file, of which nothing is kept.")
            .Accepts<string>("text/csv")
            .AcceptsUpload();

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
