using Csp.Domain.Terms;
using FsCheck;
using FsCheck.Xunit;
using static Csp.Domain.Tests.Dates;

namespace Csp.Domain.Tests.Terms;

public class NceCalendarTests
{
    // Microsoft, "Billing for one-time and recurring purchases in new commerce", "Monthly term subscription
    // expiration dates on special cases": every row of both monthly-term tables (last day, day before the last).
    // Columns: order date = subscription start = charge start; subscription end = charge end; renew date.
    [Theory]
    [InlineData("2021-01-31", "2021-02-27", "2021-02-28")]
    [InlineData("2021-02-28", "2021-03-27", "2021-03-28")]
    [InlineData("2021-05-31", "2021-06-29", "2021-06-30")]
    [InlineData("2021-06-30", "2021-07-29", "2021-07-30")]
    [InlineData("2021-07-31", "2021-08-30", "2021-08-31")]
    [InlineData("2021-01-30", "2021-02-27", "2021-02-28")]
    [InlineData("2021-02-27", "2021-03-26", "2021-03-27")]
    [InlineData("2021-05-30", "2021-06-29", "2021-06-30")]
    [InlineData("2021-06-29", "2021-07-28", "2021-07-29")]
    [InlineData("2021-07-30", "2021-08-29", "2021-08-30")]
    public void Schedule_MonthlyTermBoughtAtMonthEnd_MatchesMicrosoftsTable(string orderDate, string subscriptionEnd, string renewDate)
    {
        var schedule = NceCalendar.Schedule(Date(orderDate), Term.P1M, BillingPlan.Monthly).Value;

        Assert.Equal(Date(subscriptionEnd), schedule.SubscriptionEndDate);
        Assert.Equal(Date(renewDate), schedule.RenewalDate);
        Assert.Equal(new BillingPeriod(Date(orderDate), Date(subscriptionEnd)), Assert.Single(schedule.ChargeCycles));
    }

