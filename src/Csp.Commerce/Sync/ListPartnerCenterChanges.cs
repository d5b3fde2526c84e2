using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Sync;

public sealed record PartnerCenterChangeView(
    long Id, DateTimeOffset OperationDate, string OperationType, Guid? CustomerId, Guid? SubscriptionId, bool IsDrift, string Description, DateTimeOffset FoundAt);

/// <summary>What sync found in Partner Center, newest first: every applied operation, or only the drift, or only the rest.</summary>
public static class ListPartnerCenterChanges
{
    /// <param name="drift">Only the drift (true), only what the platform had ordered (false), or both (null).</param>
    /// <param name="before">Only changes older than this change id: the next page.</param>
    public static Task<List<PartnerCenterChangeView>> RunAsync(CommerceDb db, bool? drift, int limit, long? before, CancellationToken cancellationToken)
    {
        var changes = db.PartnerCenterChanges.AsQueryable();
        if (drift is { } isDrift)
        {
            changes = changes.Where(c => c.IsDrift == isDrift);
        }

        if (before is { } id)
        {
            changes = changes.Where(c => c.Id < id);
        }

        return changes
            .OrderByDescending(c => c.Id)
            .Take(limit)
            .Select(c => new PartnerCenterChangeView(c.Id, c.OperationDate, c.OperationType, c.CustomerId, c.SubscriptionId, c.IsDrift, c.Description, c.FoundAt))
            .ToListAsync(cancellationToken);
    }
}
