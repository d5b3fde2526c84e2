namespace Csp.Domain.Terms;

/// <summary>
/// The New Commerce calendar: when a term ends, when it renews, and the charge cycles inside it.
/// </summary>
/// <remarks>
/// <para>
/// Specification: Microsoft's "Billing for one-time and recurring purchases in new commerce" (reference
/// docs/microsoft/charges.md). Every row of its month-end tables is a test. All dates are billing days; both
/// ends of a term and of a cycle are inclusive; the renewal date is the day after the term's end date.
/// </para>
/// <para>
/// <b>One-month terms</b> (the monthly-term tables): the term ends the day before the same day of the next
/// month, clamped to that month's length. Bought January 31, 2021 it ends February 27 and renews February 28;
/// bought February 28, 2021 it ends March 27; bought June 30 it ends July 29. Each renewal anchors a new term
/// on its own date, so a term bought on the 31st drifts to the 28th after February.
/// </para>
/// <para>
/// <b>One- and three-year terms</b> (the annual-term-billed-monthly tables): every cycle and the term end are
/// counted from the original anchor, never from the cycle before. An anchor on the <i>last</i> day of its month
/// keeps to the last day of every month (January 31 → February 28 → March 31 → April 30); an anchor on the
/// <i>day before the last</i> keeps to the day before the last (January 30 → February 27 → March 30 →
/// April 29). Any other anchor keeps its day of the month, clamped to the month's last day. Microsoft publishes
/// only the first two cases; the third is our choice: it agrees with every published row and with the ordinary
/// cases (June 18 → July 17; a year from June 18 ends June 17), and properties test that consecutive cycles
/// touch, none is empty, and the cycles of a term exactly cover it.
/// </para>
/// <para>
/// One row of Microsoft's annual table (the cycle starting December 30, 2021) prints the subscription start as
/// January 31, 2021 and its end as January 30, 2022, against January 30, 2021 and January 29, 2022 in the eleven
/// rows above it and in the table's own renew date; we follow the eleven rows and treat that one as a typo.
/// </para>
/// <para>
/// <b>Custom term end dates</b> ("Align subscription end dates": coterminosity, or alignment to the calendar month): a
/// first term may end before its calendar end, on any day within it. Its charge cycles are then counted back from the
/// day after that end — the renewal date — so that they end where the term ends ("align your charge cycle with a
/// calendar month"), and the first cycle is the part of a whole cycle the term still covers, charged by its days.
/// Bought July 15, 2022 for one year to end June 30, 2023 and billed monthly: July 15–31 (17 of 31 days), then August
/// 1–31 and every calendar month to June 30. Renewals run whole terms from the renewal date.
/// </para>
/// </remarks>
public static class NceCalendar
{
    /// <summary>The last day a term may start: the longest term, and the renewal after it, still end within <see cref="DateOnly.MaxValue"/>.</summary>
    public static readonly DateOnly LatestStart = DateOnly.MaxValue.AddYears(-4);

    /// <summary>The first day a term cut to a custom end may start: its cycles are counted back up to three years before it.</summary>
    private static readonly DateOnly EarliestCoterminousStart = DateOnly.MinValue.AddYears(4);

    /// <summary>
    /// The whole calendar of one term started on <paramref name="start"/>, ending on its calendar end or on
    /// <paramref name="customEnd"/> when that is earlier (see the remarks).
    /// </summary>
    public static Result<TermSchedule> Schedule(DateOnly start, Term term, BillingPlan plan, DateOnly? customEnd = null)
    {
        if (!term.Offers(plan))
        {
            return new Error(
                "calendar.plan_not_offered",
                $"A {term} term cannot be billed {plan.ToMicrosoft()}: one charge would cover more than the term.",
                ErrorKind.Invalid,
                "billing");
        }

        if (start > LatestStart)
        {
            return new Error(
                "calendar.date_out_of_range",
                $"A term starting on {start:yyyy-MM-dd} would end past the last day the calendar has; terms start on or before {LatestStart:yyyy-MM-dd}.",
                ErrorKind.Invalid,
                "start");
        }

        var renewal = MonthsAfter(start, term.Months(), term);
        if (customEnd is { } end && end != renewal.AddDays(-1))
        {
            return end < start || end > renewal.AddDays(-1) || start < EarliestCoterminousStart
                ? new Error(
                    "calendar.invalid_term_end",
                    $"A custom term end date must fall within the first {term} term, {start:yyyy-MM-dd} to {renewal.AddDays(-1):yyyy-MM-dd}; {end:yyyy-MM-dd} does not.",
                    ErrorKind.Invalid,
                    "customTermEndDate")
                : Coterminous(start, term, plan, end);
        }

        var cycleMonths = plan.Months();
        var cycles = new List<BillingPeriod>(term.Months() / cycleMonths);
        for (var months = 0; months < term.Months(); months += cycleMonths)
        {
            cycles.Add(new BillingPeriod(
                MonthsAfter(start, months, term),
                MonthsAfter(start, months + cycleMonths, term).AddDays(-1)));
        }

        return new TermSchedule(start, term, plan, new BillingPeriod(start, renewal.AddDays(-1)), cycles);
    }

    /// <summary>
    /// The calendar of a term started on <paramref name="start"/> as Partner Center reports it, ending on
    /// <paramref name="end"/>: cut there when that is a custom end within the term, the calendar's own otherwise.
    /// </summary>
    public static Result<TermSchedule> Reported(DateOnly start, Term term, BillingPlan plan, DateOnly? end) =>
        Schedule(start, term, plan, end) is { IsSuccess: true } cut ? cut : Schedule(start, term, plan);

    /// <summary>A first term cut to end on <paramref name="end"/>: cycles counted back from the renewal date, the first one short.</summary>
    private static TermSchedule Coterminous(DateOnly start, Term term, BillingPlan plan, DateOnly end)
    {
        var renewal = end.AddDays(1);
        var cycles = new List<BillingPeriod>();
        BillingPeriod whole;
        var back = 0;
        do
        {
            back += plan.Months();
            whole = new BillingPeriod(MonthsAfter(renewal, -back, term), MonthsAfter(renewal, plan.Months() - back, term).AddDays(-1));
            cycles.Add(whole.Start < start ? new BillingPeriod(start, whole.End) : whole);
        }
        while (whole.Start > start);

        cycles.Reverse();
        return new TermSchedule(start, term, plan, new BillingPeriod(start, end), cycles, whole.Start < start ? whole : null);
    }

    /// <summary>The inclusive end date of a term of <paramref name="term"/> started on <paramref name="start"/>.</summary>
    public static DateOnly EndDate(DateOnly start, Term term) => MonthsAfter(start, term.Months(), term).AddDays(-1);

    /// <summary>
    /// The date <paramref name="months"/> calendar months after <paramref name="anchor"/>, by the rule of
    /// <paramref name="term"/> (see the remarks on <see cref="NceCalendar"/>).
    /// </summary>
    public static DateOnly MonthsAfter(DateOnly anchor, int months, Term term)
    {
        var plain = anchor.AddMonths(months);
        if (term == Term.P1M)
        {
            return plain;
        }

        var daysFromMonthEnd = DaysInMonth(anchor) - anchor.Day;
        return daysFromMonthEnd switch
        {
            0 or 1 => new DateOnly(plain.Year, plain.Month, DaysInMonth(plain) - daysFromMonthEnd),
            _ => plain,
        };
    }

    private static int DaysInMonth(DateOnly date) => DateTime.DaysInMonth(date.Year, date.Month);
}
