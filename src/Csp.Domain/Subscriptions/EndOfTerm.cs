namespace Csp.Domain.Subscriptions;

/// <summary>The explicit decision for what happens when a term ends; never a bare auto-renew flag.</summary>
public enum EndOfTerm
{
    /// <summary>Renew into a new term, as is or with scheduled changes.</summary>
    Renew,

    /// <summary>Cancel at the end of the term (Partner Center scheduled action <c>Cancel</c>, schedule <c>TermEnd</c>).</summary>
    Cancel,

    /// <summary>Continue month to month in a paid Extended Service Term (<c>RenewToExtendedServiceTerm</c>).</summary>
    Est,
}

/// <summary>What will actually happen at the end of a term.</summary>
public enum EndOfTermOutcome
{
    Renew,
    Cancel,

    /// <summary>A paid Extended Service Term, month to month, at the monthly-term price plus the uplift.</summary>
    ExtendedServiceTerm,

    /// <summary>The subscription expires; before EST enforcement, with Microsoft's free grace period.</summary>
    Expire,
}

/// <summary>
/// What happens at the end of a term, and whether somebody decided it (<paramref name="Explicit"/>) or it
/// follows from Microsoft's defaults. An implicit <see cref="EndOfTermOutcome.ExtendedServiceTerm"/> is EST drift.
/// </summary>
public sealed record EndOfTermPath(EndOfTermOutcome Outcome, bool Explicit)
{
    /// <summary>True when the subscription will enter a paid Extended Service Term without anybody having chosen it.</summary>
    public bool DriftsIntoEst => Outcome == EndOfTermOutcome.ExtendedServiceTerm && !Explicit;
}

/// <summary>Microsoft's Extended Service Term rules, with the dates as settings (docs/microsoft/extended-service-term.md).</summary>
/// <param name="EnforcedFrom">Terms ending on or after this day enter EST when nothing else was decided (2026-05-04).</param>
/// <param name="EligibleTermsStartingFrom">Only terms purchased or renewed on or after this day are eligible (2025-04-01).</param>
public sealed record EstPolicy(DateOnly EnforcedFrom, DateOnly EligibleTermsStartingFrom)
{
    public static EstPolicy Default { get; } = new(new DateOnly(2026, 5, 4), new DateOnly(2025, 4, 1));

    /// <summary>
    /// The end-of-term path of a term running <paramref name="termStart"/> to <paramref name="termEnd"/>.
    /// With no explicit <paramref name="choice"/>, Partner Center's auto-renew flag decides: on renews; off
    /// enters EST when the term is eligible (Microsoft converts auto-renew-off without a <c>Cancel</c> scheduled
    /// action within 24 hours), and otherwise expires.
    /// </summary>
    public EndOfTermPath PathFor(EndOfTerm? choice, bool autoRenewEnabled, DateOnly termStart, DateOnly termEnd) => choice switch
    {
        EndOfTerm.Renew => new(EndOfTermOutcome.Renew, true),
        EndOfTerm.Cancel => new(EndOfTermOutcome.Cancel, true),
        EndOfTerm.Est => new(EndOfTermOutcome.ExtendedServiceTerm, true),
        null when autoRenewEnabled => new(EndOfTermOutcome.Renew, false),
        null when IsEligible(termStart, termEnd) => new(EndOfTermOutcome.ExtendedServiceTerm, false),
        _ => new(EndOfTermOutcome.Expire, false),
    };

    /// <summary>
    /// The path of a subscription in <paramref name="status"/>: a subscription still suspended when its term ends expires
    /// and its data is deleted (Microsoft: "all data … is deleted if the subscription isn't reactivated by the end of the
    /// subscription's term"), whatever was decided; otherwise <see cref="PathFor(EndOfTerm?, bool, DateOnly, DateOnly)"/>.
    /// </summary>
    public EndOfTermPath PathFor(SubscriptionStatus status, EndOfTerm? choice, bool autoRenewEnabled, DateOnly termStart, DateOnly termEnd) =>
        status == SubscriptionStatus.Suspended ? new(EndOfTermOutcome.Expire, false) : PathFor(choice, autoRenewEnabled, termStart, termEnd);

    /// <summary>Whether a term running <paramref name="termStart"/> to <paramref name="termEnd"/> can enter EST.</summary>
    public bool IsEligible(DateOnly termStart, DateOnly termEnd) =>
        termStart >= EligibleTermsStartingFrom && termEnd >= EnforcedFrom;
}
