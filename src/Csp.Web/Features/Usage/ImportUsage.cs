using Csp.Data;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Csp.Web.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Usage;

/// <summary>An imported usage file: how many rows it had, how many daily totals were stored, and its exact sum.</summary>
public sealed record UsageImportView(Guid Id, string FileName, string FileSha256, DateTimeOffset ImportedAt, long Rows, int Days, decimal BillingPreTaxTotal);

/// <summary>
/// Imports Microsoft's daily rated usage file as daily totals per customer, subscription and day, streamed and stored in
/// bulk in one transaction. The same file twice is one import; a bad file is refused whole; the totals must add up to
/// the file exactly or nothing is stored.
/// </summary>
public static class ImportUsage
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/usage-imports", HandleAsync)
            .WithTags("Azure usage")
            .WithSummary("Import a daily rated usage file")
            .WithDescription("The body is Microsoft's daily rated usage file (text/csv), billed or unbilled. 201 with the import; 200 with the earlier import when the same file was imported before; 400 naming line, column and value of a bad file, of which nothing is kept.")
            .Accepts<string>("text/csv")
            .AcceptsUpload();
        api.MapGet("/usage-imports/{id:guid}", GetAsync).WithTags("Azure usage").WithSummary("Get a usage import");
    }

    public static async Task<Results<Created<UsageImportView>, Ok<UsageImportView>, ProblemHttpResult>> HandleAsync(
        string? fileName, HttpRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(fileName) ? "microsoft-daily-rated-usage.csv" : Path.GetFileName(fileName);
        using var upload = await UploadedFile.SaveAsync(request.Body, cancellationToken);
        var partnerId = scope.PartnerId!.Value;
        if (await ExistingAsync(db, partnerId, upload.Sha256, cancellationToken) is { } earlier)
        {
            return TypedResults.Ok(earlier);
        }

        DailyUsageTotals totals;
        try
        {
            using var text = upload.OpenText();
            totals = DailyRatedUsageFile.Total(text, name);
        }
        catch (FileFormatException e)
        {
            return e.Error.ToProblem();
        }

        if (!totals.IsConserved)
        {
            throw new InvalidOperationException($"{name}: the daily totals do not add up to the file's rows; nothing was stored.");
        }

        var import = new UsageImport(Guid.CreateVersion7(time.GetUtcNow()), partnerId, name, upload.Sha256, time.GetUtcNow(), totals.Rows, totals.Groups.Count, totals.RowTotal);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.UsageImports.Add(import);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same file imported by a concurrent request first: its import is this one's.
                await transaction.RollbackAsync(cancellationToken);
                return await ExistingAsync(db, partnerId, upload.Sha256, cancellationToken) is { } concurrent ? TypedResults.Ok(concurrent) : throw new InvalidOperationException("The import could not be stored.");
            }

            await UsageBulkInsert.WriteAsync(
                db,
                totals.Groups.Select(g => new DailyUsageTotal(import.Id, partnerId, g.Key.CustomerId, g.Key.SubscriptionId, g.Key.UsageDate, g.Value.Quantity, g.Value.BillingPreTaxTotal, g.Value.Rows)),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.Created($"/api/usage-imports/{import.Id}", View(import));
    }

    public static async Task<Results<Ok<UsageImportView>, ProblemHttpResult>> GetAsync(Guid id, CommerceDb db, CancellationToken cancellationToken)
    {
        var import = await db.UsageImports.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return import is null ? ErrorResults.NotFound("usage_import", id) : TypedResults.Ok(View(import));
    }

    private static async Task<UsageImportView?> ExistingAsync(CommerceDb db, Guid partnerId, string hash, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var existing = await db.UsageImports.FirstOrDefaultAsync(i => i.PartnerId == partnerId && i.FileSha256 == hash, cancellationToken);
        return existing is null ? null : View(existing);
    }

    private static UsageImportView View(UsageImport i) => new(i.Id, i.FileName, i.FileSha256, i.ImportedAt, i.Rows, i.Days, i.BillingPreTaxTotal);
}
