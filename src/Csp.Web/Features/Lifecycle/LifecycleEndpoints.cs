using Csp.Commerce.Lifecycle;
using Csp.Commerce.Renewals;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Lifecycle;

/// <summary>
/// The lifecycle's routes: each action on a subscription (<c>POST /subscriptions/{id}/{name}</c>, with an
/// Idempotency-Key) and its preview (<c>…/{name}/preview</c>, writing nothing), the order, and the bulk end-of-term
/// choice. Every route calls its use case in <c>Csp.Commerce</c> and answers its result through
/// <see cref="ErrorResults.ToResult{TOutcome}(ActionResult{TOutcome})"/>; nothing here decides anything.
/// </summary>
public static class LifecycleEndpoints
{
    /// <summary>A use case acting on subscription <c>id</c>: its services, the id, the body, who acts, preview or not.</summary>
    public delegate Task<ActionResult<ActionOutcome>> SubscriptionAction<in TRequest>(
        LifecycleServices services, Guid id, TRequest request, ActionCaller caller, bool preview, CancellationToken cancellationToken);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapAction<ChangeSeatsRequest>(
            "seats", "Change seats", "Sets the subscription's seats in Partner Center and records the change once Partner Center confirms it.", ChangeSeats.RunAsync);
        api.MapAction<ReasonRequest?>(
            "cancel", "Cancel now", "Cancels the subscription in Partner Center with a prorated refund, within the cancellation window. Irreversible.",
            (services, id, request, caller, preview, cancellationToken) => CancelSubscription.RunAsync(services, id, request ?? new(), caller, preview, cancellationToken),
            bodyRequired: false);
        api.MapAction<ChangeBillingFrequencyRequest>(
            "billing-plan",
            "Change the billing plan",
            "Switches a three-year subscription between monthly and annual billing from its next charge cycle, in Partner Center, and records it once confirmed.",
            ChangeBillingFrequency.RunAsync);
        api.MapGet("/subscriptions/{id:guid}/upgrades", UpgradeTargetsAsync)
            .WithTags("Lifecycle")
            .WithSummary("Products the subscription can be upgraded to")
            .WithDescription("Partner Center's transition eligibilities for the subscription, each with the reasons it is not eligible and its price for the subscription's term and plan today.");
        api.MapAction<UpgradeRequest>(
            "upgrade",
            "Upgrade",
            "Upgrades the subscription's seats, or some of them, to a product Partner Center lists as eligible (GET …/upgrades), and records it once confirmed. Cannot be undone.",
            UpgradeSubscription.RunAsync);
        api.MapAction<ReasonRequest?>(
            "suspend", "Suspend", "Suspends the subscription's service in Partner Center. Billing continues.",
            (services, id, request, caller, preview, cancellationToken) => SuspendSubscription.RunAsync(services, id, request ?? new(), caller, preview, cancellationToken),
            bodyRequired: false);
        api.MapAction<ReasonRequest?>(
            "reactivate", "Reactivate", "Restores a suspended subscription's service in Partner Center.",
            (services, id, request, caller, preview, cancellationToken) => ReactivateSubscription.RunAsync(services, id, request ?? new(), caller, preview, cancellationToken),
            bodyRequired: false);
        api.MapAction<SetEndOfTermRequest>(
            "end-of-term",
            "Set the end-of-term choice",
            "renew (as is or with scheduled changes), cancel at the end of the term, or est. Sent to Partner Center as the explicit scheduled action.",
            SetEndOfTerm.RunAsync,
            previewDescription: "Whether the choice is allowed, and what Microsoft would charge in the year after the term ends with it (charges) instead of the current course (chargesNoLongerDue). Writes nothing.");

