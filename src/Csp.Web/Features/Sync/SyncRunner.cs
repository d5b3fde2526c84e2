using System.Collections.Concurrent;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Sync;
using Csp.Data;
using Csp.Domain;
using Csp.PartnerCenter.Api;

namespace Csp.Web.Features.Sync;

/// <summary>
/// Runs this host's syncs with Partner Center and knows how far each has got: in the background for the portal and
/// <c>POST /api/partner-center/syncs</c>, so that a person can leave the page and come back to it, or within the request
/// for <c>POST /api/partner-center/sync</c>. Each run is a <see cref="SyncRun"/> claimed by <see cref="StartSync"/>, so
/// one sync at a time runs per account whichever host it came to; its progress lives on the host running it (a sync is one
/// transaction, so nothing of it is in the database until it ends).
/// </summary>
public sealed class SyncRunner(IServiceProvider services, TimeProvider time, ILogger<SyncRunner> log) : IHostedService, IDisposable
{
    /// <summary>This host's name on the runs it carries out.</summary>
    public static readonly string Host = Environment.MachineName;

    private readonly ConcurrentDictionary<Guid, SyncProgress> live = new();
    private readonly ConcurrentDictionary<Guid, Task> background = new();
    private readonly CancellationTokenSource stopping = new();
    private volatile bool disposed;

    /// <summary>
    /// Claims and registers a run as one step on this host: between the claim and the registration, another start here
    /// would take the claimed run for one its host no longer runs.
    /// </summary>
    private readonly SemaphoreSlim claiming = new(1, 1);

    public SyncProgress? Progress(Guid runId) => live.GetValueOrDefault(runId);

    /// <summary>Starts a sync in the background for the request's partner, or finds the one running.</summary>
    public async Task<Result<SyncStart>> BeginAsync(CommerceDb db, PartnerScope scope, string startedBy, CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(db, scope.PartnerId!.Value, startedBy, cancellationToken);
        if (claimed is { IsSuccess: true, Value: { Started: true, Run.Id: var id } })
        {
            // Not the request's token: the sync goes on when the person leaves the page.
            background[id] = Task.Run(() => RunInBackgroundAsync(id, scope), CancellationToken.None);
        }

        return claimed;
    }

    /// <summary>A sync run within the caller's request: its figures, or why it applied nothing (another sync running among them).</summary>
    public async Task<ActionResult<SyncResult>> RunAsync(CommerceDb db, Guid partnerId, string startedBy, PartnerCenterClient client, CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(db, partnerId, startedBy, cancellationToken);
        if (!claimed.IsSuccess)
        {
            return new(null, null, new ActionFailure(claimed.Error));
        }

        if (!claimed.Value.Started)
        {
            return new(null, null, new ActionFailure(Running(claimed.Value.Run)));
        }

        var id = claimed.Value.Run.Id;
        try
        {
            return await RunSync.RunAsync(db, id, client, time, p => live[id] = p, cancellationToken);
        }
        finally
        {
            live.TryRemove(id, out _);
        }
    }

    /// <summary>The refusal of a second sync while <paramref name="run"/> is running.</summary>
    public static Error Running(SyncRun run) => new(
        "partner_center.sync_running",
        $"A sync started by {run.StartedBy} at {run.StartedAt:yyyy-MM-dd HH:mm} UTC is still running; follow it at /api/partner-center/syncs/{run.Id}. Nothing else was started.");

    private async Task<Result<SyncStart>> ClaimAsync(CommerceDb db, Guid partnerId, string startedBy, CancellationToken cancellationToken)
    {
        await claiming.WaitAsync(cancellationToken);
        try
        {
            var claimed = await StartSync.RunAsync(db, partnerId, startedBy, Host, live.ContainsKey, time, cancellationToken);
            if (claimed is { IsSuccess: true, Value: { Started: true, Run.Id: var id } })
            {
                live[id] = new SyncProgress("Starting", 0, 0, 0, 0, null);
            }

            return claimed;
        }
        finally
        {
            claiming.Release();
        }
    }

    private async Task RunInBackgroundAsync(Guid id, PartnerScope requestScope)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<PartnerScope>().EnterAs(requestScope);
            var synced = await RunSync.RunAsync(
                scope.ServiceProvider.GetRequiredService<CommerceDb>(), id, scope.ServiceProvider.GetRequiredService<PartnerCenterClient>(), time, p => live[id] = p, stopping.Token);
            if (synced.Failure is { } failure)
            {
                log.LogWarning("Sync {RunId} applied nothing: {Code} {Message}", id, failure.Error.Code, failure.Error.Message);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            log.LogWarning("Sync {RunId} was interrupted: the host is stopping", id);
        }
        catch (Exception e)
        {
            // RunSync has recorded the failure on the run; nothing else waits for this task.
            log.LogError(e, "Sync {RunId} failed", id);
        }
        finally
        {
            live.TryRemove(id, out _);
            background.TryRemove(id, out _);
        }
    }

    /// <summary>A host starting runs no sync: any it left unfinished when it last stopped was interrupted.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var interrupted = await StartSync.InterruptLeftOverAsync(scope.ServiceProvider.GetRequiredService<CommerceDb>(), Host, time, cancellationToken);
        if (interrupted > 0)
        {
            log.LogWarning("{Count} syncs left running when {Host} last stopped were marked interrupted", interrupted, Host);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may dispose its services before it is told to stop (a test host disposed without stopping).
        if (disposed)
        {
            return;
        }

        try
        {
            await stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check above and now: nothing is left to stop.
            return;
        }

        await Task.WhenAll(background.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        disposed = true;
        stopping.Dispose();
        claiming.Dispose();
    }
}