    // The same page, "If you purchase an annual subscription with a monthly billing plan": every row of both
    // tables. Columns: subscription start, the cycle's index in the term, charge start, charge end,
    // subscription end, renew date.
    [Theory]
    [InlineData("2021-01-31", 0, "2021-01-31", "2021-02-27", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 1, "2021-02-28", "2021-03-30", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 2, "2021-03-31", "2021-04-29", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 3, "2021-04-30", "2021-05-30", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 4, "2021-05-31", "2021-06-29", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 5, "2021-06-30", "2021-07-30", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 6, "2021-07-31", "2021-08-30", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 7, "2021-08-31", "2021-09-29", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 8, "2021-09-30", "2021-10-30", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 9, "2021-10-31", "2021-11-29", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 10, "2021-11-30", "2021-12-30", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-31", 11, "2021-12-31", "2022-01-30", "2022-01-30", "2022-01-31")]
    [InlineData("2021-01-30", 0, "2021-01-30", "2021-02-26", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 1, "2021-02-27", "2021-03-29", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 2, "2021-03-30", "2021-04-28", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 3, "2021-04-29", "2021-05-29", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 4, "2021-05-30", "2021-06-28", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 5, "2021-06-29", "2021-07-29", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 6, "2021-07-30", "2021-08-29", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 7, "2021-08-30", "2021-09-28", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 8, "2021-09-29", "2021-10-29", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 9, "2021-10-30", "2021-11-28", "2022-01-29", "2022-01-30")]
    [InlineData("2021-01-30", 10, "2021-11-29", "2021-12-29", "2022-01-29", "2022-01-30")]
    // Microsoft prints this row's subscription dates as 2021-01-31 / 2022-01-30, against its own renew date and
    // the eleven rows above; the charge dates, which are what the row is about, agree with the rest.
    [InlineData("2021-01-30", 11, "2021-12-30", "2022-01-29", "2022-01-29", "2022-01-30")]
    public void Schedule_AnnualTermBilledMonthlyBoughtAtMonthEnd_MatchesMicrosoftsTable(
        string subscriptionStart, int cycle, string chargeStart, string chargeEnd, string subscriptionEnd, string renewDate)
    {
        var schedule = NceCalendar.Schedule(Date(subscriptionStart), Term.P1Y, BillingPlan.Monthly).Value;

        Assert.Equal(12, schedule.ChargeCycles.Count);
        Assert.Equal(new BillingPeriod(Date(chargeStart), Date(chargeEnd)), schedule.ChargeCycles[cycle]);
        Assert.Equal(Date(subscriptionEnd), schedule.SubscriptionEndDate);
        Assert.Equal(Date(renewDate), schedule.RenewalDate);
    }

    [Fact]
    public void Schedule_MonthlyTermBoughtJune18_RunsToJuly17AndRenewsJuly18()
    {
        var schedule = NceCalendar.Schedule(June(18, 2021), Term.P1M, BillingPlan.Monthly).Value;

        Assert.Equal(July(17, 2021), schedule.SubscriptionEndDate);
        Assert.Equal(30, schedule.ChargeCycles[0].Days);
        Assert.Equal(new BillingPeriod(July(18, 2021), August(17, 2021)), schedule.Next().Period);
    }

    [Fact]
    public void Schedule_AnnualTermPrepaidFromJune18_IsOneChargeToJune17()
    {
        var schedule = NceCalendar.Schedule(June(18, 2021), Term.P1Y, BillingPlan.Annual).Value;

        Assert.Equal(new BillingPeriod(June(18, 2021), June(17, 2022)), Assert.Single(schedule.ChargeCycles));
        Assert.Equal(June(18, 2022), schedule.RenewalDate);
    }

    // "Bought on February 21, 2022, annual term, monthly plan: first charge cycle February 21 to March 20 …
    // charge cycle days as 28 … between March 21 and April 20, 2022 … 31."
    [Fact]
    public void Schedule_AnnualTermBilledMonthlyFromFebruary21_CountsTheBuyingMonthsDays()
    {
        var cycles = NceCalendar.Schedule(February(21, 2022), Term.P1Y, BillingPlan.Monthly).Value.ChargeCycles;

        Assert.Equal(new BillingPeriod(February(21, 2022), March(20, 2022)), cycles[0]);
        Assert.Equal(28, cycles[0].Days);
        Assert.Equal(new BillingPeriod(March(21, 2022), April(20, 2022)), cycles[1]);
        Assert.Equal(31, cycles[1].Days);
    }

    // The worked examples' cycles: cancellation bought July 15 (31 days to August 14), seat count bought March 5.
    [Theory]
    [InlineData("2021-07-15", "2021-08-14", 31)]
    [InlineData("2022-03-05", "2022-04-04", 31)]
    [InlineData("2021-04-14", "2021-05-13", 30)]
    public void Schedule_MonthlyTermWorkedExamples_EndWhereMicrosoftSays(string start, string end, int days)
    {
        var cycle = Assert.Single(NceCalendar.Schedule(Date(start), Term.P1M, BillingPlan.Monthly).Value.ChargeCycles);

        Assert.Equal(new BillingPeriod(Date(start), Date(end)), cycle);
        Assert.Equal(days, cycle.Days);
    }

    // "How do I find the billing term": TermAndBillingCycle examples.
    [Theory]
    [InlineData("2021-04-15", Term.P1Y, "2022-04-14")]
    [InlineData("2021-04-14", Term.P1M, "2021-05-13")]
    [InlineData("2021-05-25", Term.P3Y, "2024-05-24")]
    public void EndDate_TermAndBillingCycleExamples_MatchMicrosoft(string start, Term term, string end)
    {
        Assert.Equal(Date(end), NceCalendar.EndDate(Date(start), term));
    }

    [Theory]
    [InlineData("2024-02-29", Term.P1M, "2024-03-28")]
    [InlineData("2024-01-31", Term.P1M, "2024-02-28")]
    [InlineData("2024-01-31", Term.P1Y, "2025-01-30")]
    [InlineData("2023-02-28", Term.P1Y, "2024-02-28")]
    [InlineData("2024-02-29", Term.P1Y, "2025-02-27")]
    [InlineData("2024-02-28", Term.P1Y, "2025-02-26")]
    [InlineData("2021-02-28", Term.P3Y, "2024-02-28")]
    public void EndDate_LeapYears_KeepTheDistanceFromMonthEndForLongTerms(string start, Term term, string end)
    {
        Assert.Equal(Date(end), NceCalendar.EndDate(Date(start), term));
    }

    [Fact]
    public void Schedule_AnnualTermBilledMonthlyFromJanuary31InALeapYear_ChargesFebruary29()
    {
        var cycles = NceCalendar.Schedule(January(31, 2024), Term.P1Y, BillingPlan.Monthly).Value.ChargeCycles;

        Assert.Equal(new BillingPeriod(January(31, 2024), February(28, 2024)), cycles[0]);
        Assert.Equal(new BillingPeriod(February(29, 2024), March(30, 2024)), cycles[1]);
    }

    [Fact]
    public void Schedule_ThreeYearTermBilledAnnually_HasThreeYearlyCycles()
    {
        var cycles = NceCalendar.Schedule(May(25, 2021), Term.P3Y, BillingPlan.Annual).Value.ChargeCycles;

        Assert.Equal(
            [new(May(25, 2021), May(24, 2022)), new(May(25, 2022), May(24, 2023)), new(May(25, 2023), May(24, 2024))],
            cycles);
    }

    [Fact]
    public void Schedule_MonthlyTermBilledAnnually_IsRefusedNamingTheBillingPlan()
    {
        var result = NceCalendar.Schedule(June(18, 2021), Term.P1M, BillingPlan.Annual);

        Assert.Equal("calendar.plan_not_offered", result.Error?.Code);
        Assert.Equal("billing", result.Error?.Parameter);
    }

    [Fact]
    public void CycleOn_ADateInTheTerm_IsTheCycleHoldingIt()
    {
        var schedule = NceCalendar.Schedule(January(31, 2021), Term.P1Y, BillingPlan.Monthly).Value;

        Assert.Equal(new BillingPeriod(March(31, 2021), April(29, 2021)), schedule.CycleOn(April(29, 2021)));
        Assert.Null(schedule.CycleOn(January(31, 2022)));
    }

    private static readonly (Term Term, BillingPlan Plan)[] EveryTermAndPlan =
    [
        .. from term in Enum.GetValues<Term>()
           from plan in Enum.GetValues<BillingPlan>()
           where term.Offers(plan)
           select (term, plan),
    ];

    private static readonly DateOnly First = January(1, 2020);
    private static readonly int Span = January(1, 2031).DayNumber - First.DayNumber;

    private static DateOnly StartFrom(NonNegativeInt offset) => First.AddDays(offset.Get % Span);

    [Property(MaxTest = 500)]
    public bool Schedule_AnyStart2020To2030_CyclesTouchAreNonEmptyAndCoverTheTerm(NonNegativeInt offset)
    {
        var start = StartFrom(offset);
        foreach (var (term, plan) in EveryTermAndPlan)
        {
            var schedule = NceCalendar.Schedule(start, term, plan).Value;
            var cycles = schedule.ChargeCycles;

            var touch = cycles.Zip(cycles.Skip(1)).All(p => p.First.End.AddDays(1) == p.Second.Start);
            var covers = cycles[0].Start == start && cycles[^1].End == schedule.SubscriptionEndDate;
            var counted = cycles.Count == term.Months() / plan.Months();
            var sized = cycles.All(c => plan switch
            {
                BillingPlan.Monthly => c.Days is >= 28 and <= 31,
                BillingPlan.Annual => c.Days is >= 364 and <= 367,
                _ => c.Days is >= 1094 and <= 1097,
            });

            if (!(touch && covers && counted && sized && cycles.Sum(c => c.Days) == schedule.Period.Days))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 500)]
    public bool Schedule_AnyStart_TermEndDoesNotDependOnTheBillingPlan(NonNegativeInt offset)
    {
        var start = StartFrom(offset);

        return Enum.GetValues<Term>().All(term =>
            Enum.GetValues<BillingPlan>().Where(plan => term.Offers(plan))
                .Select(plan => NceCalendar.Schedule(start, term, plan).Value.SubscriptionEndDate)
                .Distinct()
                .Count() == 1);
    }

    [Property(MaxTest = 500)]
    public bool Schedule_AnyStart_RenewsTheDayAfterTheEndAndTheNextTermFollows(NonNegativeInt offset)
    {
        var start = StartFrom(offset);

        return EveryTermAndPlan.All(row =>
        {
            var (term, plan) = row;
            var schedule = NceCalendar.Schedule(start, term, plan).Value;
            var next = schedule.Next();
            return schedule.RenewalDate == schedule.SubscriptionEndDate.AddDays(1)
                && next.SubscriptionStartDate == schedule.RenewalDate
                && schedule.SubscriptionEndDate > start;
        });
    }

    [Property(MaxTest = 500)]
    public bool Schedule_MonthlyTermAnyStart_EndsTheDayBeforeTheSameDayNextMonth(NonNegativeInt offset)
    {
        var start = StartFrom(offset);

        return NceCalendar.EndDate(start, Term.P1M) == start.AddMonths(1).AddDays(-1);
    }

    // "Align subscription end dates": every example of the page, as the first term's end and the next term's dates.
    [Theory]
    [InlineData("2022-07-01", Term.P3Y, "2024-10-01", "2027-10-01")] // three years, coterminous with a one-year term ending October 1, 2022
    [InlineData("2022-07-01", Term.P3Y, "2022-10-01", "2025-10-01")] // three years, coterminous with a three-year term ending October 1, 2022
    [InlineData("2022-07-15", Term.P3Y, "2025-06-30", "2028-06-30")] // three years, calendar month
    [InlineData("2022-07-01", Term.P1Y, "2022-10-01", "2023-10-01")] // one year, coterminous
    [InlineData("2022-07-15", Term.P1Y, "2023-06-30", "2024-06-30")] // one year, calendar month
    [InlineData("2022-07-15", Term.P1M, "2022-07-31", "2022-08-31")] // one month, calendar month
    public void Schedule_CustomTermEndDate_EndsThereAndTheNextTermIsWhole(string start, Term term, string end, string nextEnd)
    {
        var schedule = NceCalendar.Schedule(Date(start), term, BillingPlan.Monthly, Date(end)).Value;

        Assert.Equal((Date(start), Date(end)), (schedule.Period.Start, schedule.Period.End));
        Assert.Equal((Date(end).AddDays(1), Date(nextEnd)), (schedule.Next().Period.Start, schedule.Next().Period.End));
    }

    // The same page's one-month coterminous example ends outside the term it describes (bought March 2, 2022, ending April
    // 2, "prorated to 27 days"; the term ends April 1): the page's own rule, "within the first term duration", refuses it.
    [Fact]
    public void Schedule_CustomTermEndDateAfterTheTermsEnd_IsRefused()
    {
        var error = NceCalendar.Schedule(March(2, 2022), Term.P1M, BillingPlan.Monthly, April(2, 2022)).Error!;

        Assert.Equal(("calendar.invalid_term_end", "customTermEndDate"), (error.Code, error.Parameter));
    }

    // Aligned with the calendar month, "the charge cycle will always align with the calendar month": the first cycle is
    // the rest of the purchase month, part of its whole month; every later one a calendar month.
    [Fact]
    public void Schedule_AnnualTermAlignedToTheCalendarMonth_ChargesCalendarMonthsAfterAShortFirstOne()
    {
        var schedule = NceCalendar.Schedule(July(15, 2022), Term.P1Y, BillingPlan.Monthly, June(30, 2023)).Value;

        Assert.Equal(12, schedule.ChargeCycles.Count);
        Assert.Equal(new BillingPeriod(July(15, 2022), July(31, 2022)), schedule.ChargeCycles[0]);
        Assert.Equal(new BillingPeriod(July(1, 2022), July(31, 2022)), schedule.ShortFirstCycle);
        Assert.Equal(new BillingPeriod(August(1, 2022), August(31, 2022)), schedule.ChargeCycles[1]);
        Assert.Equal(new BillingPeriod(June(1, 2023), June(30, 2023)), schedule.ChargeCycles[^1]);
    }

    [Property(MaxTest = 300)]
    public bool Schedule_AnyCustomTermEndDate_CyclesTouchAndCoverTheShortenedTerm(NonNegativeInt offset, NonNegativeInt cut)
    {
        var start = StartFrom(offset);

        return EveryTermAndPlan.All(row =>
        {
            var (term, plan) = row;
            var natural = NceCalendar.EndDate(start, term);
            var end = natural.AddDays(-(cut.Get % (natural.DayNumber - start.DayNumber + 1)));
            var schedule = NceCalendar.Schedule(start, term, plan, end).Value;
            var cycles = schedule.ChargeCycles;
            return cycles[0].Start == start && cycles[^1].End == end
                && cycles.Zip(cycles.Skip(1)).All(p => p.First.End.AddDays(1) == p.Second.Start && p.Second.Days > 0)
                && (schedule.ShortFirstCycle is not { } whole || (whole.End == cycles[0].End && whole.Start < start))
                && cycles.Skip(1).All(c => c.Start.Day == end.AddDays(1).Day || c.Start.Day >= 27);
        });
    }
}
