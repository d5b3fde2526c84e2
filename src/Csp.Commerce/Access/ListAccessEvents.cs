using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

public sealed record AccessEventView(long Id, DateTimeOffset OccurredAt, string Actor, AccessEventKind Kind, string Detail);

/// <summary>The organisation's own access audit (not its resellers'), newest first: sign-ins, key uses, keys, users, tenants.</summary>
public static class ListAccessEvents
{
    /// <param name="before">Only entries older than this entry id: the next page.</param>
    public static Task<List<AccessEventView>> RunAsync(CommerceDb db, Guid partnerId, AccessEventKind? kind, int limit, long? before, CancellationToken cancellationToken)
    {
        var query = db.AccessEvents.Where(e => e.PartnerId == partnerId);
        if (before is { } id)
        {
            query = query.Where(e => e.Id < id);
        }

        if (kind is { } k)
        {
            query = query.Where(e => e.Kind == k);
        }

        return query.OrderByDescending(e => e.Id).Take(limit)
            .Select(e => new AccessEventView(e.Id, e.OccurredAt, e.Actor, e.Kind, e.Detail))
            .ToListAsync(cancellationToken);
    }
}
