using Csp.Commerce;
using Csp.Commerce.Customers;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Customers;

/// <summary>The customers' routes: the query string read, then <see cref="ListCustomers"/>, <see cref="GetCustomer"/>, <see cref="ListCustomerSubscriptions"/> and <see cref="ListAuditEntries"/>.</summary>
public static class CustomerEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/customers", ListAsync)
            .WithTags("Customers")
            .WithSummary("List customers")
            .WithDescription("Customers of the partner and of the resellers below it, paged. sort=name|domain|country (prefix '-' for descending); search matches the name or the domain, ignoring case.");
        api.MapGet("/customers/{id:guid}", async (Guid id, CommerceDb db, CancellationToken cancellationToken) => (await GetCustomer.RunAsync(db, id, cancellationToken)).ToResult())
            .WithTags("Customers")
            .WithSummary("Get a customer")
            .AllowCustomerUsers();
        api.MapGet(
                "/customers/{id:guid}/subscriptions",
                async (Guid id, CommerceDb db, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken) =>
                    (await ListCustomerSubscriptions.RunAsync(db, id, time, cancellation, est, cancellationToken)).ToResult())
            .WithTags("Customers")
            .WithSummary("List a customer's subscriptions")
            .WithDescription("Every subscription of the customer, of any status, with what the NCE rules say about each today.")
            .AllowCustomerUsers();
        api.MapGet("/customers/{id:guid}/audit", async (Guid id, CommerceDb db, CancellationToken cancellationToken) => (await ListAuditEntries.OfCustomerAsync(db, id, cancellationToken)).ToResult())
            .WithTags("Lifecycle")
            .WithSummary("A customer's audit")
            .WithDescription("Every action asked of the customer's subscriptions through the platform, done or refused. Newest first.");
    }

    public static async Task<Results<Ok<Paged<CustomerView>>, ProblemHttpResult>> ListAsync(
        string? search, string? sort, string? page, string? pageSize, CommerceDb db, CancellationToken cancellationToken)
    {
        var order = Query.OneOf(sort, nameof(sort), "name", ListCustomers.Sorts);
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 25, 1, 200);
        return (order.Error ?? number.Error ?? size.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(await ListCustomers.RunAsync(db, search, order.Value, number.Value, size.Value, cancellationToken));
    }
}
