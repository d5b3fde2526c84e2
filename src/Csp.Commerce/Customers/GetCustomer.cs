using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Customers;

/// <summary>One customer of the partner or of a reseller below it.</summary>
public static class GetCustomer
{
    public static async Task<Result<CustomerView>> RunAsync(CommerceDb db, Guid id, CancellationToken cancellationToken) =>
        await CustomerViews.Of(db, db.Customers.Where(c => c.Id == id)).SingleOrDefaultAsync(cancellationToken) is { } customer
            ? customer
            : Error.NotFound("customer", id);
}
