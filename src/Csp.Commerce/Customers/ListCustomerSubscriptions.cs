using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Customers;

/// <summary>Every subscription of one customer, of any status, by name, with what the NCE rules say about each now.</summary>
public static class ListCustomerSubscriptions
{
    public static async Task<Result<List<SubscriptionView>>> RunAsync(
        CommerceDb db, Guid id, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return Error.NotFound("customer", id);
        }

        var query = db.Subscriptions.Where(s => s.CustomerId == id).OrderBy(s => s.FriendlyName).ThenBy(s => s.Id);
        return await SubscriptionViews.LoadAsync(db, query, time, cancellation, est, cancellationToken);
    }
}
