using Csp.Commerce.Lifecycle;
using Csp.Commerce.Requests;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Requests;

/// <summary>
/// Customers' change requests through the API: a customer's user previews and sends one (under its Idempotency-Key, the
/// request's own key), the seller lists them, previews the approval as it would be done now, approves (carried out in
/// Partner Center once) or refuses with a reason — the use cases of the portal's pages.
/// </summary>
public static class RequestEndpoints
{
    /// <summary>A change a customer's user asks for: seats to have (<see cref="Quantity"/>), or a cancellation.</summary>
    public sealed record ChangeRequestBody(Guid SubscriptionId, ChangeRequestKind Kind, int? Quantity = null, string? Note = null);

    /// <summary>Why the seller refuses: the customer reads it.</summary>
    public sealed record RefusalBody(string Reason);

    /// <summary>An approval previewed: the request, and its change as it would be done now.</summary>
    public sealed record ApprovalPreview(ChangeRequestView Request, ActionPreview? Preview);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/requests", ListAsync)
            .WithTags("Requests")
            .WithSummary("List customers' requests")
            .WithDescription("The requests of the partner's customers (a distributor's include its resellers'), newest first: status=waiting (the default) or all; limit 1–500, default 100.");
        api.MapPost("/requests/{id:guid}/approve/preview", async (Guid id, LifecycleServices services, HttpContext http) =>
                (await DecideChangeRequest.PreviewAsync(services, id, CurrentCaller.Actor(http), http.RequestAborted)) switch
                {
                    { IsSuccess: true, Value: var (request, preview) } => (Results<Ok<ApprovalPreview>, ProblemHttpResult>)TypedResults.Ok(new ApprovalPreview(request, preview)),
                    var refused => refused.Error.ToProblem(),
                })
            .WithTags("Requests")
            .WithSummary("Preview approving a request")
            .WithDescription("The request and its change previewed as it would be done now (the window may have moved since it was sent). Writes nothing.");
        api.MapPost("/requests/{id:guid}/approve", async (Guid id, LifecycleServices services, HttpContext http) =>
                (await DecideChangeRequest.ApproveAsync(services, id, CurrentCaller.Actor(http), http.RequestAborted)).ToResult())
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Operations)
            .WithTags("Requests")
            .WithSummary("Approve a request")
            .WithDescription("Carries the change out in Partner Center once, under request ids derived from the request; a request decided already is request.decided. Needs an Idempotency-Key.");
        api.MapPost("/requests/{id:guid}/refuse", async (Guid id, RefusalBody body, CommerceDb db, TimeProvider time, HttpContext http) =>
                (await DecideChangeRequest.RefuseAsync(db, time, id, body.Reason, CurrentCaller.Actor(http), http.RequestAborted)).ToResult())
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Operations)
            .WithTags("Requests")
            .WithSummary("Refuse a request")
            .WithDescription($"Refuses a waiting request with a reason of 1 to {DecideChangeRequest.MaxReason} characters, which the customer reads. Needs an Idempotency-Key.");

        api.MapGet("/customers/{id:guid}/requests", ListOfCustomerAsync)
            .AllowCustomerUsers()
            .WithTags("Requests")
            .WithSummary("A customer's requests")
            .WithDescription("Every request of the customer, newest first, with what came of each; limit 1–500, default 100. Open to the customer's own users.");
        api.MapPost("/customers/{id:guid}/requests/preview", (Guid id, ChangeRequestBody body, LifecycleServices services, HttpContext http) => SendAsync(id, body, services, http, preview: true))
            .AllowCustomerUsers()
            .WithTags("Requests")
            .WithSummary("Preview a request")
            .WithDescription("What the change would do under Microsoft's rules, and whether the seller's policy applies it at once: as the customer's user will see it, to them and to the seller's staff. Writes nothing.");
        api.MapPost("/customers/{id:guid}/requests", (Guid id, ChangeRequestBody body, LifecycleServices services, HttpContext http) => SendAsync(id, body, services, http, preview: false))
            .RequireIdempotencyKey()
            .AllowCustomerUsers()
            .WithTags("Requests")
            .WithSummary("Send a request")
            .WithDescription("A customer's user asks its seller for the change: it waits for the seller, or applies at once within the seller's policy. The Idempotency-Key is the request's: the same key again is the same request. Only a customer's users send requests.");
    }

    private static async Task<Results<Ok<List<ChangeRequestView>>, ProblemHttpResult>> ListAsync(string? status, string? limit, CommerceDb db, CancellationToken cancellationToken)
    {
        var shown = Query.OneOf(status, nameof(status), "waiting", "waiting", "all");
        var take = Query.WholeNumber(limit, nameof(limit), 100, 1, 500);
        return (shown.Error ?? take.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(await ChangeRequests.ListAsync(db, waitingOnly: shown.Value == "waiting", customerId: null, take.Value, cancellationToken));
    }

    private static async Task<Results<Ok<List<ChangeRequestView>>, ProblemHttpResult>> ListOfCustomerAsync(Guid id, string? limit, CommerceDb db, CancellationToken cancellationToken)
    {
        var take = Query.WholeNumber(limit, nameof(limit), 100, 1, 500);
        if (take.Error is { } error)
        {
            return error.ToProblem();
        }

        return await ChangeRequests.CustomerExistsAsync(db, id, cancellationToken)
            ? TypedResults.Ok(await ChangeRequests.ListAsync(db, waitingOnly: false, customerId: id, take.Value, cancellationToken))
            : ErrorResults.NotFound("customer", id);
    }

    /// <summary>
    /// The request previewed (by the customer's user, or by the seller's staff to see what it would be) or sent (by the
    /// customer's user only) for a subscription of the route's customer.
    /// </summary>
    private static async Task<Results<Ok<RequestAnswer>, ProblemHttpResult>> SendAsync(Guid id, ChangeRequestBody body, LifecycleServices services, HttpContext http, bool preview)
    {
        var caller = CurrentCaller.Of(http)!;
        if (!await ChangeRequests.CustomerExistsAsync(services.Db, id, http.RequestAborted))
        {
            return ErrorResults.NotFound("customer", id);
        }

        if (!await ChangeRequests.IsSubscriptionOfAsync(services.Db, id, body.SubscriptionId, http.RequestAborted))
        {
            return ErrorResults.NotFound("subscription", body.SubscriptionId);
        }

        var answer = preview
            ? await RequestChange.PreviewAsync(services, caller, body.SubscriptionId, body.Kind, body.Quantity, http.RequestAborted)
            : await RequestChange.SendAsync(services, caller, body.SubscriptionId, body.Kind, body.Quantity, body.Note, Idempotency.KeyOf(http)!, http.RequestAborted);
        return answer switch
        {
            { Error: { } error } => error.ToProblem(),
            { Request: null, Preview.Refusal: { } refusal } when !preview => refusal.ToError().ToProblem(),
            _ => TypedResults.Ok(answer),
        };
    }
}
