using System.Globalization;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using FsCheck;
using FsCheck.Xunit;

namespace Csp.Domain.Tests.Subscriptions;

/// <summary>
/// Microsoft's rules for changing a subscription (docs/microsoft/lifecycle.md, seats.md), as plain functions: each row
/// one of Microsoft's statements, with the code and the instant the rule answers.
/// </summary>
public class NceRulesTests
{
    private static readonly CancellationPolicy Week = CancellationPolicy.Default;

    private static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData(SubscriptionStatus.Active, false, null)]
    [InlineData(SubscriptionStatus.Suspended, false, "subscription.suspended")]
    [InlineData(SubscriptionStatus.Suspended, true, null)]
    [InlineData(SubscriptionStatus.Deleted, true, "subscription.not_active")]
    [InlineData(SubscriptionStatus.Expired, false, "subscription.not_active")]
    [InlineData(SubscriptionStatus.Pending, false, "subscription.not_active")]
    [InlineData(SubscriptionStatus.Disabled, false, "subscription.not_active")]
    public void InService_AnswersWithMicrosoftsRefusalForEachStatus(SubscriptionStatus status, bool allowSuspended, string? code) =>
        Assert.Equal(code, NceRules.InService("Contoso E3", status, "change seats", allowSuspended)?.Code);

    // "Licenses can be decreased only within the first seven days (168 hours) of when the seats were added … whether it
    // was at the initial purchase, on renewal, or at midterm": 5 bought at 10:00 on 1 December, 4 added at 12:00 on 6 December.
    [Theory]
    [InlineData("2026-12-07T09:00:00Z", 9, null, null)]
    [InlineData("2026-12-08T09:59:59Z", 9, null, null)]
    [InlineData("2026-12-08T10:00:00Z", 4, null, null)]
    [InlineData("2026-12-08T10:00:00Z", 5, "2026-12-08T10:00:00Z", "subscription.seat_reduction_window_closed")]
    [InlineData("2026-12-13T11:59:59Z", 4, null, null)]
    [InlineData("2026-12-13T12:00:00Z", 1, "2026-12-13T12:00:00Z", "subscription.seat_reduction_window_closed")]
    public void SeatReduction_EachSeatHasTheWindowOfItsAddition_NewestFirst(string at, int seats, string? allowedUntil, string? code)
    {
        SeatAddition[] additions = [new(5, Utc("2026-12-01T10:00:00Z")), new(4, Utc("2026-12-06T12:00:00Z"))];

        var error = NceRules.SeatReduction("Contoso E3", Week, additions, 9, seats, Utc(at));

        Assert.Equal(code, error?.Code);
        Assert.Equal(allowedUntil is null ? null : Utc(allowedUntil), error?.AllowedUntil);
    }

    // "Partners can cancel their subscription with a prorated refund within the first seven days of any term"; during an
    // Extended Service Term and a trial at any time; an upgrade's seats never.
    [Theory]
    [InlineData("2026-12-08T09:59:59Z", false, false, true, null)]
    [InlineData("2026-12-08T10:00:00Z", false, false, true, "subscription.cancellation_window_closed")]
    [InlineData("2027-03-01T00:00:00Z", true, false, true, null)]
    [InlineData("2027-03-01T00:00:00Z", false, true, true, null)]
    [InlineData("2026-12-01T10:00:01Z", false, false, false, "subscription.cancellation_window_closed")]
    public void Cancellation_WithinTheWindowOfTheTermOrDuringEstOrATrial(string at, bool inEst, bool trial, bool committed, string? code)
    {
        var error = NceRules.Cancellation("Contoso E3", Week, committed ? Utc("2026-12-01T10:00:00Z") : null, Utc(at), inEst, trial, new DateOnly(2027, 11, 30));

        Assert.Equal(code, error?.Code);
        Assert.Equal(code is not null && committed ? Utc("2026-12-08T10:00:00Z") : null, error?.AllowedUntil);
    }

    [Theory]
    [InlineData(Term.P1Y, BillingPlan.Monthly, BillingPlan.Annual, false, "subscription.billing_plan_change_not_supported")]
    [InlineData(Term.P3Y, BillingPlan.Monthly, BillingPlan.Annual, false, null)]
    [InlineData(Term.P3Y, BillingPlan.Annual, BillingPlan.Monthly, false, null)]
    [InlineData(Term.P3Y, BillingPlan.Monthly, BillingPlan.Triennial, false, "subscription.billing_plan_change_not_supported")]
    [InlineData(Term.P3Y, BillingPlan.Triennial, BillingPlan.Monthly, false, "subscription.billing_plan_change_not_supported")]
    [InlineData(Term.P3Y, BillingPlan.Monthly, BillingPlan.Annual, true, "subscription.billing_plan_change_not_supported")]
    [InlineData(Term.P1M, BillingPlan.Monthly, BillingPlan.Annual, false, "subscription.billing_plan_change_not_supported")]
    public void BillingPlanChange_OnlyMonthlyAndAnnualOnAThreeYearTerm(Term term, BillingPlan from, BillingPlan to, bool trial, string? code) =>
        Assert.Equal(code, NceRules.BillingPlanChange("Contoso E3", trial, term, from, to)?.Code);

    [Theory]
    [InlineData(Term.P1Y, Term.P1Y, false, null)]
    [InlineData(Term.P1Y, Term.P3Y, false, null)]
    [InlineData(Term.P1Y, Term.P1M, false, "subscription.downgrade_not_allowed")]
    [InlineData(Term.P1Y, Term.P1Y, true, "subscription.trial_upgrade")]
    public void Upgrade_NeverToAShorterTermNorFromATrial(Term from, Term to, bool trial, string? code) =>
        Assert.Equal(code, NceRules.Upgrade("Contoso E3", trial, from, to)?.Code);

    [Fact]
    public void BillingPlanChange_WhenTheCurrentCycleRunsToTheTermEnd_WaitsForTheRenewal()
    {
        Assert.Null(NceRules.BillingPlanChangeBeforeTermEnd("Contoso E3", new DateOnly(2027, 11, 30), new DateOnly(2029, 11, 30)));
        Assert.Equal("subscription.billing_plan_change_at_term_end", NceRules.BillingPlanChangeBeforeTermEnd("Contoso E3", new DateOnly(2029, 11, 30), new DateOnly(2029, 11, 30))?.Code);
    }

    // The lifecycle's plans and the charge engine ask the same rule: for any purchase and cancellation instants, the engine
    // charges the cancellation exactly when the rule allows it, refusing it with the rule's code and instant otherwise.
    [Property(MaxTest = 300)]
    public bool Cancellation_TheEngineAndTheRuleAgreeToTheSecond(NonNegativeInt purchaseSecond, NonNegativeInt afterSeconds)
    {
        var purchasedAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(purchaseSecond.Get % 86_400);
        var at = purchasedAt.AddSeconds(afterSeconds.Get % (9 * 86_400));
        var start = BillingClock.MicrosoftDay(purchasedAt);
        var bought = new PurchasedSubscription("s1", "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", new Money(12.5m, Currency.Eur), Term.P1Y, BillingPlan.Monthly, start, 10, PurchasedAt: purchasedAt);
        var history = new ChargeHistory(Currency.Eur, new DateOnly(2027, 1, 31), [bought], [new Cancel(BillingClock.MicrosoftDay(at), "s1") { At = at }]);

        var rule = NceRules.Cancellation("s1", Week, purchasedAt, at, inExtendedServiceTerm: false, trial: false, termEnd: null);
        var engine = ChargeEngine.Run(history, ChargeRules.Default);

        return rule is null
            ? engine.IsSuccess
            : !engine.IsSuccess && engine.Error.Code == rule.Code && engine.Error.AllowedUntil == rule.AllowedUntil;
    }
}
