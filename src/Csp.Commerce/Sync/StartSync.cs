using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Sync;

/// <summary>A sync asked for: the run that carries it out, and whether it is a new one or the one already running.</summary>
public sealed record SyncStart(SyncRun Run, bool Started);

/// <summary>
/// Claims the partner's one running sync: a new <see cref="SyncRun"/>, or the one already running (a second click, a
/// second host) — never two at once, which the database holds with a unique index on the partner's unfinished run.
/// </summary>
/// <remarks>
/// A run left unfinished by a host that stopped is interrupted when it is found: by the same host once it no longer runs
/// it (the host restarted), or by any host after <see cref="AbandonedAfter"/>. A sync is one transaction, so an
/// interrupted run applied nothing.
/// </remarks>
public static class StartSync
{
    /// <summary>Longer than any sync runs: a run unfinished after it belongs to a host that is gone.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(6);

    /// <param name="host">The host that will run the sync (its machine name).</param>
    /// <param name="runsHere">Whether this host is running the run of the given id now.</param>
    public static async Task<Result<SyncStart>> RunAsync(
        CommerceDb db, Guid partnerId, string startedBy, string host, Func<Guid, bool> runsHere, TimeProvider time, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.SingleAsync(p => p.Id == partnerId, cancellationToken);
        if (partner.Kind == PartnerKind.Reseller)
        {
            return SyncPartnerCenter.NoAccount(partner);
        }

        var now = time.GetUtcNow();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var running = await db.SyncRuns.SingleOrDefaultAsync(r => r.PartnerId == partnerId && r.FinishedAt == null, cancellationToken);
            if (running is not null && !Abandoned(running, host, runsHere, now))
            {
                return new SyncStart(running, false);
            }

            running?.Interrupted(now, running.Host == host
                ? SyncRun.HostStopped(host)
                : $"{running.Host} has not finished it after {AbandonedAfter.TotalHours:0} hours and is taken to have stopped; nothing was applied.");
            var run = db.SyncRuns.Add(new SyncRun(Guid.CreateVersion7(now), partnerId, startedBy, now, host)).Entity;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new SyncStart(run, true);
            }
            catch (DbUpdateException)
            {
                // Another start claimed the account first: find its run.
                db.ChangeTracker.Clear();
            }
        }

        return new Error("partner_center.sync_running", "Another sync of this account was starting at the same moment; open the Partner Center page to follow it.");
    }

    /// <summary>
    /// As a host starts: the runs it left unfinished when it stopped are interrupted (it runs none yet), whichever partner's.
    /// </summary>
    public static Task<int> InterruptLeftOverAsync(CommerceDb db, string host, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.SyncRuns.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Where(r => r.Host == host && r.FinishedAt == null)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Status, SyncRunStatus.Interrupted)
                    .SetProperty(r => r.FinishedAt, now)
                    .SetProperty(r => r.ErrorCode, SyncRun.InterruptedCode)
                    .SetProperty(r => r.Error, SyncRun.HostStopped(host)),
                cancellationToken);
    }

    private static bool Abandoned(SyncRun run, string host, Func<Guid, bool> runsHere, DateTimeOffset now) =>
        (run.Host == host && !runsHere(run.Id)) || run.StartedAt < now - AbandonedAfter;
}
