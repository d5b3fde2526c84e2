using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Csp.Commerce.Access;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain;
using Csp.Web.Http;

namespace Csp.Web.Features.Lifecycle;

/// <summary>What a confirmation in the portal came to, as the page says it; <see cref="Replayed"/> when it had been done already under its key.</summary>
/// <param name="Done">Partner Center carried the action out.</param>
/// <param name="Retry">Partner Center did not answer: the same confirmation (the same key) may be sent again.</param>
public sealed record Confirmation(bool Done, string Message, bool Replayed = false, ActionPreview? Preview = null, bool Retry = false);

/// <summary>
/// A lifecycle action confirmed in the portal, carried out once whatever the browser does: the confirm button sends the key
/// the preview page was given, held like an API request's <c>Idempotency-Key</c> (<see cref="Idempotency.ClaimAsync"/>) — a
/// second click, a reload or a resent form answers what the first did, and Partner Center is asked with the request ids the
/// key derives, so nothing is ever bought twice.
/// </summary>
public static class ConfirmedAction
{
    /// <summary>Whom the key names a change of: kept apart from the API's requests, whose fingerprints start with a method.</summary>
    private const string Door = "portal";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A lifecycle action (or an order), confirmed: its outcome described by <paramref name="describe"/>, or why it was not done.</summary>
    /// <param name="change">What is confirmed, in words that name it whole (action, subscription and every value): another change under the same key is refused.</param>
    public static Task<Confirmation> RunAsync<TOutcome>(
        CommerceDb db, TimeProvider time, Caller caller, string key, string change, Func<ActionCaller, Task<ActionResult<TOutcome>>> act, Func<TOutcome, string> describe, CancellationToken cancellationToken)
        where TOutcome : class =>
        RunAsync(db, time, caller, key, change, async actor => await act(actor) switch
        {
            { Outcome: { } done } result => (new Confirmation(true, describe(done), Preview: result.Preview), StatusCodes.Status200OK),
            { Failure: { } failure } result => (new Confirmation(false, Refused(failure), Preview: result.Preview, Retry: failure.Error.Kind == ErrorKind.Unavailable), ErrorResults.StatusOf(failure.Error)),
            _ => throw new InvalidOperationException("An action answers an outcome or a failure."),
        }, cancellationToken);

    /// <summary>
    /// Any confirmed change: <paramref name="act"/> carries it out with the caller and the key's request ids, and answers what
    /// to say and the status it stands for (as the API would answer it: kept when 2xx or 409, released otherwise).
    /// </summary>
    /// <param name="role">The role the change needs besides admin, as its API route requires it.</param>
    public static async Task<Confirmation> RunAsync(
        CommerceDb db, TimeProvider time, Caller caller, string key, string change, Func<ActionCaller, Task<(Confirmation Answer, int Status)>> act, CancellationToken cancellationToken,
        AccessRole role = AccessRole.Operations)
    {
        if (RoleRefusal(caller, role) is { } refusal)
        {
            return new(false, refusal);
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Door} {change}")));
        var claim = await Idempotency.ClaimAsync(db, time, caller.PartnerId, key, fingerprint, cancellationToken);
        switch (claim)
        {
            case { State: Idempotency.KeyState.Reused }:
                return new(false, "This confirmation was given for another change. Preview the change again and confirm it from there.");
            case { State: Idempotency.KeyState.InProgress }:
                return new(false, "This change is still being carried out. Reload the page in a moment to see it done.");
            case { State: Idempotency.KeyState.Completed, Held.ResponseBody: { } body }:
                return JsonSerializer.Deserialize<Confirmation>(body, Json)! with { Replayed = true };
        }

        (Confirmation Answer, int Status) result;
        try
        {
            result = await act(new ActionCaller(caller.Actor, key, step => Idempotency.RequestId(caller.PartnerId, key, step)));
        }
        catch
        {
            await Idempotency.ReleaseAsync(db, caller.PartnerId, key);
            throw;
        }

        if (Idempotency.Kept(result.Status))
        {
            await Idempotency.CompleteAsync(db, caller.PartnerId, key, result.Status, "application/json", JsonSerializer.Serialize(result.Answer with { Preview = null }, Json), time.GetUtcNow());
        }
        else
        {
            await Idempotency.ReleaseAsync(db, caller.PartnerId, key);
        }

        return result.Answer;
    }

    /// <summary>Why <paramref name="caller"/> may not make a change that needs <paramref name="role"/>, in words; null when it may.</summary>
    public static string? RoleRefusal(Caller caller, AccessRole role) =>
        caller.Holds(role) ? null : $"This needs the {role.ToString().ToLowerInvariant()} role (or admin); {caller.Actor} has {caller.Role.ToString().ToLowerInvariant()}. Nothing was changed.";

    /// <summary>A use case's result as a confirmation: what <paramref name="describe"/> says of it, or its error, with the status the API would answer.</summary>
    public static (Confirmation Answer, int Status) Answer<T>(Result<T> result, Func<T, string> describe) =>
        result.IsSuccess ? (new Confirmation(true, describe(result.Value)), StatusCodes.Status200OK) : (new Confirmation(false, result.Error.Message), ErrorResults.StatusOf(result.Error));

    /// <summary>A failure as the page says it: the rule's words, and Microsoft's code and the request id to quote to Microsoft.</summary>
    public static string Refused(ActionFailure failure) =>
        failure.Error.Message
        + (failure.MicrosoftCode is { } code ? $" (Partner Center's code {code})" : "")
        + (failure.MicrosoftRequestId is { } id ? $" — MS-RequestId {id}" : "")
        + (failure.Error.Kind == ErrorKind.Unavailable ? " Nothing was changed; confirm again to retry: it is sent under the same request ids." : "");
}
