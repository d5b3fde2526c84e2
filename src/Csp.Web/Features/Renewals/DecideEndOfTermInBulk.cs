using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Web.Features.Lifecycle;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Renewals;

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
/// Idempotency-Key and the subscription, each committed on its own, with a result per subscription. When Partner Center
/// could not be reached for some, the answer is 502 (with every result) and the key is not kept, so that the same request
/// again redoes only what was not done.
/// </summary>
public static class DecideEndOfTermInBulk
{
    public const int MaxSubscriptions = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/renewals/end-of-term", (BulkEndOfTermRequest request, HttpContext http) => HandleAsync(request, http, preview: false))
            .RequireIdempotencyKey()
            .WithTags("Renewals")
            .WithSummary("Set an end-of-term choice in bulk")
            .WithDescription($"Sets renew, cancel or est on every subscription the filter selects (at most {MaxSubscriptions}), each through Partner Center's explicit scheduled action. Needs an Idempotency-Key.");
        api.MapPost("/renewals/end-of-term/preview", (BulkEndOfTermRequest request, HttpContext http) => HandleAsync(request, http, preview: true))
            .WithTags("Renewals")
            .WithSummary("Preview an end-of-term choice in bulk")
            .WithDescription("Which subscriptions the filter selects and, for each, whether the choice is allowed and what to know. Writes nothing.");
    }

    public static async Task<Results<Ok<BulkEndOfTermResult>, JsonHttpResult<BulkEndOfTermResult>, ProblemHttpResult>> HandleAsync(BulkEndOfTermRequest request, HttpContext http, bool preview)
    {
        var f = request.Filter;
        if (f is null || (f.SubscriptionIds is not { Count: > 0 } && f.CustomerId is null && f.TermEndFrom is null && f.TermEndTo is null && !f.EstRiskOnly))
        {
            return new Error(Query.InvalidParameter, "filter must select something: subscriptionIds, customerId, termEndFrom/termEndTo or estRiskOnly.", ErrorKind.Invalid, "filter").ToProblem();
        }

        if (f.SubscriptionIds is { Count: > MaxSubscriptions } tooMany)
        {
            return new Error(Query.InvalidParameter, $"filter.subscriptionIds names {tooMany.Count} subscriptions; at most {MaxSubscriptions} at once.", ErrorKind.Invalid, "filter.subscriptionIds").ToProblem();
        }

        var services = http.RequestServices;
        var db = services.GetRequiredService<CommerceDb>();
        var today = BillingClock.MicrosoftDay(services.GetRequiredService<TimeProvider>().GetUtcNow());
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

        var selected = await query.OrderBy(s => s.TermEndDate).ThenBy(s => s.Id).Select(s => s.Id).Take(MaxSubscriptions + 1).ToListAsync(http.RequestAborted);
        if (selected.Count > MaxSubscriptions)
        {
            return new Error(Query.InvalidParameter, $"The filter selects more than {MaxSubscriptions} subscriptions: narrow it.", ErrorKind.Invalid, "filter").ToProblem();
        }

        var caller = preview ? null : new ActionCaller(SubscriptionActions.ActorOf(http), Idempotency.KeyOf(http), step => Idempotency.RequestId(http, step));
        var items = new List<BulkItem>();
        foreach (var id in selected)
        {
            // Each subscription is read and committed on its own, so that one refusal leaves the others untouched.
            db.ChangeTracker.Clear();
            var context = (await SubscriptionActions.ContextAsync(services, db, id, http.RequestAborted))!;
            if (f.EstRiskOnly && !context.Est.PathFor(context.Subscription.Status, null, false, context.Subscription.TermStartDate, context.Subscription.TermEndDate!.Value).DriftsIntoEst)
            {
                continue;
            }

            var plan = SetEndOfTerm.Plan(context, new SetEndOfTermRequest(request.Choice), null);
            var s = context.Subscription;
            if (caller is null)
            {
                var previewed = SubscriptionActions.Preview(context, plan, services.GetRequiredService<Csp.Domain.Charges.ChargeRules>());
                items.Add(new BulkItem(s.Id, s.FriendlyName, s.TermEndDate, previewed.Allowed ? "allowed" : "refused", previewed.Refusal?.Code, previewed.Refusal?.Message, previewed.Warnings, null));
                continue;
            }

            if (plan.Refusal is { Code: "subscription.nothing_to_change" } same)
            {
                items.Add(new BulkItem(s.Id, s.FriendlyName, s.TermEndDate, "unchanged", null, same.Message, [], null));
                continue;
            }

            var done = await SubscriptionActions.ExecuteAsync(services, db, context, plan, preview: false, caller, request, http.RequestAborted);
            items.Add(done switch
            {
                { Outcome: { } outcome } => new BulkItem(s.Id, s.FriendlyName, s.TermEndDate, "done", null, null, done.Preview.Warnings, outcome.MicrosoftRequestId),
                { Problem: { } problem } => new BulkItem(
                    s.Id, s.FriendlyName, s.TermEndDate, problem.StatusCode == StatusCodes.Status502BadGateway ? "failed" : "refused",
                    problem.ProblemDetails.Extensions.TryGetValue("code", out var code) ? code as string : null, problem.ProblemDetails.Title, done.Preview.Warnings, null),
                _ => throw new InvalidOperationException("An applied action has an outcome or a problem."),
            });
        }

        var result = new BulkEndOfTermResult(
            request.Choice, preview, items.Count, items.Count(i => i.Result == "done"), items.Count(i => i.Result == "unchanged"), items.Count(i => i.Result == "refused"),
            items.Count(i => i.Result == "failed"), items);

        // Where Partner Center could not be reached for some, the answer is 502 with every result, and the Idempotency-Key
        // is not kept: the same request again finishes those, and reports the others as unchanged.
        return result.Failed > 0 ? TypedResults.Json(result, statusCode: StatusCodes.Status502BadGateway) : TypedResults.Ok(result);
    }
}
