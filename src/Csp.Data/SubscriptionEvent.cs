using Csp.Domain.Subscriptions;

namespace Csp.Data;

/// <summary>What happened to a subscription.</summary>
public enum SubscriptionEventKind
{
    Purchased,
    Renewed,
    QuantityChanged,
    StatusChanged,
    EndOfTermChanged,
    BillingPlanChanged,
    Upgraded,

    /// <summary>Changes scheduled for the renewal, or the schedule removed.</summary>
    RenewalScheduled,
    EnteredExtendedServiceTerm,
    Expired,

    /// <summary>Seats arrived by an upgrade of another subscription (the source's <see cref="Upgraded"/> event charges them).</summary>
    UpgradeReceived,
}

/// <summary>
/// One confirmed change to a subscription: the source of truth every figure is derived from. Append-only:
/// CommerceDb refuses to update or delete one; a correction is a new event.
/// </summary>
public sealed class SubscriptionEvent
{
    public SubscriptionEvent(
        Guid subscriptionId,
        Guid partnerId,
        DateTimeOffset occurredAt,
        SubscriptionEventKind kind,
        string change,
        string actor,
        Guid? microsoftRequestId,
        int? quantityBefore = null,
        int? quantityAfter = null,
        SubscriptionStatus? statusAfter = null,
        EndOfTerm? endOfTermAfter = null,
        RenewalSchedule? scheduledRenewalAfter = null,
        SubscriptionTerms? termsBefore = null,
        SubscriptionTerms? termsAfter = null,
        Guid? relatedSubscriptionId = null)
    {
        SubscriptionId = subscriptionId;
        PartnerId = partnerId;
        OccurredAt = occurredAt;
        Kind = kind;
        Change = change;
        Actor = actor;
        MicrosoftRequestId = microsoftRequestId;
        QuantityBefore = quantityBefore;
        QuantityAfter = quantityAfter;
        StatusAfter = statusAfter;
        EndOfTermAfter = endOfTermAfter;
        ScheduledRenewalAfter = scheduledRenewalAfter;
        TermsBefore = termsBefore;
        TermsAfter = termsAfter;
        RelatedSubscriptionId = relatedSubscriptionId;
    }

    /// <summary>For EF Core, which cannot bind the owned <see cref="ScheduledRenewalAfter"/> through a constructor.</summary>
    private SubscriptionEvent()
    {
        Change = "";
        Actor = "";
    }

    /// <summary>Increasing in the order events were recorded.</summary>
    public long Id { get; private set; }

    public Guid SubscriptionId { get; private set; }

    public Guid PartnerId { get; private set; }

    /// <summary>When Partner Center confirmed the change (UTC).</summary>
    public DateTimeOffset OccurredAt { get; private set; }

    public SubscriptionEventKind Kind { get; private set; }

    /// <summary>What changed, before and after, in words: "quantity 10 → 15", "end of term: cancel".</summary>
    public string Change { get; private set; }

    /// <summary>Who made the change: a user, a job, or "Partner Center" for a change found there.</summary>
    public string Actor { get; private set; }

    /// <summary>The <c>MS-RequestId</c> of the Partner Center call that made the change, when we made it.</summary>
    public Guid? MicrosoftRequestId { get; private set; }

    public int? QuantityBefore { get; private set; }

    public int? QuantityAfter { get; private set; }

    /// <summary>The status the subscription moved to, on a <see cref="SubscriptionEventKind.StatusChanged"/> event.</summary>
    public SubscriptionStatus? StatusAfter { get; private set; }

    /// <summary>
    /// The end-of-term decision made, on an <see cref="SubscriptionEventKind.EndOfTermChanged"/> event; null when the event
    /// records auto-renew turned off without a decision (the path into EST).
    /// </summary>
    public EndOfTerm? EndOfTermAfter { get; private set; }

    /// <summary>The changes scheduled for the renewal, on a <see cref="SubscriptionEventKind.RenewalScheduled"/> event; null when removed.</summary>
    public RenewalSchedule? ScheduledRenewalAfter { get; private set; }

    /// <summary>The terms the event replaced, on an <see cref="SubscriptionEventKind.Upgraded"/> or <see cref="SubscriptionEventKind.BillingPlanChanged"/> event.</summary>
    public SubscriptionTerms? TermsBefore { get; private set; }

    /// <summary>
    /// The terms bought (<see cref="SubscriptionEventKind.Purchased"/>), switched to (<see cref="SubscriptionEventKind.BillingPlanChanged"/>),
    /// or of the upgrade's target (<see cref="SubscriptionEventKind.Upgraded"/>).
    /// </summary>
    public SubscriptionTerms? TermsAfter { get; private set; }

    /// <summary>
    /// On an upgrade, the other side: the target on the source's <see cref="SubscriptionEventKind.Upgraded"/> event (this
    /// subscription itself after a full upgrade), the source on the target's <see cref="SubscriptionEventKind.UpgradeReceived"/>.
    /// </summary>
    public Guid? RelatedSubscriptionId { get; private set; }

    /// <summary>
    /// The seats of the term that began at <paramref name="termStartedAt"/>, by when they were added and as reduced since
    /// (<see cref="SeatAdditions"/>), from the subscription's <paramref name="events"/>.
    /// </summary>
    public static IReadOnlyList<SeatAddition> SeatAdditionsOfTerm(IEnumerable<SubscriptionEvent> events, DateTimeOffset termStartedAt)
    {
        var counts = events
            .Where(e => e.OccurredAt >= termStartedAt && e.QuantityAfter is not null
                && e.Kind is SubscriptionEventKind.Purchased or SubscriptionEventKind.Renewed or SubscriptionEventKind.QuantityChanged)
            .OrderBy(e => e.OccurredAt)
            .ThenBy(e => e.Id)
            .ToList();

        // A term whose start has no event of its own (an Extended Service Term's month) held, from its start, the seats its first change began with.
        var start = counts is [{ Kind: SubscriptionEventKind.QuantityChanged, QuantityBefore: { } before }, ..] ? [(termStartedAt, before)] : Array.Empty<(DateTimeOffset, int)>();
        return SeatAdditions.Replay(start.Concat(counts.Select(e => (e.OccurredAt, e.QuantityAfter!.Value))));
    }
}
