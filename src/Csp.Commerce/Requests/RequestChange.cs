using Csp.Commerce.Access;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Requests;

/// <summary>
/// What a customer's request would do, or did: the lifecycle's preview of the change (Microsoft's rules, the charges), whether
/// the seller's policy lets it apply at once, and the request once sent.
/// </summary>
/// <param name="Replayed">The same confirmation had been sent before: this is that request, not a second one.</param>
public sealed record RequestAnswer(ActionPreview? Preview, bool AppliesAtOnce, ChangeRequestView? Request, Error? Error, bool Replayed = false);

/// <summary>
/// A customer's user asks its seller for a seat change or a cancellation of one of its subscriptions. The change is
/// previewed first, as the seller's staff would see it — refused by Microsoft's rules, it is not sent at all. Sent, it
/// waits for the seller, unless the seller's policy (<see cref="Partner.CustomerSeatAdditionsAtOnce"/>) lets it apply at
/// once, in which case it is carried out in Partner Center straight away. The key of the confirmation makes sending it
/// twice one request.
/// </summary>
public static class RequestChange
{
    public static async Task<RequestAnswer> PreviewAsync(LifecycleServices services, Caller caller, Guid subscriptionId, ChangeRequestKind kind, int? quantity, CancellationToken cancellationToken)
    {
        var result = await ChangeRequests.ActAsync(services, subscriptionId, kind, quantity, null, new ActionCaller(caller.Actor, null, _ => Guid.Empty), preview: true, cancellationToken);
        if (result.Preview is not { } preview || result.Failure?.Error is { Kind: ErrorKind.Invalid })
        {
            return new RequestAnswer(null, false, null, result.Failure?.Error ?? Error.NotFound("subscription", subscriptionId));
        }

        return new RequestAnswer(preview, preview.Allowed && await AppliesAtOnceAsync(services.Db, subscriptionId, kind, quantity, cancellationToken), null, null);
    }

    public static async Task<RequestAnswer> SendAsync(
        LifecycleServices services, Caller caller, Guid subscriptionId, ChangeRequestKind kind, int? quantity, string? note, string key, CancellationToken cancellationToken)
    {
        var db = services.Db;
        if (note?.Length > ChangeRequests.MaxNote || (note?.Any(c => char.IsControl(c) && c is not ('\n' or '\r')) ?? false))
        {
            return new RequestAnswer(null, false, null, Error.InvalidParameter("note", $"The note is at most {ChangeRequests.MaxNote} characters, without control characters."));
        }

        if (caller.CustomerId is not { } customerId)
        {
            // What is wrong with the request itself is said first; then that it is not the staff's to send.
            return (await PreviewAsync(services, caller, subscriptionId, kind, quantity, cancellationToken)) is { Error: { } wrong }
                ? new RequestAnswer(null, false, null, wrong)
                : new RequestAnswer(null, false, null, new Error("request.customer_only", "Requests are sent by a customer's users; the seller's staff make the change themselves."));
        }

        if (await db.ChangeRequests.Where(r => r.CustomerId == customerId && r.RequestKey == key).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken) is var sent && sent != Guid.Empty)
        {
            return new RequestAnswer(null, false, await ChangeRequests.ViewAsync(db, sent, cancellationToken), null, Replayed: true);
        }

        var previewed = await PreviewAsync(services, caller, subscriptionId, kind, quantity, cancellationToken);
        if (previewed.Preview is not { Allowed: true })
        {
            return previewed;
        }

        var request = new ChangeRequest(
            Guid.CreateVersion7(services.Time.GetUtcNow()), caller.PartnerId, customerId, subscriptionId, kind, kind == ChangeRequestKind.Seats ? quantity : null,
            string.IsNullOrWhiteSpace(note) ? null : note.Trim(), key, caller.Actor, services.Time.GetUtcNow());
        db.ChangeRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same confirmation, sent twice at once: the other one was stored first, and is the request.
            db.ChangeTracker.Clear();
            var first = await db.ChangeRequests.Where(r => r.CustomerId == customerId && r.RequestKey == key).Select(r => r.Id).SingleAsync(cancellationToken);
            return new RequestAnswer(null, false, await ChangeRequests.ViewAsync(db, first, cancellationToken), null, Replayed: true);
        }

        if (!previewed.AppliesAtOnce)
        {
            await AlertSellerAsync(db, request, services.Time.GetUtcNow(), cancellationToken);
        }

        var view = previewed.AppliesAtOnce
            ? await ChangeRequests.ApplyAsync(services, request.Id, $"{caller.Actor} (within the seller's policy)", cancellationToken)
            : null;
        return new RequestAnswer(previewed.Preview, previewed.AppliesAtOnce, view ?? await ChangeRequests.ViewAsync(db, request.Id, cancellationToken), null);
    }

    /// <summary>
    /// Tells the seller a request waits for it, among its alerts: one a subscription a day (a second request that day is on
    /// the requests page, where the first one's alert leads).
    /// </summary>
    private static async Task AlertSellerAsync(CommerceDb db, ChangeRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = BillingClock.MicrosoftDay(now);
        if (await db.Alerts.AnyAsync(a => a.SubscriptionId == request.SubscriptionId && a.Kind == AlertKind.CustomerRequest && a.DueOn == today, cancellationToken))
        {
            return;
        }

        var name = await db.Subscriptions.Where(s => s.Id == request.SubscriptionId).Select(s => s.FriendlyName).SingleAsync(cancellationToken);
        var customer = await db.Customers.Where(c => c.Id == request.CustomerId).Select(c => c.Name).SingleAsync(cancellationToken);
        var asked = request.Kind == ChangeRequestKind.Seats ? $"{request.Quantity} seats on {name}" : $"{name} cancelled";
        db.Alerts.Add(new Alert(request.PartnerId, request.CustomerId, request.SubscriptionId, AlertKind.CustomerRequest, today, null, $"{customer} asks for {asked}: approve or refuse it under Requests.", now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request of the same subscription raised the day's alert at the same moment.
            db.ChangeTracker.Clear();
        }
    }

    private static async Task<bool> AppliesAtOnceAsync(CommerceDb db, Guid subscriptionId, ChangeRequestKind kind, int? quantity, CancellationToken cancellationToken)
    {
        // The policy is the seller's: the customer's user's own organisation, or (previewed by a distributor) the reseller's.
        var subscription = await db.Subscriptions.Where(s => s.Id == subscriptionId).Select(s => new { s.PartnerId, s.Quantity }).SingleAsync(cancellationToken);
        var limit = await db.Partners.Where(p => p.Id == subscription.PartnerId).Select(p => p.CustomerSeatAdditionsAtOnce).SingleAsync(cancellationToken);
        return ChangeRequests.AppliesAtOnce(limit, kind, quantity, subscription.Quantity);
    }
}
