using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Sync;

/// <summary>
/// A sync as its partner sees it: who started it and when, and then what it found (<paramref name="Result"/>) or why it
/// applied nothing (<paramref name="ErrorCode"/>, <paramref name="Error"/>). <paramref name="Progress"/> is how far a running
/// sync has got, when the host answering is the one running it.
/// </summary>
public sealed record SyncRunView(
    Guid Id, SyncRunStatus Status, string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, SyncResult? Result, string? ErrorCode, string? Error, SyncProgress? Progress)
{
    public static SyncRunView Of(SyncRun run, Func<Guid, SyncProgress?> progress) => new(
        run.Id,
        run.Status,
        run.StartedBy,
        run.StartedAt,
        run.FinishedAt,
        run.Status == SyncRunStatus.Done
            ? new SyncResult(run.FirstImport!.Value, run.CustomersImported!.Value, run.SubscriptionsImported!.Value, run.ChangesApplied!.Value, run.Drift!.Value, run.AppliedThrough!.Value, run.CatalogItemsImported!.Value, run.PricesImported!.Value)
            : null,
        run.ErrorCode,
        run.Error,
        run.Status == SyncRunStatus.Running ? progress(run.Id) : null);
}

/// <summary>The partner's syncs, newest first; or one of them.</summary>
public static class ListSyncRuns
{
    public static async Task<List<SyncRunView>> RunAsync(CommerceDb db, int limit, Func<Guid, SyncProgress?> progress, CancellationToken cancellationToken) =>
        (await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken))
        .Select(r => SyncRunView.Of(r, progress))
        .ToList();

    public static async Task<SyncRunView?> OneAsync(CommerceDb db, Guid id, Func<Guid, SyncProgress?> progress, CancellationToken cancellationToken) =>
        await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is { } run ? SyncRunView.Of(run, progress) : null;
}
