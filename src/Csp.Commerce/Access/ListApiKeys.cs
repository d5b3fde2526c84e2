using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>A partner's own keys, newest first: a distributor does not see its resellers' keys.</summary>
public static class ListApiKeys
{
    public static Task<List<ApiKeyView>> RunAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        // Newest first by id (version 7: time-ordered), which both stores can sort, unlike an instant on SQLite.
        db.ApiKeys.Where(k => k.PartnerId == partnerId).OrderByDescending(k => k.Id)
            .Select(k => ApiKeyFormat.View(k))
            .ToListAsync(cancellationToken);
}
