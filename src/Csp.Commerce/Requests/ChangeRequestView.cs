using System.Security.Cryptography;
using System.Text;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Requests;

/// <summary>A customer's request as its seller and the customer see it: what, on which subscription, and what came of it.</summary>
/// <param name="SeatsNow">The subscription's seats as the platform holds them now.</param>
public sealed record ChangeRequestView(
    Guid Id, Guid CustomerId, string CustomerName, Guid SubscriptionId, string FriendlyName, ChangeRequestKind Kind, int? Quantity, int SeatsNow,
    string? Note, string RequestedBy, DateTimeOffset RequestedAt, ChangeRequestStatus Status, string? DecidedBy, DateTimeOffset? DecidedAt, string? Outcome)
{
    /// <summary>The change in words: "seats → 12", "cancel now".</summary>
    public string What => Kind == ChangeRequestKind.Seats ? $"seats → {Quantity}" : "cancel now";
}

/// <summary>What requests share: reading them as views, and carrying one out in Partner Center exactly once.</summary>
public static class ChangeRequests
{
    public const int MaxNote = 500;

    /// <summary>The requests <paramref name="requests"/> selects (scoped to the caller), newest first, at most <paramref name="take"/>.</summary>
    public static async Task<List<ChangeRequestView>> ViewsAsync(CommerceDb db, IQueryable<ChangeRequest> requests, int take, CancellationToken cancellationToken) =>
        // Ids are version 7: by id is by time sent, and SQLite cannot order by an instant.
        await requests.OrderByDescending(r => r.Id).Take(take)
            .Join(db.Customers, r => r.CustomerId, c => c.Id, (r, c) => new { r, Customer = c.Name })
            .Join(db.Subscriptions, x => x.r.SubscriptionId, s => s.Id, (x, s) => new ChangeRequestView(
                x.r.Id, x.r.CustomerId, x.Customer, x.r.SubscriptionId, s.FriendlyName, x.r.Kind, x.r.Quantity, s.Quantity,
                x.r.Note, x.r.RequestedBy, x.r.RequestedAt, x.r.Status, x.r.DecidedBy, x.r.DecidedAt, x.r.Outcome))
            .ToListAsync(cancellationToken);

    /// <summary>The caller's requests, newest first: waiting ones only, or all; of one customer, or every one the caller sees.</summary>
    public static Task<List<ChangeRequestView>> ListAsync(CommerceDb db, bool waitingOnly, Guid? customerId, int take, CancellationToken cancellationToken)
    {
        var requests = db.ChangeRequests.AsQueryable();
        if (waitingOnly)
        {
            requests = requests.Where(r => r.Status == ChangeRequestStatus.Pending);
        }

        if (customerId is { } customer)
        {
            requests = requests.Where(r => r.CustomerId == customer);
        }

        return ViewsAsync(db, requests, take, cancellationToken);
    }

    /// <summary>Whether the caller sees customer <paramref name="id"/>.</summary>
    public static Task<bool> CustomerExistsAsync(CommerceDb db, Guid id, CancellationToken cancellationToken) => db.Customers.AnyAsync(c => c.Id == id, cancellationToken);

