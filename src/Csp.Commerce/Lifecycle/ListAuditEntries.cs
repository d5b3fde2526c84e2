using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Lifecycle;

/// <summary>One audited action, newest first in a listing; <paramref name="Before"/> and <paramref name="After"/> are Partner Center's subscription as JSON.</summary>
public sealed record AuditEntryView(
    long Id, DateTimeOffset OccurredAt, string Actor, string Action, AuditOutcome Outcome, string Description, string? Code, Guid CustomerId, Guid? SubscriptionId,
    string Request, string? Before, string? After, string? IdempotencyKey, Guid? MicrosoftRequestId);

/// <summary>Every lifecycle action asked of a subscription or of a customer's subscriptions, done or refused, newest first.</summary>
public static class ListAuditEntries
{
    /// <summary>The most entries a listing holds.</summary>
    public const int Limit = 500;

    public static async Task<Result<List<AuditEntryView>>> OfSubscriptionAsync(CommerceDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Subscriptions.AnyAsync(s => s.Id == id, cancellationToken)
            ? await ViewsAsync(db.AuditEntries.Where(e => e.SubscriptionId == id), cancellationToken)
            : Error.NotFound("subscription", id);

    public static async Task<Result<List<AuditEntryView>>> OfCustomerAsync(CommerceDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Customers.AnyAsync(c => c.Id == id, cancellationToken)
            ? await ViewsAsync(db.AuditEntries.Where(e => e.CustomerId == id), cancellationToken)
            : Error.NotFound("customer", id);

    private static Task<List<AuditEntryView>> ViewsAsync(IQueryable<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.OrderByDescending(e => e.Id)
            .Take(Limit)
            .Select(e => new AuditEntryView(e.Id, e.OccurredAt, e.Actor, e.Action, e.Outcome, e.Description, e.Code, e.CustomerId, e.SubscriptionId, e.Request, e.Before, e.After, e.IdempotencyKey, e.MicrosoftRequestId))
            .ToListAsync(cancellationToken);
}
