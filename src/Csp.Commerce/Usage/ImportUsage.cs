using System.Globalization;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Usage;

/// <summary>An imported usage file: how many rows it had, how many daily totals were stored, and its exact sum.</summary>
/// <param name="Warnings">What the file holds that was imported but looks wrong: rows dated outside any billing month, subscriptions the platform does not know.</param>
public sealed record UsageImportView(Guid Id, string FileName, string FileSha256, DateTimeOffset ImportedAt, long Rows, int Days, decimal BillingPreTaxTotal, IReadOnlyList<string> Warnings);

/// <summary>
/// What a usage import request came to: the import and whether this request made it (false: the same file was imported
/// before, and this is that import); or the place the file cannot be read.
/// </summary>
public sealed record UsageImported(UsageImportView? Import, bool Created, FileError? UnreadableFile = null);

/// <summary>
/// Imports Microsoft's daily rated usage file as daily totals per customer, subscription and day, streamed and stored in
/// bulk in one transaction. The same file twice is one import; a bad file is refused whole; the totals must add up to
/// the file exactly or nothing is stored.
/// </summary>
public static class ImportUsage
{
    /// <param name="file">The file's bytes as they arrive (a request body, a file on disk); read once, never held whole.</param>
    public static async Task<UsageImported> RunAsync(CommerceDb db, Guid partnerId, string fileName, Stream file, TimeProvider time, CancellationToken cancellationToken)
    {
        DailyUsageTotals totals;
        string sha256;
        try
        {
            (totals, sha256) = await StreamedUpload.ReadAsync(file, text => DailyRatedUsageFile.Total(text, fileName), cancellationToken);
        }
        catch (FileFormatException e)
        {
            return new UsageImported(null, false, e.Error);
        }

        if (await ExistingAsync(db, partnerId, sha256, cancellationToken) is { } earlier)
        {
            return new UsageImported(earlier, false);
        }

        if (!totals.IsConserved)
        {
            throw new InvalidOperationException($"{fileName}: the daily totals do not add up to the file's rows; nothing was stored.");
        }

        var now = time.GetUtcNow();
        var warnings = await WarningsAsync(db, totals, BillingClock.MicrosoftDay(now), cancellationToken);
        var import = new UsageImport(Guid.CreateVersion7(now), partnerId, fileName, sha256, now, totals.Rows, totals.Count, totals.RowTotal, totals.FirstUsageDate, totals.LastUsageDate, string.Join('\n', warnings));
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
                return await ExistingAsync(db, partnerId, sha256, cancellationToken) is { } concurrent
                    ? new UsageImported(concurrent, false)
                    : throw new InvalidOperationException("The import could not be stored.");
            }

            await UsageBulkInsert.WriteAsync(db, import, totals, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return new UsageImported(View(import), true);
    }

    /// <summary>The import <paramref name="id"/> of the caller's partner, or <c>usage_import.not_found</c>.</summary>
    public static async Task<Result<UsageImportView>> GetAsync(CommerceDb db, Guid id, CancellationToken cancellationToken)
    {
        var import = await db.UsageImports.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return import is null ? Error.NotFound("usage_import", id) : View(import);
    }

    /// <summary>
    /// What the file holds that was imported but looks wrong, in words: rows dated outside the billing months the platform
    /// works with or after today, and rows of subscriptions that are not the Azure plans of the partner's customers.
    /// </summary>
    private static async Task<List<string>> WarningsAsync(CommerceDb db, DailyUsageTotals totals, DateOnly today, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        if (totals.FirstUsageDate < BillingClock.EarliestDate || totals.LastUsageDate > today)
        {
            var misdated = totals.Groups.Where(g => g.Key.UsageDate < BillingClock.EarliestDate || g.Key.UsageDate > today).ToList();
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{misdated.Sum(g => (long)g.Sum.Rows):N0} rows are dated outside the billing months there can be ({BillingClock.EarliestDate:yyyy-MM-dd} to today): {string.Join(", ", misdated.Select(g => g.Key.UsageDate).Distinct().Order().Take(5).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}."));
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

    private static async Task<UsageImportView?> ExistingAsync(CommerceDb db, Guid partnerId, string hash, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var existing = await db.UsageImports.FirstOrDefaultAsync(i => i.PartnerId == partnerId && i.FileSha256 == hash, cancellationToken);
        return existing is null ? null : View(existing);
    }

    private static UsageImportView View(UsageImport i) =>
        new(i.Id, i.FileName, i.FileSha256, i.ImportedAt, i.Rows, i.Days, i.BillingPreTaxTotal, i.Warnings.Length == 0 ? [] : i.Warnings.Split('\n'));
}
