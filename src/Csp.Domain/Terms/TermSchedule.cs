namespace Csp.Domain.Terms;

/// <summary>The calendar of one term: its inclusive dates, its renewal date and its charge cycles, in order.</summary>
/// <remarks>
/// Built only by <see cref="NceCalendar.Schedule"/>. The cycles touch end to start and together cover
/// <see cref="Period"/> exactly. A term started on June 18, 2021, P1Y billed monthly, runs June 18, 2021 to
/// June 17, 2022, renews June 18, 2022, and its first cycle is June 18 to July 17 (30 days).
/// </remarks>
/// <param name="ShortFirstCycle">
/// For a term cut to a custom end date whose first cycle is short, the whole cycle that first one is part of: its price
/// is charged for the days the first cycle has out of this one's. Null otherwise.
/// </param>
public sealed record TermSchedule(
    DateOnly SubscriptionStartDate,
    Term Term,
    BillingPlan BillingPlan,
    BillingPeriod Period,
    IReadOnlyList<BillingPeriod> ChargeCycles,
    BillingPeriod? ShortFirstCycle = null)
{
    /// <summary>The last day of the term; Microsoft's <c>commitmentEndDate</c>, inclusive.</summary>
    public DateOnly SubscriptionEndDate => Period.End;

    /// <summary>The day the next term starts, if the subscription renews: the day after <see cref="SubscriptionEndDate"/>.</summary>
    public DateOnly RenewalDate => Period.End.AddDays(1);

    /// <summary>The charge cycle that contains <paramref name="date"/>, or null outside the term.</summary>
    public BillingPeriod? CycleOn(DateOnly date)
    {
        foreach (var cycle in ChargeCycles)
        {
            if (cycle.Contains(date))
            {
                return cycle;
            }
        }

        return null;
    }

    /// <summary>The schedule of the term that follows this one on renewal, with the same term and plan.</summary>
    public TermSchedule Next() => NceCalendar.Schedule(RenewalDate, Term, BillingPlan).Value;
}
