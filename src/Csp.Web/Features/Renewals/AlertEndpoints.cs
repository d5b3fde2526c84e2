using Csp.Commerce.Renewals;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Renewals;

/// <summary>The alerts' route: the query string read, then <see cref="ListAlerts"/>.</summary>
public static class AlertEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/alerts", HandleAsync)
            .WithTags("Renewals")
            .WithSummary("Alerts")
            .WithDescription("Alerts raised by the scheduled jobs, newest first: kind=windowClosing|renewalIn30Days|renewalIn7Days|renewalIn1Day|estDrift|renewed|enteredEst|customerRequest filters; limit (1–500, default 100) and before (an alert id) page.");

    public static async Task<Results<Ok<List<AlertView>>, ProblemHttpResult>> HandleAsync(string? kind, string? limit, string? before, CommerceDb db, CancellationToken cancellationToken)
    {
        var take = Query.WholeNumber(limit, nameof(limit), 100, 1, 500);
        var after = Query.Position(before, nameof(before));
        var wanted = Query.Name<AlertKind>(kind, nameof(kind));
        return (take.Error ?? after.Error ?? wanted.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(await ListAlerts.RunAsync(db, wanted.Value, take.Value, after.Value, cancellationToken));
    }
}
