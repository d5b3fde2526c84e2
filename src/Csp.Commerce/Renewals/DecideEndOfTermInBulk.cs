using Csp.Commerce.Lifecycle;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Renewals;

/// <summary>Which subscriptions a bulk decision applies to: all criteria given must hold; at least one must be given.</summary>
/// <param name="EstRiskOnly">Only those drifting into an Extended Service Term nobody chose.</param>
public sealed record BulkFilter(IReadOnlyList<Guid>? SubscriptionIds = null, Guid? CustomerId = null, DateOnly? TermEndFrom = null, DateOnly? TermEndTo = null, bool EstRiskOnly = false);

public sealed record BulkEndOfTermRequest(EndOfTerm Choice, BulkFilter Filter);

/// <summary>
/// What became of one subscription: <c>allowed</c> or <c>refused</c> in a preview; <c>done</c>, <c>unchanged</c> (already
/// so, for instance on a retry), <c>refused</c> or <c>failed</c> when applied.
/// </summary>
public sealed record BulkItem(Guid SubscriptionId, string FriendlyName, DateOnly? TermEndDate, string Result, string? Code, string? Message, IReadOnlyList<string> Warnings, Guid? MicrosoftRequestId);

public sealed record BulkEndOfTermResult(EndOfTerm Choice, bool Preview, int Count, int Done, int Unchanged, int Refused, int Failed, IReadOnlyList<BulkItem> Items);

/// <summary>
/// Applies one end-of-term choice to many subscriptions at once — by ids, customer, term-end range, or those drifting into
/// EST — previewed first, then applied one by one, each under its own Partner Center request id derived from the
/// Idempotency-Key and the subscription, each committed on its own, with a result per subscription. Those Partner Center
/// could not be reached for are <c>failed</c>: the same request again redoes only what was not done.
/// </summary>
public static class DecideEndOfTermInBulk
{
    public const int MaxSubscriptions = 1000;

    /// <param name="caller">Who acts, and the request ids of the writes; only a preview goes without.</param>
    public static async Task<Result<BulkEndOfTermResult>> RunAsync(
        LifecycleServices services, BulkEndOfTermRequest request, ActionCaller? caller, bool preview, CancellationToken cancellationToken)
    {
        var f = request.Filter;
        if (f is null || (f.SubscriptionIds is not { Count: > 0 } && f.CustomerId is null && f.TermEndFrom is null && f.TermEndTo is null && !f.EstRiskOnly))
        {
            return Error.InvalidParameter("filter", "filter must select something: subscriptionIds, customerId, termEndFrom/termEndTo or estRiskOnly.");
        }

        if (f.SubscriptionIds is { Count: > MaxSubscriptions } tooMany)
        {
            return Error.InvalidParameter("filter.subscriptionIds", $"filter.subscriptionIds names {tooMany.Count} subscriptions; at most {MaxSubscriptions} at once.");
        }

        var db = services.Db;
        var today = BillingClock.MicrosoftToday(services.Time);
        var query = db.Subscriptions.Where(s => s.Term != null && s.TermEndDate >= today && s.Status == SubscriptionStatus.Active);
        if (f.SubscriptionIds is { Count: > 0 } ids)
        {
            query = query.Where(s => ids.Contains(s.Id));
        }

        if (f.CustomerId is { } customerId)
        {
            query = query.Where(s => s.CustomerId == customerId);
        }

        if (f.TermEndFrom is { } from)
        {
            query = query.Where(s => s.TermEndDate >= from);
        }

        if (f.TermEndTo is { } to)
        {
            query = query.Where(s => s.TermEndDate <= to);
        }

        if (f.EstRiskOnly)
        {
            query = query.Where(s => s.EndOfTerm == null && !s.AutoRenewEnabled);
        }

        var selected = await query.OrderBy(s => s.TermEndDate).ThenBy(s => s.Id).Select(s => s.Id).Take(MaxSubscriptions + 1).ToListAsync(cancellationToken);
        if (selected.Count > MaxSubscriptions)
        {
            return Error.InvalidParameter("filter", $"The filter selects more than {MaxSubscriptions} subscriptions: narrow it.");
        }

        caller = preview ? null : caller ?? throw new ArgumentNullException(nameof(caller), "Only a preview goes without a caller.");
        var items = new List<BulkItem>();
        foreach (var id in selected)
        {
            // Each subscription is read and committed on its own, so that one refusal leaves the others untouched.
            db.ChangeTracker.Clear();
            var context = (await SubscriptionActions.ContextAsync(services, id, cancellationToken))!;
            if (f.EstRiskOnly && !context.Est.PathFor(context.Subscription.Status, null, false, context.Subscription.TermStartDate, context.Subscription.TermEndDate!.Value).DriftsIntoEst)
            {
                continue;
            }

            var plan = SetEndOfTerm.Plan(context, new SetEndOfTermRequest(request.Choice), null);
            var s = context.Subscription;
            if (caller is null)
            {
                var previewed = SubscriptionActions.Preview(context, plan, services.Rules);
                items.Add(new BulkItem(s.Id, s.FriendlyName, s.TermEndDate, previewed.Allowed ? "allowed" : "refused", previewed.Refusal?.Code, previewed.Refusal?.Message, previewed.Warnings, null));
                continue;
            }

            if (plan.Refusal is { Code: "subscription.nothing_to_change" } same)
            {
                items.Add(new BulkItem(s.Id, s.FriendlyName, s.TermEndDate, "unchanged", null, same.Message, [], null));
                continue;
            }

            var done = await SubscriptionActions.ExecuteAsync(services, context, plan, preview: false, caller, request, cancellationToken);
            items.Add(done switch
            {
                { Outcome: { } outcome } => new BulkItem(s.Id, s.FriendlyName, s.TermEndDate, "done", null, null, outcome.Preview.Warnings, outcome.MicrosoftRequestId),
                { Failure: { } failure } => new BulkItem(
                    s.Id, s.FriendlyName, s.TermEndDate, failure.Error.Kind == ErrorKind.Unavailable ? "failed" : "refused", failure.Error.Code, failure.Error.Message, done.Preview?.Warnings ?? [], null),
                _ => throw new InvalidOperationException("An applied action has an outcome or a failure."),
            });
        }

        return new BulkEndOfTermResult(
            request.Choice, preview, items.Count, items.Count(i => i.Result == "done"), items.Count(i => i.Result == "unchanged"), items.Count(i => i.Result == "refused"),
            items.Count(i => i.Result == "failed"), items);
    }
}
