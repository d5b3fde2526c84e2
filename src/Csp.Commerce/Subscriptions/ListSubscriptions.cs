using Csp.Data;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Subscriptions;

/// <summary>The partner's subscriptions, soonest term end first, paged; or only those in service renewing before a day.</summary>
public static class ListSubscriptions
{
    public static async Task<Paged<SubscriptionView>> RunAsync(
        CommerceDb db, DateOnly? renewingBefore, int page, int pageSize, TimeProvider time, CancellationPolicy cancellation, EstPolicy est, CancellationToken cancellationToken)
    {
        var query = db.Subscriptions.AsQueryable();
        if (renewingBefore is { } day)
        {
            // The renewal date is the day after the inclusive term end, so "renews before day" is "ends before day − 1".
            var lastEnd = day.AddDays(-1);
            query = query.Where(s => s.TermEndDate != null && s.TermEndDate < lastEnd
                && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended));
        }

        var total = await query.CountAsync(cancellationToken);
        var pageQuery = query.OrderBy(s => s.TermEndDate == null).ThenBy(s => s.TermEndDate).ThenBy(s => s.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize);
        return new Paged<SubscriptionView>(await SubscriptionViews.LoadAsync(db, pageQuery, time, cancellation, est, cancellationToken), page, pageSize, total);
    }
}
