using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Requests;

/// <summary>
/// The seller decides a customer's pending request: previewed as it would be done now (the window may have moved since
/// it was sent), then approved — carried out in Partner Center, once — or refused with a reason the customer reads.
/// </summary>
public static class DecideChangeRequest
{
    public const int MaxReason = 500;

    public static async Task<Result<(ChangeRequestView Request, ActionPreview? Preview)>> PreviewAsync(LifecycleServices services, Guid id, string actor, CancellationToken cancellationToken)
    {
        if (await services.Db.ChangeRequests.AnyAsync(r => r.Id == id, cancellationToken) is false)
        {
            return Error.NotFound("request", id);
        }

        var view = await ChangeRequests.ViewAsync(services.Db, id, cancellationToken);
        var result = await ChangeRequests.ActAsync(services, view.SubscriptionId, view.Kind, view.Quantity, view.Note, new ActionCaller(actor, null, _ => Guid.Empty), preview: true, cancellationToken);
        return (view, result.Preview);
    }

    public static async Task<Result<ChangeRequestView>> ApproveAsync(LifecycleServices services, Guid id, string actor, CancellationToken cancellationToken)
    {
        if (await services.Db.ChangeRequests.AnyAsync(r => r.Id == id, cancellationToken) is false)
        {
            return Error.NotFound("request", id);
        }

        return await ChangeRequests.ApplyAsync(services, id, actor, cancellationToken) is { } applied
            ? applied
            : await NotPendingAsync(services.Db, id, cancellationToken);
    }

    public static async Task<Result<ChangeRequestView>> RefuseAsync(CommerceDb db, TimeProvider time, Guid id, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (reason is not { Length: > 0 and <= MaxReason } || reason.Any(char.IsControl))
        {
            return Error.InvalidParameter("reason", $"Say why, in 1 to {MaxReason} characters (the customer reads it).");
        }

        if (await db.ChangeRequests.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } request)
        {
            return Error.NotFound("request", id);
        }

        if (request.Status != ChangeRequestStatus.Pending)
        {
            return await NotPendingAsync(db, id, cancellationToken);
        }

        request.Decide(ChangeRequestStatus.Refused, actor, time.GetUtcNow(), $"Refused: {reason.Trim()}");
        await db.SaveChangesAsync(cancellationToken);
        return await ChangeRequests.ViewAsync(db, id, cancellationToken);
    }

    private static async Task<Error> NotPendingAsync(CommerceDb db, Guid id, CancellationToken cancellationToken)
    {
        var view = await ChangeRequests.ViewAsync(db, id, cancellationToken);
        return new Error("request.decided", $"This request is {view.Status.ToString().ToLowerInvariant()} already{(view.DecidedBy is { } by ? $" ({by})" : "")}: nothing more was done.");
    }
}
