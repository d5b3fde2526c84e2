using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.Web.Features.Reconciliations;

/// <summary>
/// Imports Microsoft's invoice reconciliation file for a billing month and matches it: licence lines against the shadow
/// invoice, Azure plan lines against the imported daily usage. The same file twice is the same reconciliation: nothing
/// is imported again.
/// </summary>
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

        var name = file.Value;
        using var upload = await UploadedFile.SaveAsync(request.Body, limits.Value.UploadDirectory, cancellationToken);
        var hash = upload.Sha256;
        var partnerId = scope.PartnerId!.Value;
        if (await ExistingAsync(db, partnerId, hash, cancellationToken) is { } earlier)
        {
            return TypedResults.Ok(earlier);
        }

        // The file is read twice, never held: for its billing months when none is given, then to match it.
        BillingPeriod billingMonth;
        ReconResult licences;
        try
        {
            if (period.Value is { } given)
            {
                billingMonth = given;
            }
            else
            {
                using var text = upload.OpenText();
                var months = InvoiceReconFile.Read(text, name, keepOtherColumns: false).Select(b => BillingPeriod.Month(b.OrderDate)).Distinct().ToList();
                if (months.Count != 1)
                {
                    return new Error("reconciliation.month_required", $"The file has lines in {months.Count} billing months; say which with month=yyyy-MM.", ErrorKind.Invalid, nameof(month)).ToProblem();
                }

                billingMonth = months[0];
            }

            if (await ExpectedCharges.OutsideAsync(db, billingMonth, time, nameof(month), cancellationToken) is { } outside)
            {
                return outside.ToProblem();
            }

            var expected = await ExpectedCharges.ForMonthAsync(db, billingMonth, rules, cancellationToken);
            licences = await InvoiceReconFile.MatchAsync(upload.OpenText, name, expected.Lines, billingMonth);
        }
        catch (FileFormatException e)
        {
            return e.Error.ToProblem();
        }

        var usage = await ImportedUsage.ForMonthAsync(db, billingMonth, cancellationToken);
        var result = AzureUsageMatcher.WithUsage(licences, usage.AzureSubscriptionIds, usage.Usage, billingMonth);
        var reconciliation = new Csp.Data.Reconciliation(
            Guid.CreateVersion7(time.GetUtcNow()), partnerId, name, hash, billingMonth.Start, time.GetUtcNow(),
            licences.Billed, licences.Expected + usage.Usage.Count, result.Matched, result.IsZeroDiscrepancy);
        db.Reconciliations.Add(reconciliation);
        db.ReconciliationDifferences.AddRange(result.Differences.Select(d => new ReconciliationDifference(reconciliation.Id, partnerId, d)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same file imported by a concurrent request first: its result is this one's.
            if (await ExistingAsync(db, partnerId, hash, cancellationToken) is { } concurrent)
            {
                return TypedResults.Ok(concurrent);
            }

            throw;
        }

        var view = await ReconciliationViews.LoadAsync(db, reconciliation, cancellationToken);
        return TypedResults.Created($"/api/reconciliations/{reconciliation.Id}", view);
    }

    private static async Task<ReconciliationView?> ExistingAsync(CommerceDb db, Guid partnerId, string hash, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var existing = await db.Reconciliations.FirstOrDefaultAsync(r => r.PartnerId == partnerId && r.FileSha256 == hash, cancellationToken);
        return existing is null ? null : await ReconciliationViews.LoadAsync(db, existing, cancellationToken);
    }
}
