using Csp.Commerce.Sync;
using Csp.Data;
using Csp.PartnerCenter.Api;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Sync;

/// <summary>The sync's route, calling <see cref="SyncPartnerCenter"/> for the caller's partner.</summary>
public static class SyncEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/partner-center/sync", SyncAsync)
            .WithTags("Partner Center")
            .WithSummary("Sync with Partner Center")
            .WithDescription("Imports the account's customers and subscriptions the first time; afterwards applies the operations in Partner Center's audit records since the last sync, flagging as drift what the platform did not order. Only a partner holding the Partner Center relationship (a distributor or a direct-bill partner) has an account to sync.");

    private static async Task<Results<Ok<SyncResult>, ProblemHttpResult>> SyncAsync(
        CommerceDb db, PartnerScope scope, PartnerCenterClient client, TimeProvider time, CancellationToken cancellationToken) =>
        await SyncPartnerCenter.RunAsync(db, scope.PartnerId!.Value, client, time, cancellationToken) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            var synced => TypedResults.Ok(synced.Outcome!),
        };
}
