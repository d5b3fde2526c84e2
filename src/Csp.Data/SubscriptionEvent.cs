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

/// <summary>Who recorded an event, when Partner Center confirmed the change (UTC), and the <c>MS-RequestId</c> of the write, if the platform made it.</summary>
public readonly record struct Recorded(DateTimeOffset At, string Actor, Guid? MicrosoftRequestId = null);

/// <summary>
/// One confirmed change to a subscription: the source of truth every figure is derived from. Append-only:
/// CommerceDb refuses to update or delete one; a correction is a new event. Made by the named factories, one per kind,
/// each taking what that kind records.
/// </summary>
public sealed class SubscriptionEvent
{
    /// <summary>Bought, with <paramref name="quantity"/> seats on <paramref name="terms"/> (null for a usage-based plan).</summary>
    public static SubscriptionEvent Purchased(Subscription s, Recorded by, string change, int quantity, SubscriptionTerms? terms = null) =>
        new(s, by, SubscriptionEventKind.Purchased, change, quantityAfter: quantity, termsAfter: terms);

    /// <summary>A new term began, with <paramref name="after"/> seats.</summary>
    public static SubscriptionEvent Renewed(Subscription s, Recorded by, string change, int before, int after) =>
        new(s, by, SubscriptionEventKind.Renewed, change, before, after);

    /// <summary>The term ended into a paid Extended Service Term, month to month.</summary>
    public static SubscriptionEvent EnteredExtendedServiceTerm(Subscription s, Recorded by, string change, int before, int after) =>
        new(s, by, SubscriptionEventKind.EnteredExtendedServiceTerm, change, before, after);

    public static SubscriptionEvent QuantityChanged(Subscription s, Recorded by, string change, int before, int after) =>
        new(s, by, SubscriptionEventKind.QuantityChanged, change, before, after);

    /// <summary>The term ended without renewal or Extended Service Term.</summary>
    public static SubscriptionEvent Expired(Subscription s, Recorded by, string change) => new(s, by, SubscriptionEventKind.Expired, change);

    public static SubscriptionEvent StatusChanged(Subscription s, Recorded by, string change, SubscriptionStatus after) =>
        new(s, by, SubscriptionEventKind.StatusChanged, change, statusAfter: after);

    /// <summary>The end-of-term decision: <paramref name="after"/>, or none (auto-renew off without one: the path into EST).</summary>
    public static SubscriptionEvent EndOfTermChanged(Subscription s, Recorded by, string change, EndOfTerm? after) =>
        new(s, by, SubscriptionEventKind.EndOfTermChanged, change, endOfTermAfter: after);

    /// <summary>Changes scheduled for the renewal, or (null) the schedule removed.</summary>
    public static SubscriptionEvent RenewalScheduled(Subscription s, Recorded by, string change, RenewalSchedule? after) =>
        new(s, by, SubscriptionEventKind.RenewalScheduled, change, scheduledRenewalAfter: after);

    /// <summary>Billed on <paramref name="after"/>'s plan and price from the next charge cycle.</summary>
    public static SubscriptionEvent BillingPlanChanged(Subscription s, Recorded by, string change, SubscriptionTerms before, SubscriptionTerms after) =>
        new(s, by, SubscriptionEventKind.BillingPlanChanged, change, termsBefore: before, termsAfter: after);

    /// <summary>
    /// Seats upgraded to <paramref name="termsAfter"/>'s product: into <paramref name="into"/> (this subscription itself
    /// when all seats moved and it kept its id), leaving <paramref name="after"/> seats here.
    /// </summary>
    public static SubscriptionEvent Upgraded(Subscription s, Recorded by, string change, int before, int after, SubscriptionTerms termsBefore, SubscriptionTerms termsAfter, Guid into) =>
        new(s, by, SubscriptionEventKind.Upgraded, change, before, after, termsBefore: termsBefore, termsAfter: termsAfter, relatedSubscriptionId: into);

    /// <summary>Seats arrived by an upgrade of <paramref name="from"/>, whose <see cref="SubscriptionEventKind.Upgraded"/> event charges them.</summary>
    public static SubscriptionEvent UpgradeReceived(Subscription target, Recorded by, string change, int before, int after, Guid from) =>
        new(target, by, SubscriptionEventKind.UpgradeReceived, change, before, after, relatedSubscriptionId: from);

    private SubscriptionEvent(
        Subscription s,
        Recorded by,
        SubscriptionEventKind kind,
        string change,
        int? quantityBefore = null,
        int? quantityAfter = null,
        SubscriptionStatus? statusAfter = null,
        EndOfTerm? endOfTermAfter = null,
        RenewalSchedule? scheduledRenewalAfter = null,
        SubscriptionTerms? termsBefore = null,
        SubscriptionTerms? termsAfter = null,
        Guid? relatedSubscriptionId = null)
    {
        SubscriptionId = s.Id;
        PartnerId = s.PartnerId;
        OccurredAt = by.At;
        Kind = kind;
        Change = change;
        Actor = by.Actor;
        MicrosoftRequestId = by.MicrosoftRequestId;
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
