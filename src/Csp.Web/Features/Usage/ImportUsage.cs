using System.Globalization;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Csp.Web.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Usage;

/// <summary>An imported usage file: how many rows it had, how many daily totals were stored, and its exact sum.</summary>
/// <param name="Warnings">What the file holds that was imported but looks wrong: rows dated outside any billing month, subscriptions the platform does not know.</param>
public sealed record UsageImportView(Guid Id, string FileName, string FileSha256, DateTimeOffset ImportedAt, long Rows, int Days, decimal BillingPreTaxTotal, IReadOnlyList<string> Warnings);

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
        var file = Query.FileName(fileName, nameof(fileName), "microsoft-daily-rated-usage.csv");
        if (!file.IsSuccess)
        {
            return file.Error.ToProblem();
        }

        var name = file.Value;
        var partnerId = scope.PartnerId!.Value;
        DailyUsageTotals totals;
        string sha256;
        try
        {
            (totals, sha256) = await StreamedUpload.ReadAsync(request.Body, text => DailyRatedUsageFile.Total(text, name), cancellationToken);
        }
        catch (FileFormatException e)
        {
            return e.Error.ToProblem();
        }

        if (await ExistingAsync(db, partnerId, sha256, cancellationToken) is { } earlier)
        {
            return TypedResults.Ok(earlier);
        }

        if (!totals.IsConserved)
        {
            throw new InvalidOperationException($"{name}: the daily totals do not add up to the file's rows; nothing was stored.");
        }

        var now = time.GetUtcNow();
        var warnings = await WarningsAsync(db, totals, BillingClock.MicrosoftDay(now), cancellationToken);
        var import = new UsageImport(Guid.CreateVersion7(now), partnerId, name, sha256, now, totals.Rows, totals.Count, totals.RowTotal, totals.FirstUsageDate, totals.LastUsageDate, string.Join('\n', warnings));
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
                return await ExistingAsync(db, partnerId, sha256, cancellationToken) is { } concurrent ? TypedResults.Ok(concurrent) : throw new InvalidOperationException("The import could not be stored.");
            }

            await UsageBulkInsert.WriteAsync(db, import, totals, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.Created($"/api/usage-imports/{import.Id}", View(import));
    }

    /// <summary>
    /// What the file holds that was imported but looks wrong, in words: rows dated outside the billing months the platform
    /// works with or after today, and rows of subscriptions that are not the Azure plans of the partner's customers.
    /// </summary>
    private static async Task<List<string>> WarningsAsync(CommerceDb db, DailyUsageTotals totals, DateOnly today, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        if (totals.FirstUsageDate < Query.EarliestDate || totals.LastUsageDate > today)
        {
            var misdated = totals.Groups.Where(g => g.Key.UsageDate < Query.EarliestDate || g.Key.UsageDate > today).ToList();
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{misdated.Sum(g => (long)g.Sum.Rows):N0} rows are dated outside the billing months there can be ({Query.EarliestDate:yyyy-MM-dd} to today): {string.Join(", ", misdated.Select(g => g.Key.UsageDate).Distinct().Order().Take(5).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}."));
        }

        var known = (await db.Subscriptions.Where(s => s.Term == null).Select(s => s.MicrosoftSubscriptionId).ToListAsync(cancellationToken)).ToHashSet();
        var unknown = Enumerable.Range(0, totals.Subscriptions.Count).Where(i => !known.Contains(totals.Subscriptions[i].SubscriptionId)).ToList();
        if (unknown.Count > 0)
        {
            var rows = new long[totals.Subscriptions.Count];
            foreach (var day in totals.Days)
            {
                rows[day.Subscription] += day.Sum.Rows;
            }

            var ids = unknown.Select(i => totals.Subscriptions[i].SubscriptionId).Distinct().ToList();
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{unknown.Sum(i => rows[i]):N0} rows are for {ids.Count:N0} subscriptions that are not Azure plans of this partner's customers: {string.Join(", ", ids.Take(5))}{(ids.Count > 5 ? ", …" : "")}."));
        }

        return warnings;
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

    private static UsageImportView View(UsageImport i) =>
        new(i.Id, i.FileName, i.FileSha256, i.ImportedAt, i.Rows, i.Days, i.BillingPreTaxTotal, i.Warnings.Length == 0 ? [] : i.Warnings.Split('\n'));
}
