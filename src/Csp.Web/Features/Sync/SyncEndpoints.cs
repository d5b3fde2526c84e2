using Csp.Commerce.Sync;
using Csp.Data;
using Csp.Domain;
using Csp.PartnerCenter.Api;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Sync;

/// <summary>
/// The sync's routes: <see cref="SyncPartnerCenter"/> for the caller's partner — within the request, or in the background
/// with its progress to follow (<see cref="SyncRunner"/>) — the syncs run, and <see cref="ListPartnerCenterChanges"/>.
/// </summary>
public static class SyncEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/partner-center/sync", SyncAsync)
            .WithTags("Partner Center")
            .WithSummary("Sync with Partner Center")
            .WithDescription("Imports the account's customers and subscriptions the first time; afterwards applies the operations in Partner Center's audit records since the last sync, flagging as drift what the platform did not order. Only a partner holding the Partner Center relationship (a distributor or a direct-bill partner) has an account to sync.")
            .RequireRole(AccessRole.Operations);
        api.MapPost("/partner-center/syncs", BeginAsync)
            .WithTags("Partner Center")
            .WithSummary("Start a sync with Partner Center in the background")
            .WithDescription("Starts the sync POST /api/partner-center/sync runs, without waiting for it: 202 with the run, whose progress and then figures GET /api/partner-center/syncs/{id} gives. While a sync of the account is running, the answer is that run: one sync at a time runs per account.")
            .RequireRole(AccessRole.Operations);
        api.MapGet("/partner-center/syncs", RunsAsync)
            .WithTags("Partner Center")
            .WithSummary("List the syncs run")
            .WithDescription("The account's syncs, newest first (limit 1–100, 20 by default): who started each and when, then what it found or why it applied nothing.");
        api.MapGet("/partner-center/syncs/{id:guid}", RunAsync)
            .WithTags("Partner Center")
            .WithSummary("Follow a sync")
            .WithDescription("A sync: while running, how far it has got (when this host runs it); then what it found, or why it applied nothing.");
        api.MapGet("/partner-center/changes", ChangesAsync)
            .WithTags("Partner Center")
            .WithSummary("List what sync found in Partner Center")
            .WithDescription("The operations sync applied, newest first; drift=true keeps those the platform had not ordered. Pages of limit (1–1000, 100 by default) before the id given as before.");
    }

    public static async Task<Results<Ok<List<PartnerCenterChangeView>>, ProblemHttpResult>> ChangesAsync(
        string? drift, string? limit, string? before, CommerceDb db, CancellationToken cancellationToken)
    {
        var onlyDrift = Query.Boolean(drift, nameof(drift));
        var take = Query.WholeNumber(limit, nameof(limit), 100, 1, 1000);
        var after = Query.Position(before, nameof(before));
        return (onlyDrift.Error ?? take.Error ?? after.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(await ListPartnerCenterChanges.RunAsync(db, onlyDrift.Value, take.Value, after.Value, cancellationToken));
    }

    private static async Task<Results<Ok<SyncResult>, ProblemHttpResult>> SyncAsync(
        CommerceDb db, PartnerScope scope, PartnerCenterClient client, SyncRunner runner, HttpContext http) =>
        await runner.RunAsync(db, scope.PartnerId!.Value, CurrentCaller.Actor(http), client, http.RequestAborted) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            var synced => TypedResults.Ok(synced.Outcome!),
        };

    private static async Task<Results<Accepted<SyncRunView>, ProblemHttpResult>> BeginAsync(CommerceDb db, PartnerScope scope, SyncRunner runner, HttpContext http)
    {
        var begun = await runner.BeginAsync(db, scope, CurrentCaller.Actor(http), http.RequestAborted);
        if (!begun.IsSuccess)
        {
            return begun.Error.ToProblem();
        }

        var run = SyncRunView.Of(begun.Value.Run, runner.Progress);
        return TypedResults.Accepted($"/api/partner-center/syncs/{run.Id}", run);
    }

    private static async Task<Results<Ok<List<SyncRunView>>, ProblemHttpResult>> RunsAsync(string? limit, CommerceDb db, SyncRunner runner, CancellationToken cancellationToken)
    {
        var take = Query.WholeNumber(limit, nameof(limit), 20, 1, 100);
        return take.Error is { } error ? error.ToProblem() : TypedResults.Ok(await ListSyncRuns.RunAsync(db, take.Value, runner.Progress, cancellationToken));
    }

    private static async Task<Results<Ok<SyncRunView>, ProblemHttpResult>> RunAsync(Guid id, CommerceDb db, SyncRunner runner, CancellationToken cancellationToken) =>
        await ListSyncRuns.OneAsync(db, id, runner.Progress, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : Error.NotFound("sync", id).ToProblem();
}
