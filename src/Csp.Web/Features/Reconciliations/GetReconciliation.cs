using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Reconciliations;

/// <summary>A reconciliation's summary: its month, its file, and its differences by kind.</summary>
public static class GetReconciliation
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reconciliations/{id:guid}", HandleAsync).WithTags("Reconciliation").WithSummary("Get a reconciliation");

    public static async Task<Results<Ok<ReconciliationView>, ProblemHttpResult>> HandleAsync(Guid id, CommerceDb db, CancellationToken cancellationToken)
    {
        var reconciliation = await db.Reconciliations.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return reconciliation is null
            ? ErrorResults.NotFound("reconciliation", id)
            : TypedResults.Ok(await ReconciliationViews.LoadAsync(db, reconciliation, cancellationToken));
    }
}
