using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Usage;

/// <summary>One imported daily rated usage file, as a list shows it: the days it covers and what it came to.</summary>
public sealed record UsageImportSummary(Guid Id, string FileName, DateTimeOffset ImportedAt, long Rows, int Days, DateOnly? FirstUsageDate, DateOnly? LastUsageDate, decimal BillingPreTaxTotal);

/// <summary>The usage files the caller's organisation imported, the latest usage first.</summary>
public static class ListUsageImports
{
    public const int Limit = 100;

    public static async Task<List<UsageImportSummary>> RunAsync(CommerceDb db, CancellationToken cancellationToken) =>
        // SQLite orders no DateTimeOffset: the files are taken by their usage days, and the instant is ordered here.
        (await db.UsageImports.OrderByDescending(i => i.LastUsageDate).Take(Limit).ToListAsync(cancellationToken))
            .OrderByDescending(i => i.ImportedAt)
            .Select(i => new UsageImportSummary(i.Id, i.FileName, i.ImportedAt, i.Rows, i.Days, i.FirstUsageDate, i.LastUsageDate, i.BillingPreTaxTotal))
            .ToList();
}
