using Csp.Commerce;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Subscriptions;

/// <summary>The subscriptions' read routes: the query string read, then <see cref="ListSubscriptions"/>, <see cref="GetSubscription"/> and <see cref="ListAuditEntries"/>.</summary>
public static class SubscriptionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/subscriptions", ListAsync)
            .WithTags("Subscriptions")
            .WithSummary("List subscriptions")
            .WithDescription("Subscriptions, soonest term end first, paged; renewingBefore=yyyy-MM-dd keeps those in service whose renewal date is before that day.");
        api.MapGet(
                "/subscriptions/{id:guid}",
                async (Guid id, CommerceDb db, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken) =>
                    (await GetSubscription.RunAsync(db, id, time, cancellation, est, cancellationToken)).ToResult())
            .WithTags("Subscriptions")
            .WithSummary("Get a subscription")
            .WithDescription("A subscription with its term end, renewal date, current charge cycle, end-of-term path, and until when it can be cancelled or its seats reduced.");
        api.MapGet("/subscriptions/{id:guid}/audit", async (Guid id, CommerceDb db, CancellationToken cancellationToken) => (await ListAuditEntries.OfSubscriptionAsync(db, id, cancellationToken)).ToResult())
            .WithTags("Lifecycle")
            .WithSummary("A subscription's audit")
            .WithDescription("Every action asked of the subscription through the platform, done or refused: who, when, what, before and after, the request ids. Newest first.");
    }

    public static async Task<Results<Ok<Paged<SubscriptionView>>, ProblemHttpResult>> ListAsync(
        string? renewingBefore, string? page, string? pageSize, CommerceDb db, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken)
    {
        var before = Query.Date(renewingBefore, nameof(renewingBefore));
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 50, 1, 500);
        return (before.Error ?? number.Error ?? size.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(await ListSubscriptions.RunAsync(db, before.Value, number.Value, size.Value, time, cancellation, est, cancellationToken));
    }
}
