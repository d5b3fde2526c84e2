using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Renewals;

public sealed record AlertView(long Id, AlertKind Kind, Guid CustomerId, Guid SubscriptionId, DateOnly DueOn, DateTimeOffset? ActBefore, string Message, DateTimeOffset RaisedAt);

/// <summary>
/// The alerts the jobs raised — windows closing within 24 hours, terms ending in 30, 7 and 1 days, EST drift, renewals
/// and EST entries — newest first. Delivery by e-mail and webhook comes later; this is where they are read.
/// </summary>
public static class ListAlerts
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/alerts", HandleAsync)
            .WithTags("Renewals")
            .WithSummary("Alerts")
            .WithDescription("Alerts raised by the scheduled jobs, newest first: kind=windowClosing|renewalIn30Days|renewalIn7Days|renewalIn1Day|estDrift|renewed|enteredEst filters; limit (1–500, default 100) and before (an alert id) page.");

    public static async Task<Results<Ok<List<AlertView>>, ProblemHttpResult>> HandleAsync(string? kind, string? limit, string? before, CommerceDb db, CancellationToken cancellationToken)
    {
        var take = Query.WholeNumber(limit, nameof(limit), 100, 1, 500);
        var after = Query.WholeNumber(before, nameof(before), int.MaxValue, 1, int.MaxValue);
        var wanted = Query.Name<AlertKind>(kind, nameof(kind));
        if ((take.Error ?? after.Error ?? wanted.Error) is { } error)
        {
            return error.ToProblem();
        }

        var query = db.Alerts.Where(a => a.Id < after.Value);
        if (wanted.Value is { } k)
        {
            query = query.Where(a => a.Kind == k);
        }

        return TypedResults.Ok(await query.OrderByDescending(a => a.Id).Take(take.Value)
            .Select(a => new AlertView(a.Id, a.Kind, a.CustomerId, a.SubscriptionId, a.DueOn, a.ActBefore, a.Message, a.RaisedAt))
            .ToListAsync(cancellationToken));
    }
}