    /// <summary>Whether subscription <paramref name="subscriptionId"/> is customer <paramref name="customerId"/>'s, as the caller sees them.</summary>
    public static Task<bool> IsSubscriptionOfAsync(CommerceDb db, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken) =>
        db.Subscriptions.AnyAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken);

    public static async Task<ChangeRequestView> ViewAsync(CommerceDb db, Guid id, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, db.ChangeRequests.Where(r => r.Id == id), 1, cancellationToken)).Single();

    /// <summary>The request's change, previewed or done, through the same lifecycle action a partner's staff use.</summary>
    public static Task<ActionResult<ActionOutcome>> ActAsync(
        LifecycleServices services, Guid subscriptionId, ChangeRequestKind kind, int? quantity, string? note, ActionCaller caller, bool preview, CancellationToken cancellationToken) =>
        kind == ChangeRequestKind.Seats
            ? ChangeSeats.RunAsync(services, subscriptionId, new ChangeSeatsRequest(quantity ?? 0), caller, preview, cancellationToken)
            : CancelSubscription.RunAsync(services, subscriptionId, new ReasonRequest(note), caller, preview, cancellationToken);

    /// <summary>Whether the seller's policy lets the request be carried out at once: a few seats added, nothing else.</summary>
    public static bool AppliesAtOnce(int seatAdditionsAtOnce, ChangeRequestKind kind, int? quantity, int seatsNow) =>
        kind == ChangeRequestKind.Seats && quantity > seatsNow && quantity - seatsNow <= seatAdditionsAtOnce;

    /// <summary>
    /// Carries a pending request out in Partner Center, once: it is first marked as being applied (only one decider wins
    /// that), then the lifecycle action runs under request ids derived from the request's id — a retry after Partner
    /// Center did not answer asks it again with the same ids — and the request records what came of it.
    /// </summary>
    /// <returns>Null when the request was not pending (decided, or being decided by someone else).</returns>
    /// <remarks>
    /// A request left being applied for longer than <see cref="AbandonedAfter"/> — its carrying-out stopped by a failure
    /// that is not an answer, such as the host going down — is pending in effect: approving it again carries it out under
    /// the same request ids, so Partner Center does once what was asked.
    /// </remarks>
    /// <summary>Far longer than any lifecycle action through Partner Center takes, its retries included.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);

    public static async Task<ChangeRequestView?> ApplyAsync(LifecycleServices services, Guid id, string actor, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var claimedAt = services.Time.GetUtcNow();
        var claimed = await db.ChangeRequests.Where(r => r.Id == id && r.Status == ChangeRequestStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ChangeRequestStatus.Applying).SetProperty(r => r.DecidedBy, actor).SetProperty(r => r.DecidedAt, claimedAt), cancellationToken) == 1;
        if (!claimed)
        {
            // Abandoned mid-way (the host stopped before recording the answer): taken again from the holder it was left with.
            var held = await db.ChangeRequests.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Status, r.DecidedAt }).FirstOrDefaultAsync(cancellationToken);
            claimed = held is { Status: ChangeRequestStatus.Applying, DecidedAt: { } since } && claimedAt - since > AbandonedAfter
                && await db.ChangeRequests.Where(r => r.Id == id && r.Status == ChangeRequestStatus.Applying && r.DecidedAt == since)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.DecidedBy, actor).SetProperty(r => r.DecidedAt, claimedAt), cancellationToken) == 1;
        }

        if (!claimed)
        {
            return null;
        }

        var request = await db.ChangeRequests.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
        var caller = new ActionCaller(actor, $"change-request-{id:N}", step => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"change-request {id:N} {step}"))[..16]));
        var result = await ActAsync(services, request.SubscriptionId, request.Kind, request.Quantity, request.Note, caller, preview: false, cancellationToken);
        db.ChangeTracker.Clear();
        var stored = await db.ChangeRequests.SingleAsync(r => r.Id == id, cancellationToken);
        var now = services.Time.GetUtcNow();
        switch (result)
        {
            case { Outcome: { } done }:
                stored.Decide(ChangeRequestStatus.Applied, actor, now, $"Done in Partner Center (request {done.MicrosoftRequestId}): {done.Subscription.FriendlyName} has {done.Subscription.Quantity} seats, status {done.Subscription.Status}.");
                break;
            case { Failure: { } failure } when failure.Error.Kind == Csp.Domain.ErrorKind.Unavailable:
                // Partner Center did not answer: the request waits again, and approving it again asks with the same ids.
                stored.Decide(ChangeRequestStatus.Pending, actor, now, $"Partner Center did not answer: nothing is known to have changed. Approve it again to ask again. ({failure.Error.Message})");
                break;
            case { Failure: { } failure }:
                stored.Decide(ChangeRequestStatus.Failed, actor, now, $"Not done: {failure.Error.Message}");
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(db, id, cancellationToken);
    }
}
