using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Sync;

/// <summary>
/// Carries out a sync claimed by <see cref="StartSync"/> — <see cref="SyncPartnerCenter"/> for the run's partner — and
/// records on the run what it found, or why it applied nothing.
/// </summary>
public static class RunSync
{
    public static async Task<ActionResult<SyncResult>> RunAsync(
        CommerceDb db, Guid runId, PartnerCenterClient client, TimeProvider time, Action<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var partnerId = await db.SyncRuns.Where(r => r.Id == runId).Select(r => r.PartnerId).SingleAsync(cancellationToken);
        ActionResult<SyncResult> synced;
        try
        {
            synced = await SyncPartnerCenter.RunAsync(db, partnerId, client, time, cancellationToken, progress);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Its host stopping, or the request that ran it ending (a client that went away).
            await RecordAsync(db, runId, run => run.Interrupted(time.GetUtcNow(), $"The sync was stopped before it finished — {run.Host} stopping, or the request that ran it ending; nothing was applied."));
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of the platform's own (the database gone, a defect): the sync's transaction rolled back.
            await RecordAsync(db, runId, run => run.Failed(time.GetUtcNow(), "partner_center.sync_failed", "The sync stopped on an error of the platform's own; nothing was applied. Sync again; if it fails again, the host's log says why."));
            throw;
        }

        await RecordAsync(db, runId, run =>
        {
            if (synced.Outcome is { } s)
            {
                run.Finished(time.GetUtcNow(), s.FirstImport, s.CustomersImported, s.SubscriptionsImported, s.ChangesApplied, s.Drift, s.CatalogItemsImported, s.PricesImported, s.AppliedThrough);
            }
            else
            {
                var error = synced.Failure!.Error;
                run.Failed(time.GetUtcNow(), error.Code, error.Message);
            }
        });
        return synced;
    }

    /// <summary>
    /// Records the run's end whatever became of the sync's own transaction; not cancelled with the sync, so that a host
    /// stopping still says so.
    /// </summary>
    private static async Task RecordAsync(CommerceDb db, Guid runId, Action<SyncRun> record)
    {
        db.ChangeTracker.Clear();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == runId, CancellationToken.None);
        record(run);
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
