using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Lifecycle;

/// <summary>One audited action, newest first in a listing; <paramref name="Before"/> and <paramref name="After"/> are Partner Center's subscription as JSON.</summary>
public sealed record AuditEntryView(
    long Id, DateTimeOffset OccurredAt, string Actor, string Action, AuditOutcome Outcome, string Description, string? Code, Guid CustomerId, Guid? SubscriptionId,
    string Request, string? Before, string? After, string? IdempotencyKey, Guid? MicrosoftRequestId);

/// <summary>Every lifecycle action asked of a subscription or of a customer's subscriptions, done or refused.</summary>
public static class ListAuditEntries
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/subscriptions/{id:guid}/audit", SubscriptionAsync)
            .WithTags("Lifecycle")
            .WithSummary("A subscription's audit")
            .WithDescription("Every action asked of the subscription through the platform, done or refused: who, when, what, before and after, the request ids. Newest first.");
        api.MapGet("/customers/{id:guid}/audit", CustomerAsync)
            .WithTags("Lifecycle")
            .WithSummary("A customer's audit")
            .WithDescription("Every action asked of the customer's subscriptions through the platform, done or refused. Newest first.");
    }

    public static async Task<Results<Ok<List<AuditEntryView>>, ProblemHttpResult>> SubscriptionAsync(Guid id, CommerceDb db, CancellationToken cancellationToken) =>
        await db.Subscriptions.AnyAsync(s => s.Id == id, cancellationToken)
            ? TypedResults.Ok(await ViewsAsync(db.AuditEntries.Where(e => e.SubscriptionId == id), cancellationToken))
            : ErrorResults.NotFound("subscription", id);

    public static async Task<Results<Ok<List<AuditEntryView>>, ProblemHttpResult>> CustomerAsync(Guid id, CommerceDb db, CancellationToken cancellationToken) =>
        await db.Customers.AnyAsync(c => c.Id == id, cancellationToken)
            ? TypedResults.Ok(await ViewsAsync(db.AuditEntries.Where(e => e.CustomerId == id), cancellationToken))
            : ErrorResults.NotFound("customer", id);

    private static Task<List<AuditEntryView>> ViewsAsync(IQueryable<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.OrderByDescending(e => e.Id)
            .Take(500)
            .Select(e => new AuditEntryView(e.Id, e.OccurredAt, e.Actor, e.Action, e.Outcome, e.Description, e.Code, e.CustomerId, e.SubscriptionId, e.Request, e.Before, e.After, e.IdempotencyKey, e.MicrosoftRequestId))
            .ToListAsync(cancellationToken);
}