        api.MapPost("/customers/{id:guid}/subscriptions", (Guid id, OrderRequest request, [AsParameters] LifecycleServices services, HttpContext http) => OrderAsync(id, request, services, http, preview: false))
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Operations)
            .WithTags("Lifecycle")
            .WithSummary("Order a subscription")
            .WithDescription("Buys a catalog item for the customer in Partner Center (cart, then checkout) and records it once confirmed. Needs an Idempotency-Key.");
        api.MapPost("/customers/{id:guid}/subscriptions/preview", (Guid id, OrderRequest request, [AsParameters] LifecycleServices services, HttpContext http) => OrderAsync(id, request, services, http, preview: true))
            .WithTags("Lifecycle")
            .WithSummary("Preview an order")
            .WithDescription("Whether the order is allowed, what Microsoft would charge for the whole term, and until when it could be cancelled. Writes nothing.");

        api.MapPost("/renewals/end-of-term", (BulkEndOfTermRequest request, [AsParameters] LifecycleServices services, HttpContext http) => BulkAsync(request, services, http, preview: false))
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Operations)
            .WithTags("Renewals")
            .WithSummary("Set an end-of-term choice in bulk")
            .WithDescription($"Sets renew, cancel or est on every subscription the filter selects (at most {DecideEndOfTermInBulk.MaxSubscriptions}), each through Partner Center's explicit scheduled action. Needs an Idempotency-Key.");
        api.MapPost("/renewals/end-of-term/preview", (BulkEndOfTermRequest request, [AsParameters] LifecycleServices services, HttpContext http) => BulkAsync(request, services, http, preview: true))
            .WithTags("Renewals")
            .WithSummary("Preview an end-of-term choice in bulk")
            .WithDescription("Which subscriptions the filter selects and, for each, whether the choice is allowed and what to know. Writes nothing.");
    }

    /// <summary>Who acts (the API key or the signed-in user), under the request's Idempotency-Key and the request ids derived from it.</summary>
    public static ActionCaller CallerOf(HttpContext http) =>
        new(CurrentCaller.Actor(http), Idempotency.KeyOf(http), step => Idempotency.RequestId(http, step));

    /// <param name="bodyRequired">False when the whole body may be left out (its fields are all optional).</param>
    private static void MapAction<TRequest>(
        this IEndpointRouteBuilder api, string name, string summary, string description, SubscriptionAction<TRequest> action, bool bodyRequired = true, string? previewDescription = null)
    {
        // The framework cannot tell whether a generic body may be null: a missing body or a JSON null is refused here.
        async Task<Results<Ok<ActionPreview>, Ok<ActionOutcome>, ProblemHttpResult>> Handle(Guid id, TRequest request, LifecycleServices services, HttpContext http, bool preview) =>
            request is null && bodyRequired
                ? ErrorResults.BodyRequired(http, typeof(TRequest))
                : (await action(services, id, request, CallerOf(http), preview, http.RequestAborted)).ToResult();

        api.MapPost($"/subscriptions/{{id:guid}}/{name}", (Guid id, TRequest request, [AsParameters] LifecycleServices services, HttpContext http) => Handle(id, request, services, http, false))
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Operations)
            .WithTags("Lifecycle")
            .WithSummary(summary)
            .WithDescription($"{description} Needs an Idempotency-Key.");
        api.MapPost($"/subscriptions/{{id:guid}}/{name}/preview", (Guid id, TRequest request, [AsParameters] LifecycleServices services, HttpContext http) => Handle(id, request, services, http, true))
            .WithTags("Lifecycle")
            .WithSummary($"Preview: {summary.ToLowerInvariant()}")
            .WithDescription(previewDescription
                ?? "What the action would do: allowed or refused (and until when it was allowed), Microsoft's charge lines, the term's committed value before and after, and warnings. Writes nothing.");
    }

    private static async Task<Results<Ok<IReadOnlyList<UpgradeTarget>>, ProblemHttpResult>> UpgradeTargetsAsync(Guid id, [AsParameters] LifecycleServices services, HttpContext http) =>
        await UpgradeSubscription.ListTargetsAsync(services, id, http.RequestAborted) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            var found => TypedResults.Ok<IReadOnlyList<UpgradeTarget>>(found.Outcome!),
        };

    private static async Task<Results<Ok<ActionPreview>, Ok<OrderOutcome>, ProblemHttpResult>> OrderAsync(Guid id, OrderRequest request, LifecycleServices services, HttpContext http, bool preview) =>
        (await OrderSubscription.RunAsync(services, id, request, CallerOf(http), preview, http.RequestAborted)).ToResult();

    /// <summary>
    /// The bulk choice's answer: 200 with every result, or — where Partner Center could not be reached for some — 502 with
    /// every result, so that the Idempotency-Key is not kept and the same request again finishes those.
    /// </summary>
    private static async Task<Results<Ok<BulkEndOfTermResult>, JsonHttpResult<BulkEndOfTermResult>, ProblemHttpResult>> BulkAsync(
        BulkEndOfTermRequest request, LifecycleServices services, HttpContext http, bool preview) =>
        await DecideEndOfTermInBulk.RunAsync(services, request, preview ? null : CallerOf(http), preview, http.RequestAborted) switch
        {
            { IsSuccess: false } refused => refused.Error.ToProblem(),
            { Value.Failed: > 0 } partly => TypedResults.Json(partly.Value, statusCode: StatusCodes.Status502BadGateway),
            var done => TypedResults.Ok(done.Value),
        };
}
