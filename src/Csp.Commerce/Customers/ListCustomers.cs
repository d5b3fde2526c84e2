using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Customers;

/// <summary>The partner's customers (its own and its resellers'), paged, sorted, and searched by name or domain.</summary>
public static class ListCustomers
{
    /// <summary>The orders a listing can be in; a leading '-' is descending.</summary>
    public static readonly string[] Sorts = ["name", "-name", "domain", "-domain", "country", "-country"];

    /// <param name="search">Matched against the name or the domain, ignoring case; everyone when empty.</param>
    /// <param name="sort">One of <see cref="Sorts"/>.</param>
    public static async Task<Paged<CustomerView>> RunAsync(CommerceDb db, string? search, string sort, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = db.Customers.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(c => c.Name.ToLower().Contains(term) || c.Domain.ToLower().Contains(term));
        }

        var ordered = sort switch
        {
            "-name" => query.OrderByDescending(c => c.Name),
            "domain" => query.OrderBy(c => c.Domain),
            "-domain" => query.OrderByDescending(c => c.Domain),
            "country" => query.OrderBy(c => c.Country).ThenBy(c => c.Name),
            "-country" => query.OrderByDescending(c => c.Country).ThenBy(c => c.Name),
            "name" => query.OrderBy(c => c.Name),
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "Not one of ListCustomers.Sorts."),
        };

        var total = await query.CountAsync(cancellationToken);
        var items = await CustomerViews.Of(db, ordered.ThenBy(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        return new Paged<CustomerView>(items, page, pageSize, total);
    }
}
