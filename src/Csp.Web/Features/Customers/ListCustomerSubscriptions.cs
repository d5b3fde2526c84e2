using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Customers;

/// <summary>Every subscription of one customer, by product name.</summary>
public static class ListCustomerSubscriptions
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/customers/{id:guid}/subscriptions", HandleAsync)
            .WithName(nameof(ListCustomerSubscriptions))
            .WithTags("Customers")
            .WithSummary("List a customer's subscriptions")
            .WithDescription("Every subscription of the customer, of any status, with what the NCE rules say about each today.");

    public static async Task<Results<Ok<List<SubscriptionView>>, ProblemHttpResult>> HandleAsync(
        Guid id, CommerceDb db, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ErrorResults.NotFound("customer", id);
        }

        var query = db.Subscriptions.Where(s => s.CustomerId == id).OrderBy(s => s.FriendlyName).ThenBy(s => s.Id);
        return TypedResults.Ok(await SubscriptionViews.LoadAsync(db, query, time, cancellation, est, cancellationToken));
    }
}
