namespace Csp.Data;

/// <summary>What a customer asks its seller to change.</summary>
public enum ChangeRequestKind
{
    /// <summary>Seats to <see cref="ChangeRequest.Quantity"/>.</summary>
    Seats,

    /// <summary>Cancel the subscription now (within Microsoft's window).</summary>
    Cancel,
}

public enum ChangeRequestStatus
{
    /// <summary>Waiting for the seller.</summary>
    Pending,

    /// <summary>Being carried out in Partner Center: nobody else may decide it meanwhile.</summary>
    Applying,

    /// <summary>Done in Partner Center: at once (within the seller's policy) or when the seller approved it.</summary>
    Applied,

    /// <summary>The seller said no.</summary>
    Refused,

    /// <summary>Approved, but the rules or Partner Center refused it by then (a window closed, a limit): nothing was changed.</summary>
    Failed,
}

/// <summary>
/// A seat change or a cancellation a customer's user asked for in the customer portal: applied at once when the seller's
/// policy allows it (<see cref="Partner.CustomerSeatAdditionsAtOnce"/>), otherwise waiting for the seller's decision.
/// </summary>
public sealed class ChangeRequest
{
    public ChangeRequest(Guid id, Guid partnerId, Guid customerId, Guid subscriptionId, ChangeRequestKind kind, int? quantity, string? note, string requestKey, string requestedBy, DateTimeOffset requestedAt)
    {
        Id = id;
        PartnerId = partnerId;
        CustomerId = customerId;
        SubscriptionId = subscriptionId;
        Kind = kind;
        Quantity = quantity;
        Note = note;
        RequestKey = requestKey;
        RequestedBy = requestedBy;
        RequestedAt = requestedAt;
        Status = ChangeRequestStatus.Pending;
    }

    public Guid Id { get; private set; }

    /// <summary>The seller: the customer's partner, who decides.</summary>
    public Guid PartnerId { get; private set; }

    public Guid CustomerId { get; private set; }

    public Guid SubscriptionId { get; private set; }

    public ChangeRequestKind Kind { get; private set; }

    /// <summary>The seats asked for, for <see cref="ChangeRequestKind.Seats"/>.</summary>
    public int? Quantity { get; private set; }

    /// <summary>What the customer wrote to its seller.</summary>
    public string? Note { get; private set; }

    /// <summary>The key the customer's confirmation carried: the same confirmation sent twice is one request.</summary>
    public string RequestKey { get; private set; }

    public string RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public ChangeRequestStatus Status { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>What came of it, in words: Partner Center's answer, the rule that refused it, or the seller's reason.</summary>
    public string? Outcome { get; private set; }

    public void Decide(ChangeRequestStatus status, string by, DateTimeOffset at, string outcome) => (Status, DecidedBy, DecidedAt, Outcome) = (status, by, at, outcome);
}
