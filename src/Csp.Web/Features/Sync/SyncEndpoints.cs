using Csp.Commerce.Sync;
using Csp.Data;
using Csp.PartnerCenter.Api;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Sync;

/// <summary>The sync's routes: <see cref="SyncPartnerCenter"/> for the caller's partner, and <see cref="ListPartnerCenterChanges"/>.</summary>
public static class SyncEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/partner-center/sync", SyncAsync)
            .WithTags("Partner Center")
            .WithSummary("Sync with Partner Center")
            .WithDescription("Imports the account's customers and subscriptions the first time; afterwards applies the operations in Partner Center's audit records since the last sync, flagging as drift what the platform did not order. Only a partner holding the Partner Center relationship (a distributor or a direct-bill partner) has an account to sync.")
            .RequireRole(AccessRole.Operations);
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
        CommerceDb db, PartnerScope scope, PartnerCenterClient client, TimeProvider time, CancellationToken cancellationToken) =>
        await SyncPartnerCenter.RunAsync(db, scope.PartnerId!.Value, client, time, cancellationToken) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            var synced => TypedResults.Ok(synced.Outcome!),
        };
}
