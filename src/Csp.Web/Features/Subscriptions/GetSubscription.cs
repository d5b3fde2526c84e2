using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Subscriptions;

/// <summary>One subscription with its term end, renewal date, current charge cycle and cancellation window.</summary>
public static class GetSubscription
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/subscriptions/{id:guid}", HandleAsync)
            .WithName(nameof(GetSubscription))
            .WithTags("Subscriptions")
            .WithSummary("Get a subscription")
            .WithDescription("A subscription with its term end, renewal date, current charge cycle, end-of-term path, and until when it can be cancelled or its seats reduced.");

    public static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> HandleAsync(
        Guid id, CommerceDb db, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken)
    {
        var views = await SubscriptionViews.LoadAsync(db, db.Subscriptions.Where(s => s.Id == id), time, cancellation, est, cancellationToken);

        return views is [var view] ? TypedResults.Ok(view) : ErrorResults.NotFound("subscription", id);
    }
}
