using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Customers;

/// <summary>The partner's customers (its own and its resellers'), paged, sorted, and searchable by name or domain.</summary>
public static class ListCustomers
{
    private static readonly string[] Sorts = ["name", "-name", "domain", "-domain", "country", "-country"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/customers", HandleAsync)
            .WithName(nameof(ListCustomers))
            .WithTags("Customers")
            .WithSummary("List customers")
            .WithDescription("Customers of the partner and of the resellers below it, paged. sort=name|domain|country (prefix '-' for descending); search matches the name or the domain, ignoring case.");

    public static async Task<Results<Ok<Paged<CustomerView>>, ProblemHttpResult>> HandleAsync(
        string? search,
        string? sort,
        string? page,
        string? pageSize,
        CommerceDb db,
        CancellationToken cancellationToken)
    {
        var order = Query.OneOf(sort, nameof(sort), "name", Sorts);
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 25, 1, 200);
        if ((order.Error ?? number.Error ?? size.Error) is { } error)
        {
            return error.ToProblem();
        }

        var query = db.Customers.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(c => c.Name.ToLower().Contains(term) || c.Domain.ToLower().Contains(term));
        }

        query = order.Value switch
        {
            "-name" => query.OrderByDescending(c => c.Name),
            "domain" => query.OrderBy(c => c.Domain),
            "-domain" => query.OrderByDescending(c => c.Domain),
            "country" => query.OrderBy(c => c.Country).ThenBy(c => c.Name),
            "-country" => query.OrderByDescending(c => c.Country).ThenBy(c => c.Name),
            _ => query.OrderBy(c => c.Name),
        };

        var total = await query.CountAsync(cancellationToken);
        var items = await Views(db, ((IOrderedQueryable<Customer>)query).ThenBy(c => c.Id).Skip((number.Value - 1) * size.Value).Take(size.Value))
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new Paged<CustomerView>(items, number.Value, size.Value, total));
    }

    /// <summary>The projection every customer endpoint answers with.</summary>
    public static IQueryable<CustomerView> Views(CommerceDb db, IQueryable<Customer> customers) =>
        from c in customers
        join p in db.Partners on c.PartnerId equals p.Id
        select new CustomerView(
            c.Id, c.PartnerId, p.Name, c.CustomerTenantId, c.Name, c.Domain, c.Country, c.Currency,
            db.Subscriptions.Count(s => s.CustomerId == c.Id));
}
