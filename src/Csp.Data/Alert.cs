namespace Csp.Data;

/// <summary>Why a subscription needs someone's attention.</summary>
public enum AlertKind
{
    /// <summary>The 7-day window to reduce seats or cancel closes within 24 hours.</summary>
    WindowClosing,

    /// <summary>The term ends in 30 days.</summary>
    RenewalIn30Days,

    RenewalIn7Days,

    RenewalIn1Day,

    /// <summary>The term will end in a paid Extended Service Term that nobody chose.</summary>
    EstDrift,

    /// <summary>The subscription renewed into a new term: a new 7-day window is open.</summary>
    Renewed,

    /// <summary>The subscription entered an Extended Service Term.</summary>
    EnteredEst,

    /// <summary>A customer's user asked for a change to the subscription that waits for the seller.</summary>
    CustomerRequest,
}

/// <summary>
/// Something a job found that a partner should act on. One per subscription, kind and <see cref="DueOn"/> (the day the
/// alert is about), so a job run twice for a day raises it once.
/// </summary>
public sealed class Alert
{
    public Alert(Guid partnerId, Guid customerId, Guid subscriptionId, AlertKind kind, DateOnly dueOn, DateTimeOffset? actBefore, string message, DateTimeOffset raisedAt)
    {
        PartnerId = partnerId;
        CustomerId = customerId;
        SubscriptionId = subscriptionId;
        Kind = kind;
        DueOn = dueOn;
        ActBefore = actBefore;
        Message = message;
        RaisedAt = raisedAt;
    }

    public long Id { get; private set; }

    public Guid PartnerId { get; private set; }

    public Guid CustomerId { get; private set; }

    public Guid SubscriptionId { get; private set; }

    public AlertKind Kind { get; private set; }

    /// <summary>The day the alert is about: the term's end, the renewal day, the day the window closes.</summary>
    public DateOnly DueOn { get; private set; }

    /// <summary>The last instant (exclusive) at which acting still helps, where there is one.</summary>
    public DateTimeOffset? ActBefore { get; private set; }

    public string Message { get; private set; }

    public DateTimeOffset RaisedAt { get; private set; }
}
