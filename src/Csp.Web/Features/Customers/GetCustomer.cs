using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Customers;

/// <summary>One customer of the partner or of a reseller below it.</summary>
public static class GetCustomer
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/customers/{id:guid}", HandleAsync).WithName(nameof(GetCustomer)).WithTags("Customers").WithSummary("Get a customer");

    public static async Task<Results<Ok<CustomerView>, ProblemHttpResult>> HandleAsync(Guid id, CommerceDb db, CancellationToken cancellationToken)
    {
        var customer = await ListCustomers.Views(db, db.Customers.Where(c => c.Id == id)).SingleOrDefaultAsync(cancellationToken);

        return customer is null ? ErrorResults.NotFound("customer", id) : TypedResults.Ok(customer);
    }
}
