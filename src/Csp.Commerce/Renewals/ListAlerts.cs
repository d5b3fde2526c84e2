using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Renewals;

public sealed record AlertView(long Id, AlertKind Kind, Guid CustomerId, Guid SubscriptionId, DateOnly DueOn, DateTimeOffset? ActBefore, string Message, DateTimeOffset RaisedAt);

/// <summary>
/// The alerts the jobs raised — windows closing within 24 hours, terms ending in 30, 7 and 1 days, EST drift, renewals
/// and EST entries — newest first. Delivery by e-mail and webhook comes later; this is where they are read.
/// </summary>
public static class ListAlerts
{
    /// <param name="before">Only alerts older than this alert id: the next page.</param>
    public static Task<List<AlertView>> RunAsync(CommerceDb db, AlertKind? kind, int limit, long? before, CancellationToken cancellationToken)
    {
        var query = db.Alerts.AsQueryable();
        if (before is { } id)
        {
            query = query.Where(a => a.Id < id);
        }

        if (kind is { } k)
        {
            query = query.Where(a => a.Kind == k);
        }

        return query.OrderByDescending(a => a.Id).Take(limit)
            .Select(a => new AlertView(a.Id, a.Kind, a.CustomerId, a.SubscriptionId, a.DueOn, a.ActBefore, a.Message, a.RaisedAt))
            .ToListAsync(cancellationToken);
    }
}
