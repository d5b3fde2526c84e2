using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;

namespace Csp.Commerce.Subscriptions;

/// <summary>One subscription with its term end, renewal date, current charge cycle, end-of-term path and windows.</summary>
public static class GetSubscription
{
    public static async Task<Result<SubscriptionView>> RunAsync(
        CommerceDb db, Guid id, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken) =>
        await SubscriptionViews.LoadAsync(db, db.Subscriptions.Where(s => s.Id == id), time, cancellation, est, cancellationToken) is [var view]
            ? view
            : Error.NotFound("subscription", id);
}
