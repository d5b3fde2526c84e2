using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Sync;

public sealed record PartnerCenterChangeView(
    long Id, DateTimeOffset OperationDate, string OperationType, Guid? CustomerId, Guid? SubscriptionId, bool IsDrift, string Description, DateTimeOffset FoundAt);

/// <summary>What sync found in Partner Center, newest first: every applied operation, or only the drift.</summary>
public static class ListPartnerCenterChanges
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/partner-center/changes", HandleAsync)
            .WithTags("Partner Center")
            .WithSummary("List what sync found in Partner Center")
            .WithDescription("The operations sync applied, newest first; drift=true keeps those the platform had not ordered. Pages of limit (1–1000, 100 by default) before the id given as before.");

    public static async Task<Results<Ok<List<PartnerCenterChangeView>>, ProblemHttpResult>> HandleAsync(
        string? drift, string? limit, string? before, CommerceDb db, CancellationToken cancellationToken)
    {
        var onlyDrift = Query.Boolean(drift, nameof(drift));
        var take = Query.WholeNumber(limit, nameof(limit), 100, 1, 1000);
        var after = Query.Position(before, nameof(before));
        if ((onlyDrift.Error ?? take.Error ?? after.Error) is { } error)
        {
            return error.ToProblem();
        }

        var changes = db.PartnerCenterChanges.AsQueryable();
        if (onlyDrift.Value is { } isDrift)
        {
            changes = changes.Where(c => c.IsDrift == isDrift);
        }

        if (after.Value is { } id)
        {
            changes = changes.Where(c => c.Id < id);
        }

        return TypedResults.Ok(await changes
            .OrderByDescending(c => c.Id)
            .Take(take.Value)
            .Select(c => new PartnerCenterChangeView(c.Id, c.OperationDate, c.OperationType, c.CustomerId, c.SubscriptionId, c.IsDrift, c.Description, c.FoundAt))
            .ToListAsync(cancellationToken));
    }
}
