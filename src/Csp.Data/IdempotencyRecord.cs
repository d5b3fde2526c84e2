namespace Csp.Data;

/// <summary>
/// A request made under an <c>Idempotency-Key</c>: the first one's fingerprint and, once it finished, its response, replayed
/// to every retry under the same key.
/// </summary>
/// <remarks>
/// The key is the caller's and is unique per partner. A record without a response is a request still running — or one
/// whose host died: after <see cref="LeaseExpiresAt"/> a retry may take it over, and since the Partner Center request
/// ids are derived from the key, Partner Center still carries each operation out once. Records live at least 24 hours.
/// </remarks>
public sealed class IdempotencyRecord
{
    public IdempotencyRecord(Guid partnerId, string key, string requestSha256, DateTimeOffset createdAt, DateTimeOffset leaseExpiresAt)
    {
        PartnerId = partnerId;
        Key = key;
        RequestSha256 = requestSha256;
        CreatedAt = createdAt;
        CreatedOn = Csp.Domain.BillingClock.MicrosoftDay(createdAt);
        LeaseExpiresAt = leaseExpiresAt;
    }

    public Guid PartnerId { get; private set; }

    /// <summary>The caller's <c>Idempotency-Key</c> header, at most 255 characters.</summary>
    public string Key { get; private set; }

    /// <summary>SHA-256 (hex) of the method, path and body: the same key with another request is refused.</summary>
    public string RequestSha256 { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The UTC day of <see cref="CreatedAt"/>: what old keys are forgotten by (both databases compare days).</summary>
    public DateOnly CreatedOn { get; private set; }

    /// <summary>Until when the request is taken to be still running; a retry after it takes the request over.</summary>
    public DateTimeOffset LeaseExpiresAt { get; private set; }

    /// <summary>How many times the request was taken over after its lease ran out; guards a takeover against another.</summary>
    public int Attempt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public int? StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    public string? ResponseBody { get; private set; }
}
