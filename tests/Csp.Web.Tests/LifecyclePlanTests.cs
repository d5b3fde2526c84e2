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

    /// <summary>The catalog item of Contoso E5, the upgrade target, and its one-year monthly price in Ireland.</summary>
    private const string E5 = "CFQ7TTC0LFLZ:0002:CFQ7TTC0H6N4";

    private static PlanContext Context(
        DateTimeOffset now, SubscriptionStatus status = SubscriptionStatus.Active, Term term = Term.P1Y, bool trial = false, bool inEst = false, EstPolicy? est = null, PriceList? prices = null)
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
            s, customer, now, history, cancellation.Refundable(additions, s.Quantity, now), additions, inEst, cancellation, est ?? EstPolicy.Default, prices ?? new PriceList([]),
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

    // End of term: an explicit choice for a subscription in service and out of EST; EST only for a term Microsoft's EST covers.
    [Theory]
    [InlineData(EndOfTerm.Cancel, false, null)]
    [InlineData(EndOfTerm.Est, false, null)]
    [InlineData(EndOfTerm.Renew, false, "subscription.nothing_to_change")]
    [InlineData(EndOfTerm.Cancel, true, "subscription.in_extended_service_term")]
    public void SetEndOfTerm_AnExplicitChoiceOutsideEst(EndOfTerm choice, bool inEst, string? code)
    {
        var plan = Csp.Commerce.Lifecycle.SetEndOfTerm.Plan(Context(Bought.AddDays(30), inEst: inEst), new SetEndOfTermRequest(choice), target: null);

        Assert.Equal(code, plan.Refusal?.Code);
        var change = Assert.IsType<Csp.Domain.Charges.SetEndOfTerm>(Assert.Single(plan.Changes));
        Assert.Equal((new DateOnly(2026, 12, 31), choice), (change.Date, change.EndOfTerm));
        if (code is null && choice == EndOfTerm.Cancel)
        {
            Assert.Equal("Service stops at the end of 2027-11-30 (UTC). The subscription cannot be recovered or reactivated afterwards.", plan.Warnings[0]);
        }
    }

    [Fact]
    public void SetEndOfTerm_Est_ForATermStartedBeforeMicrosoftsEligibleTerms_IsRefused()
    {
        var est = new EstPolicy(new DateOnly(2026, 5, 4), new DateOnly(2027, 1, 1));

        var plan = Csp.Commerce.Lifecycle.SetEndOfTerm.Plan(Context(Bought.AddDays(30), est: est), new SetEndOfTermRequest(EndOfTerm.Est), target: null);

        Assert.Equal("subscription.est_not_eligible", plan.Refusal?.Code);
    }

    [Fact]
    public void SetEndOfTerm_RenewWithFewerSeats_SchedulesTheNextTermAtTheRenewalDaysPrice()
    {
        var prices = new PriceList([new Price(Guid.NewGuid(), "CFQ7TTC0LDPB", "0001", "CFQ7TTC0GZQJ", "IE", "EUR", Term.P1Y, BillingPlan.Monthly, 13m, 13m, new DateOnly(2027, 12, 1), null)]);

        var plan = Csp.Commerce.Lifecycle.SetEndOfTerm.Plan(Context(Bought.AddDays(30), prices: prices), new SetEndOfTermRequest(EndOfTerm.Renew, new RenewalChanges(Quantity: 6)), target: null);

        Assert.Null(plan.Refusal);
        var next = Assert.IsType<ScheduleNextTerm>(plan.Changes[1]).Next;
        Assert.Equal((6, 13m, Term.P1Y, BillingPlan.Monthly), (next!.Quantity, next.UnitPrice.Amount, next.Term, next.BillingPlan));
    }

    // Upgrade: to a priced target, 1 to all seats, never from a trial, in EST or to a target without a price today.
    [Theory]
    [InlineData(E5, 10, false, false, true, null)]
    [InlineData(E5, 4, false, false, true, null)]
    [InlineData(E5, 11, false, false, true, "request.invalid_parameter")]
    [InlineData("not-a-catalog-item", 4, false, false, true, "request.invalid_parameter")]
    [InlineData(E5, 4, true, false, true, "subscription.trial_upgrade")]
    [InlineData(E5, 4, false, true, true, "subscription.in_extended_service_term")]
    [InlineData(E5, 4, false, false, false, "subscription.no_price")]
    public void Upgrade_IsAllowedOrRefused(string toCatalogItemId, int seats, bool trial, bool inEst, bool priced, string? code)
    {
        var prices = new PriceList(priced ? [new Price(Guid.NewGuid(), "CFQ7TTC0LFLZ", "0002", "CFQ7TTC0H6N4", "IE", "EUR", Term.P1Y, BillingPlan.Monthly, 36m, 36m, new DateOnly(2026, 1, 1), null)] : []);
        var target = CatalogItem.TryParse(toCatalogItemId) is { } item ? (item.ProductId, item.SkuId, item.AvailabilityId) : ((string, string, string)?)null;
        var now = Bought.AddDays(30);

        var plan = UpgradeSubscription.Plan(Context(now, trial: trial, inEst: inEst, prices: prices), new UpgradeRequest(toCatalogItemId, seats), target, "Contoso E5", into: null, eligibility: null);

        Assert.Equal(code, plan.Refusal?.Code);
        if (code is null)
        {
            var upgrade = Assert.IsType<Upgrade>(Assert.Single(plan.Changes));
            Assert.Equal((seats, 36m, now, false), (upgrade.Quantity, upgrade.Target.UnitPrice.Amount, upgrade.At, upgrade.TargetExists));
            Assert.Equal(
                seats == 10
                    ? "All 10 seats become Contoso E5; the subscription keeps its id and its term end (2027-11-30)."
                    : "4 of the 10 seats move to a new subscription of Contoso E5, ending with this one on 2027-11-30; 6 stay.",
                plan.Warnings[1]);
        }
    }

    // Order: the whole first term's charges as Microsoft posts them, and until when the purchase can be undone.
    [Theory]
    [InlineData("monthly", 12.5, 12)]
    [InlineData("annual", 150, 1)]
    public void Order_CommitsTheWholeFirstTermAndCanBeUndoneFor168Hours(string billingPlan, double unitPrice, int cycles)
    {
        var plan = billingPlan == "annual" ? BillingPlan.Annual : BillingPlan.Monthly;
        var request = new OrderRequest("CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ", "P1Y", billingPlan, 3);
        var bought = new PurchasedSubscription(
            "new", "CFQ7TTC0LDPB", "0001", "Contoso E3", new Money((decimal)unitPrice, Currency.FromCode("EUR").Value), Term.P1Y, plan, new DateOnly(2026, 12, 1), 3);

        var preview = OrderSubscription.Preview(request, bought, null, Bought, CancellationPolicy.Default, ChargeRules.Default);

        Assert.True(preview.Allowed);
        Assert.Equal(cycles, preview.MicrosoftCharges.Count);
        Assert.All(preview.MicrosoftCharges, line => Assert.Equal((3, (decimal)unitPrice * 3), (line.Quantity, line.Subtotal)));
        Assert.Equal(new CommittedValue(0m, 450m, 450m, "EUR"), preview.CommittedUntilTermEnd);
        Assert.Equal(
            "The purchase can be cancelled with a prorated refund until 2026-12-08 10:00 UTC; after that the whole term (2026-12-01 – 2027-11-30), 450.00 EUR, is owed to Microsoft.",
            Assert.Single(preview.Warnings));
    }

    [Fact]
    public void Order_Refused_ShowsTheRefusalAndNoCharges()
    {
        var request = new OrderRequest("CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ", "P1Y", "monthly", 3);

        var preview = OrderSubscription.Preview(request, null, new Error("order.no_price", "no price"), Bought, CancellationPolicy.Default, ChargeRules.Default);

        Assert.Equal((false, "order.no_price"), (preview.Allowed, preview.Refusal?.Code));
        Assert.Empty(preview.MicrosoftCharges);
    }
}
