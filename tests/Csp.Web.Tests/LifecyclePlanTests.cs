using Csp.Commerce.Lifecycle;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;

namespace Csp.Web.Tests;

/// <summary>
/// The lifecycle's plans as plain functions — no host, no database — over a subscription each test builds: 10 seats
/// bought at 10:00 UTC on 1 December 2026 on a one-year term billed monthly.
/// </summary>
public class LifecyclePlanTests
{
    private static readonly DateTimeOffset Bought = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset WindowCloses = Bought.AddHours(168);

    private static PlanContext Context(
        DateTimeOffset now, SubscriptionStatus status = SubscriptionStatus.Active, Term term = Term.P1Y, bool trial = false, bool inEst = false)
    {
        var customer = new Customer(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Contoso", "contoso.example", "IE", "EUR", Bought);
        var start = BillingClock.MicrosoftDay(Bought);
        var s = new Csp.Data.Subscription(
            Guid.NewGuid(), customer.PartnerId, customer.Id, Guid.NewGuid(), "CFQ7TTC0LDPB", "0001", "CFQ7TTC0GZQJ", "Contoso E3", term, BillingPlan.Monthly, 10,
            start, start, NceCalendar.EndDate(start, term), Bought, status, EndOfTerm.Renew, true, 12.5m, "EUR", null, trial);
        IReadOnlyList<SubscriptionEvent> history = [SubscriptionEvent.Purchased(s, new Recorded(Bought, "test"), "bought 10 seats", 10, s.Terms)];
        var additions = SubscriptionEvent.SeatAdditionsOfTerm(history, s.TermStartedAt);
        var cancellation = CancellationPolicy.Default;
        return new PlanContext(
            s, customer, now, history, cancellation.Refundable(additions, s.Quantity, now), additions, inEst, cancellation, EstPolicy.Default, new PriceList([]),
            [new RecordedSubscription(s, history)], null);
    }

    // Seats: a reduction within 168 hours of the purchase, to the second; nothing, zero seats or a suspended subscription refused.
    [Theory]
    [InlineData(48, 8, SubscriptionStatus.Active, null)]
    [InlineData(167.99, 8, SubscriptionStatus.Active, null)]
    [InlineData(168, 8, SubscriptionStatus.Active, "subscription.seat_reduction_window_closed")]
    [InlineData(400, 12, SubscriptionStatus.Active, null)]
    [InlineData(48, 10, SubscriptionStatus.Active, "subscription.nothing_to_change")]
    [InlineData(48, 0, SubscriptionStatus.Active, "request.invalid_parameter")]
    [InlineData(48, 8, SubscriptionStatus.Suspended, "subscription.suspended")]
    [InlineData(48, 8, SubscriptionStatus.Deleted, "subscription.not_active")]
    public void ChangeSeats_IsAllowedOrRefusedByMicrosoftsRules(double hoursAfterPurchase, int quantity, SubscriptionStatus status, string? code)
    {
        var now = Bought.AddHours(hoursAfterPurchase);

        var plan = ChangeSeats.Plan(Context(now, status), quantity);

        Assert.Equal(code, plan.Refusal?.Code);
        Assert.Equal(code == "subscription.seat_reduction_window_closed" ? WindowCloses : null, plan.Refusal?.AllowedUntil);
        var change = Assert.IsType<ChangeQuantity>(Assert.Single(plan.Changes));
        Assert.Equal((quantity, now, BillingClock.MicrosoftDay(now)), (change.Quantity, change.At, change.Date));
    }

    [Fact]
    public void ChangeSeats_AnIncrease_WarnsUntilWhenTheNewSeatsCanBeReduced()
    {
        var now = Bought.AddDays(20);

        var plan = ChangeSeats.Plan(Context(now), 12);

        Assert.Contains($"these 2 seats can no longer be reduced after {now.AddHours(168):yyyy-MM-dd HH:mm} UTC", plan.Warnings[0], StringComparison.Ordinal);
    }

    // Cancel: within the window of the term; at any time in EST or during a trial; never after the window otherwise.
    [Theory]
    [InlineData(167.99, false, false, null)]
    [InlineData(168, false, false, "subscription.cancellation_window_closed")]
    [InlineData(2000, true, false, null)]
    [InlineData(200, false, true, null)]
    public void Cancel_IsAllowedWithinTheWindowOrInEstOrATrial(double hoursAfterPurchase, bool inEst, bool trial, string? code)
    {
        var plan = CancelSubscription.Plan(Context(Bought.AddHours(hoursAfterPurchase), trial: trial, inEst: inEst));

        Assert.Equal(code, plan.Refusal?.Code);
        Assert.Equal(code is null ? null : WindowCloses, plan.Refusal?.AllowedUntil);
    }

    [Theory]
    [InlineData(Term.P1Y, "annual", "subscription.billing_plan_change_not_supported")]
    [InlineData(Term.P1Y, "weekly", "request.invalid_parameter")]
    [InlineData(Term.P1Y, "monthly", "subscription.nothing_to_change")]
    public void ChangeBillingPlan_OnlyMonthlyAndAnnualOnAThreeYearTerm(Term term, string billingPlan, string code) =>
        Assert.Equal(code, ChangeBillingFrequency.Plan(Context(Bought.AddDays(3), term: term), billingPlan).Refusal?.Code);

    [Theory]
    [InlineData(SubscriptionStatus.Active, null)]
    [InlineData(SubscriptionStatus.Suspended, "subscription.suspended")]
    public void Suspend_OnlyAnActiveSubscription(SubscriptionStatus status, string? code) =>
        Assert.Equal(code, SuspendSubscription.Plan(Context(Bought.AddDays(3), status)).Refusal?.Code);

    [Theory]
    [InlineData(SubscriptionStatus.Suspended, null)]
    [InlineData(SubscriptionStatus.Active, "subscription.not_suspended")]
    public void Reactivate_OnlyASuspendedSubscription(SubscriptionStatus status, string? code) =>
        Assert.Equal(code, ReactivateSubscription.Plan(Context(Bought.AddDays(3), status)).Refusal?.Code);
}
