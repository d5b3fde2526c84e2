namespace Csp.Data;

/// <summary>What became of a lifecycle action: carried out by Partner Center, refused by a rule, or failed there.</summary>
public enum AuditOutcome
{
    Done,

    /// <summary>Refused by the platform before Partner Center was called, or by Partner Center itself.</summary>
    Refused,

    /// <summary>Partner Center could not be reached or answered an error that is not a business refusal.</summary>
    Failed,
}

/// <summary>
/// One lifecycle action asked of the platform — done or refused — with who asked, when, what, the subscription before and
/// after, and the request ids that tie it to the caller's retry and to Partner Center's records.
/// </summary>
public sealed class AuditEntry
{
    public AuditEntry(
        Guid partnerId,
        Guid customerId,
        Guid? subscriptionId,
        DateTimeOffset occurredAt,
        string actor,
        string action,
        AuditOutcome outcome,
        string description,
        string? code,
        string request,
        string? before,
        string? after,
        string? idempotencyKey,
        Guid? microsoftRequestId)
    {
        PartnerId = partnerId;
        CustomerId = customerId;
        SubscriptionId = subscriptionId;
        OccurredAt = occurredAt;
        Actor = actor;
        Action = action;
        Outcome = outcome;
        Description = description;
        Code = code;
        Request = request;
        Before = before;
        After = after;
        IdempotencyKey = idempotencyKey;
        MicrosoftRequestId = microsoftRequestId;
    }

    public long Id { get; private set; }

    public Guid PartnerId { get; private set; }

    public Guid CustomerId { get; private set; }

    /// <summary>The subscription acted on; for an order, the one it created (null when it was refused).</summary>
    public Guid? SubscriptionId { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>Who asked: a user, the CLI's caller, or a job.</summary>
    public string Actor { get; private set; }

    /// <summary>The action's name in the API: <c>order</c>, <c>change_seats</c>, <c>cancel</c>, <c>set_end_of_term</c>, …</summary>
    public string Action { get; private set; }

    public AuditOutcome Outcome { get; private set; }

    /// <summary>What was done or why not, in words.</summary>
    public string Description { get; private set; }

    /// <summary>The refusal's code: the platform's (<c>subscription.…</c>) or Microsoft's.</summary>
    public string? Code { get; private set; }

    /// <summary>The request as asked, as JSON.</summary>
    public string Request { get; private set; }

    /// <summary>The subscription as Partner Center held it before and after (JSON); null where there was none.</summary>
    public string? Before { get; private set; }

    public string? After { get; private set; }

    public string? IdempotencyKey { get; private set; }

    /// <summary>The <c>MS-RequestId</c> of the Partner Center write that carried the action out.</summary>
    public Guid? MicrosoftRequestId { get; private set; }
}
