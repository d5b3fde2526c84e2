using System.Globalization;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using FsCheck;
using FsCheck.Xunit;
using static Csp.Domain.Tests.Dates;

namespace Csp.Domain.Tests.Charges;

/// <summary>
/// Microsoft's worked examples from "Billing for one-time and recurring purchases in new commerce" (docs/microsoft/charges.md),
/// each asserting the value Microsoft printed, under the rounding policy with which it holds.
/// </summary>
public class ChargeEngineTests
{
    private static Money Eur(decimal amount) => new(amount, Currency.Eur);

    private static PurchasedSubscription Standard(DateOnly start, int quantity, decimal price = 10.08m, Term term = Term.P1M, BillingPlan plan = BillingPlan.Monthly) =>
        new("s1", "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", Eur(price), term, plan, start, quantity);

    private static IReadOnlyList<ChargeLine> Run(RoundingPolicy policy, DateOnly through, PurchasedSubscription[] subscriptions, params SubscriptionChange[] events) =>
        ChargeEngine.Run(new ChargeHistory(Currency.Eur, through, subscriptions, events), ChargeRules.Default with { Rounding = policy }).Value;

    private static Error Refusal(DateOnly through, PurchasedSubscription[] subscriptions, params SubscriptionChange[] events) =>
        ChargeEngine.Run(new ChargeHistory(Currency.Eur, through, subscriptions, events), ChargeRules.Default).Error!;

    private static (ChargeType, decimal, DateOnly, DateOnly, int) Row(ChargeLine line) =>
        (line.ChargeType, line.Subtotal.Amount, line.ChargeStartDate, line.ChargeEndDate, line.BillableQuantity);

    [Theory]
    [InlineData(RoundingPolicy.Documented)]
    [InlineData(RoundingPolicy.FullPrecision)]
    public void Purchase_TenSeatsOnJune18_IsOneNewLineForTheWholeCycle(RoundingPolicy policy)
    {
        var lines = Run(policy, June(30, 2021), [Standard(June(18, 2021), 10)]);

        var line = Assert.Single(lines);
        Assert.Equal((ChargeType.New, 100.8m, June(18, 2021), July(17, 2021), 10), Row(line));
        Assert.Equal(10.08m, line.EffectiveUnitPrice);
        Assert.Equal("Monthly", line.BillingFrequency);
        Assert.Equal("One-Month commitment for monthly billing", line.TermAndBillingCycle);
    }

    [Fact]
    public void Renewal_MonthlyTermBoughtJune18_RenewsOnJuly18ForTheNextMonth()
    {
        var lines = Run(RoundingPolicy.Documented, July(31, 2021), [Standard(June(18, 2021), 10)]);

        Assert.Equal((ChargeType.Renew, 100.8m, July(18, 2021), August(17, 2021), 10), Row(lines[1]));
        Assert.Equal((July(18, 2021), August(17, 2021)), (lines[1].SubscriptionStartDate, lines[1].SubscriptionEndDate));
    }

    [Fact]
    public void CycleCharge_AnnualTermBilledMonthly_ChargesEachMonthAsCycleCharge()
    {
        var lines = Run(RoundingPolicy.Documented, July(31, 2021), [Standard(June(18, 2021), 10, term: Term.P1Y)]);

        Assert.Equal((ChargeType.CycleCharge, 100.8m, July(18, 2021), August(17, 2021), 10), Row(lines[1]));
        Assert.Equal(June(17, 2022), lines[1].SubscriptionEndDate);
    }

    [Fact]
    public void Purchase_AnnualTermPrepaid_IsOneLineForTheWholeYear()
    {
        var line = Assert.Single(Run(RoundingPolicy.Documented, June(1, 2022), [Standard(June(18, 2021), 10, 120.96m, Term.P1Y, BillingPlan.Annual)]));

        Assert.Equal((ChargeType.New, 1209.6m, June(18, 2021), June(17, 2022), 10), Row(line));
        Assert.Equal((line.SubscriptionStartDate, line.SubscriptionEndDate), (line.ChargeStartDate, line.ChargeEndDate));
    }

    // "How do I differentiate between one-time and recurring payments": a one-time payment's charge dates are the
    // subscription's and its BillingFrequency is blank; recurring ones say Monthly or Annual.
    [Theory]
    [InlineData(Term.P1Y, BillingPlan.Annual, "")]
    [InlineData(Term.P3Y, BillingPlan.Triennial, "")]
    [InlineData(Term.P1Y, BillingPlan.Monthly, "Monthly")]
    [InlineData(Term.P3Y, BillingPlan.Monthly, "Monthly")]
    [InlineData(Term.P3Y, BillingPlan.Annual, "Annual")]
    [InlineData(Term.P1M, BillingPlan.Monthly, "Monthly")]
    public void BillingFrequency_OneTimePaymentsAreBlankAndRecurringOnesNamed(Term term, BillingPlan plan, string frequency)
    {
        var lines = Run(RoundingPolicy.Documented, June(18, 2021), [Standard(June(18, 2021), 10, 100m, term, plan)]);

        Assert.Equal(frequency, Assert.Single(lines).BillingFrequency);
    }

    // "How are licenses added or removed": 10 seats at 10.08 bought June 18, 12 from June 20. Microsoft prints 112.89,
    // which only truncating the full-precision product gives (the documented formula gives 9.40 × 12 = 112.80).
    [Fact]
    public void AddQuantity_TwoSeatsOnJune20_FullPrecision_RefundsTenAndChargesTwelveAsMicrosoftPrints()
    {
        var lines = Run(RoundingPolicy.FullPrecision, June(30, 2021), [Standard(June(18, 2021), 10)], new ChangeQuantity(June(20, 2021), "s1", 12));

        Assert.Equal((ChargeType.AddQuantity, -94.08m, June(20, 2021), July(17, 2021), 10), Row(lines[1]));
        Assert.Equal((ChargeType.AddQuantity, 112.89m, June(20, 2021), July(17, 2021), 12), Row(lines[2]));
        Assert.Equal((-9.408m, 9.408m), (lines[1].EffectiveUnitPrice, lines[2].EffectiveUnitPrice));
        Assert.Equal(lines[1].ReferenceId, lines[2].ReferenceId);
        Assert.NotEqual(lines[0].ReferenceId, lines[1].ReferenceId);
    }

    [Fact]
    public void AddQuantity_TwoSeatsOnJune20_Documented_TruncatesTheEffectiveUnitPriceFirst()
    {
        var lines = Run(RoundingPolicy.Documented, June(30, 2021), [Standard(June(18, 2021), 10)], new ChangeQuantity(June(20, 2021), "s1", 12));

        Assert.Equal((-94.00m, 112.80m), (lines[1].Subtotal.Amount, lines[2].Subtotal.Amount));
    }

    [Fact]
    public void RemoveQuantity_FourSeatsOnJune20_FullPrecision_MatchesMicrosoft()
    {
        var lines = Run(RoundingPolicy.FullPrecision, June(30, 2021), [Standard(June(18, 2021), 12)], new ChangeQuantity(June(20, 2021), "s1", 8));

        Assert.Equal((ChargeType.RemoveQuantity, -112.89m, June(20, 2021), July(17, 2021), 12), Row(lines[1]));
        Assert.Equal((ChargeType.RemoveQuantity, 75.26m, June(20, 2021), July(17, 2021), 8), Row(lines[2]));
    }

    // "How do I calculate the total number of seats after multiple changes": the March 2022 table, 12 EUR a seat.
    [Fact]
    public void SeatChanges_March2022Table_FullPrecision_EveryRowAsMicrosoftPrints()
    {
        var lines = Run(
            RoundingPolicy.FullPrecision,
            March(31, 2022),
            [Standard(March(5, 2022), 10, 12m)],
            new ChangeQuantity(March(7, 2022), "s1", 15),
            new ChangeQuantity(March(10, 2022), "s1", 25),
            new ChangeQuantity(March(12, 2022), "s1", 23),
            new ChangeQuantity(March(14, 2022), "s1", 20),
            new ChangeQuantity(March(25, 2022), "s1", 30));

        Assert.Equal(
            [
                (ChargeType.New, 120m, 10), (ChargeType.AddQuantity, -112.25m, 10), (ChargeType.AddQuantity, 168.38m, 15),
                (ChargeType.AddQuantity, -150.96m, 15), (ChargeType.AddQuantity, 251.61m, 25), (ChargeType.RemoveQuantity, -232.25m, 25),
                (ChargeType.RemoveQuantity, 213.67m, 23), (ChargeType.RemoveQuantity, -195.87m, 23), (ChargeType.RemoveQuantity, 170.32m, 20),
                (ChargeType.AddQuantity, -85.16m, 20), (ChargeType.AddQuantity, 127.74m, 30),
            ],
            lines.Select(l => (l.ChargeType, l.Subtotal.Amount, l.BillableQuantity)));
        Assert.All(lines, l => Assert.Equal(April(4, 2022), l.ChargeEndDate));
        Assert.Equal(12m * 29 / 31, lines[2].EffectiveUnitPrice);
    }

    // "How are the refunds calculated if I cancel within seven days": bought July 15, cancelled July 17; Microsoft prints
    // −9.42 and −94.2, the documented formula (full precision would give −94.29).
    [Fact]
    public void CancelImmediate_TwoDaysAfterPurchase_Documented_RefundsTwentyNineDaysAsMicrosoftPrints()
    {
        var lines = Run(RoundingPolicy.Documented, July(31, 2021), [Standard(July(15, 2021), 10)], new Cancel(July(17, 2021), "s1"));

        Assert.Equal((ChargeType.New, 100.8m, July(15, 2021), August(14, 2021), 10), Row(lines[0]));
        Assert.Equal((ChargeType.CancelImmediate, -94.2m, July(17, 2021), August(14, 2021), 10), Row(lines[1]));
        Assert.Equal(-10.08m * 29 / 31, lines[1].EffectiveUnitPrice);
        Assert.Equal(2, lines.Count);
    }

    private static readonly PurchasedSubscription OfficeE1 = new("s2", "CFQ7TTC0LF8R", "0001", "Office 365 E1", Eur(6.43m), Term.P1M, BillingPlan.Monthly, June(25, 2021), 0);

    // "Full upgrade": 300 seats at 10.08 bought June 18, all upgraded June 25 to Office 365 E1 at 6.43; documented formula.
    [Fact]
    public void Convert_FullUpgradeOnJune25_Documented_MatchesMicrosoftAndKeepsTheSubscriptionId()
    {
        var lines = Run(RoundingPolicy.Documented, June(30, 2021), [Standard(June(18, 2021), 300)], new Upgrade(June(25, 2021), "s1", 300, OfficeE1, TargetExists: false));

        Assert.Equal((ChargeType.New, 3024m, June(18, 2021), July(17, 2021), 300), Row(lines[0]));
        Assert.Equal((ChargeType.Convert, -2316m, June(25, 2021), July(17, 2021), 300), Row(lines[1]));
        Assert.Equal((ChargeType.Convert, 1476m, June(25, 2021), July(17, 2021), 300), Row(lines[2]));
        Assert.Equal(("s1", "s1"), (lines[1].SubscriptionId, lines[2].SubscriptionId));
        Assert.Equal(("Microsoft 365 Business Standard", "Office 365 E1"), (lines[1].ProductName, lines[2].ProductName));
        Assert.Equal(lines[1].ReferenceId, lines[2].ReferenceId);
    }

    // "Partial upgrade": 100 of the 300 seats; the target is a new subscription with its own id.
    [Fact]
    public void Convert_PartialUpgradeOnJune25_Documented_MatchesMicrosoft()
    {
        var lines = Run(RoundingPolicy.Documented, July(20, 2021), [Standard(June(18, 2021), 300)], new Upgrade(June(25, 2021), "s1", 100, OfficeE1, TargetExists: false));

        Assert.Equal((ChargeType.Convert, -772m, June(25, 2021), July(17, 2021), 100), Row(lines[1]));
        Assert.Equal((ChargeType.Convert, 492m, June(25, 2021), July(17, 2021), 100), Row(lines[2]));
        Assert.Equal("s2", lines[2].SubscriptionId);
        Assert.Contains(lines, l => l is { SubscriptionId: "s1", ChargeType: ChargeType.Renew, BillableQuantity: 200 });
        Assert.Contains(lines, l => l is { SubscriptionId: "s2", ChargeType: ChargeType.Renew, BillableQuantity: 100 });
    }

    [Fact]
    public void MoveQuantity_IntoAnExistingSubscription_RefundsTheSourceAndChargesTheMovedSeats()
    {
        var existing = OfficeE1 with { Start = June(18, 2021), Quantity = 50 };

        var lines = Run(RoundingPolicy.Documented, June(30, 2021), [Standard(June(18, 2021), 300), existing], new Upgrade(June(25, 2021), "s1", 100, existing, TargetExists: true));

        Assert.Equal((ChargeType.MoveQuantity, -772m, June(25, 2021), July(17, 2021), 100), Row(lines[2]));
        Assert.Equal((ChargeType.MoveQuantity, 492m, June(25, 2021), July(17, 2021), 100), Row(lines[3]));
    }

    // "How do I reconcile after I convert a trial": 25 Dynamics 365 Guides trial seats on June 25, converted that day at 52.61.
    [Theory]
    [InlineData(RoundingPolicy.Documented)]
    [InlineData(RoundingPolicy.FullPrecision)]
    public void Convert_TrialConvertedOnItsFirstDay_MatchesMicrosoft(RoundingPolicy policy)
    {
        var guides = new PurchasedSubscription("t1", "CFQ7TTC0KQ5T", "0001", "Dynamics 365 Guides", Eur(0m), Term.P1M, BillingPlan.Monthly, June(25, 2021), 25, Trial: true);

        var lines = Run(policy, June(30, 2021), [guides], new ConvertTrial(June(25, 2021), "t1", Eur(52.61m), Term.P1Y, BillingPlan.Monthly));

        Assert.Equal((ChargeType.New, 0m, June(25, 2021), July(24, 2021), 25), Row(lines[0]));
        Assert.Equal((ChargeType.Convert, 0m, June(25, 2021), July(24, 2021), 25), Row(lines[1]));
        Assert.Equal((ChargeType.Convert, 1315.25m, June(25, 2021), July(24, 2021), 25), Row(lines[2]));
        Assert.Equal(["Trial"], lines[0].ProductQualifiers);
        Assert.Equal(["Trial"], lines[1].ProductQualifiers);
        Assert.Empty(lines[2].ProductQualifiers);
        Assert.Equal(52.61m, lines[2].EffectiveUnitPrice);
    }

    [Fact]
    public void Trial_NotConvertedOrCancelled_ConvertsToAnnualMonthlyAfterOneMonth()
    {
        var trial = new PurchasedSubscription("t1", "CFQ7TTC0KQ5T", "0001", "Dynamics 365 Guides", Eur(52.61m), Term.P1M, BillingPlan.Monthly, June(25, 2021), 25, Trial: true);

        var lines = Run(RoundingPolicy.Documented, July(31, 2021), [trial]);

        Assert.Equal((ChargeType.Convert, 1315.25m, July(25, 2021), August(24, 2021), 25), Row(lines[1]));
        Assert.Equal(July(24, 2022), lines[1].SubscriptionEndDate);
    }

    // Microsoft's invoice line sample ("Get invoice line items", OneTime billing line items): a trial add-on bought May 20,
    // 2021, 25 seats free, "One-Month commitment for trial" to June 19 — a calendar month (31 days), not 30 days.
    [Fact]
    public void Trial_BoughtMay20_RunsOneCalendarMonthToJune19AsMicrosoftsSampleLine()
    {
        var trial = new PurchasedSubscription("t1", "CFQ7TTC0LH0R", "0002", "Microsoft 365 Phone System - Virtual User", new Money(8m, Currency.Usd), Term.P1M, BillingPlan.Monthly, May(20, 2021), 25, Trial: true);

        var lines = Run(RoundingPolicy.Documented, June(30, 2021), [trial]);

        var line = lines[0];
        Assert.Equal((ChargeType.New, 0m, May(20, 2021), June(19, 2021), 25), Row(line));
        Assert.Equal((0m, 0m, May(20, 2021), June(19, 2021)), (line.UnitPrice.Amount, line.EffectiveUnitPrice, line.SubscriptionStartDate, line.SubscriptionEndDate));
        Assert.Equal(("One-Month commitment for trial", ""), (line.TermAndBillingCycle, line.BillingFrequency));
        Assert.Equal(["Trial"], line.ProductQualifiers);
        Assert.Equal((ChargeType.Convert, June(20, 2021)), (lines[1].ChargeType, lines[1].ChargeStartDate));
    }

    // The same sample's promoted line: Power BI Premium Per User, 50 seats of a one-year term billed monthly bought May 20,
    // 2021, list price 16, a 10% promotion: UnitPrice 16, EffectiveUnitPrice 14.4, Subtotal 720, with its PromotionId.
    [Theory]
    [InlineData(RoundingPolicy.Documented)]
    [InlineData(RoundingPolicy.FullPrecision)]
    public void Promotion_PowerBiPremiumSampleLine_ShowsTheListPriceAndTheDiscountedPriceAsMicrosoftPrints(RoundingPolicy policy)
    {
        var line = Assert.Single(Run(policy, May(31, 2021), [PowerBi]));

        Assert.Equal((ChargeType.New, 720m, May(20, 2021), June(19, 2021), 50), Row(line));
        Assert.Equal((16m, 14.4m, 50), (line.UnitPrice.Amount, line.EffectiveUnitPrice, line.Quantity));
        Assert.Equal((May(20, 2021), May(19, 2022), "Monthly"), (line.SubscriptionStartDate, line.SubscriptionEndDate, line.BillingFrequency));
        Assert.Equal(("One-Year commitment for monthly/yearly billing", "78bcf906-b945-4210-8818-cfb93caf12a1"), (line.TermAndBillingCycle, line.PromotionId));
    }

    [Fact]
    public void Promotion_AppliesToSeatsAddedDuringTheTermAndEndsWithIt()
    {
        var lines = Run(RoundingPolicy.FullPrecision, June(30, 2022), [PowerBi], new ChangeQuantity(May(25, 2021), "p1", 60));

        var added = lines.Where(l => l.ChargeType == ChargeType.AddQuantity).ToList();
        Assert.Equal([-14.4m * 26 / 31, 14.4m * 26 / 31], added.Select(l => l.EffectiveUnitPrice));
        Assert.All(added, l => Assert.Equal((16m, "78bcf906-b945-4210-8818-cfb93caf12a1"), (l.UnitPrice.Amount, l.PromotionId)));
        var lastCycle = Assert.Single(lines, l => l.ChargeStartDate == April(20, 2022));
        Assert.Equal(14.4m * 60, lastCycle.Subtotal.Amount);
        var renewal = Assert.Single(lines, l => l.ChargeType == ChargeType.Renew);
        Assert.Equal((16m, 16m, 960m, null), (renewal.UnitPrice.Amount, renewal.EffectiveUnitPrice, renewal.Subtotal.Amount, renewal.PromotionId));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    [InlineData(-0.1)]
    public void Promotion_DiscountOutsideZeroToOne_IsInvalid(double discount)
    {
        var error = ChargeEngine.Run(new ChargeHistory(Currency.Usd, May(31, 2021), [PowerBi with { PromotionDiscount = (decimal)discount }], []), ChargeRules.Default).Error!;

        Assert.Equal(("charges.invalid_promotion_discount", ErrorKind.Invalid), (error.Code, error.Kind));
    }

    [Fact]
    public void Promotion_DiscountWithoutItsPromotionId_IsInvalid()
    {
        var error = ChargeEngine.Run(new ChargeHistory(Currency.Usd, May(31, 2021), [PowerBi with { PromotionId = null }], []), ChargeRules.Default).Error!;

        Assert.Equal("charges.invalid_promotion_discount", error.Code);
    }

    private static readonly PurchasedSubscription PowerBi = new(
        "p1", "CFQ7TTC0HL8W", "0001", "Power BI Premium Per User", new Money(16m, Currency.Usd), Term.P1Y, BillingPlan.Monthly, May(20, 2021), 50,
        PromotionId: "78bcf906-b945-4210-8818-cfb93caf12a1", PromotionDiscount: 0.10m);

    [Fact]
    public void AddQuantity_OnATrial_IsFreeAndMarkedTrial()
    {
        var trial = new PurchasedSubscription("t1", "CFQ7TTC0KQ5T", "0001", "Dynamics 365 Guides", Eur(52.61m), Term.P1M, BillingPlan.Monthly, June(25, 2021), 25, Trial: true);

        var lines = Run(RoundingPolicy.Documented, June(30, 2021), [trial], new ChangeQuantity(June(28, 2021), "t1", 30));

        Assert.Equal([(ChargeType.AddQuantity, 0m, 25), (ChargeType.AddQuantity, 0m, 30)], lines.Skip(1).Select(l => (l.ChargeType, l.Subtotal.Amount, l.BillableQuantity)));
        Assert.All(lines, l => Assert.Equal(["Trial"], l.ProductQualifiers));
    }

    private static readonly PurchasedSubscription Commerce = new("d1", "CFQ7TTC0LHSX", "0001", "Dynamics 365 Commerce", Eur(250m), Term.P3Y, BillingPlan.Annual, new DateOnly(2021, 9, 20), 10);

    // "How do I reconcile transactions after changing billing plans", annual to monthly: the change takes effect after the
    // annual cycle, September 20, 2022.
    [Theory]
    [InlineData(RoundingPolicy.Documented)]
    [InlineData(RoundingPolicy.FullPrecision)]
    public void ChangeBillingPlan_AnnualToMonthly_ChargesMonthlyFromTheNextAnnualCycle(RoundingPolicy policy)
    {
        var lines = Run(policy, new DateOnly(2022, 10, 31), [Commerce], new ChangeBillingPlan(new DateOnly(2022, 9, 19), "d1", BillingPlan.Monthly, Eur(20m)));

        Assert.Equal((ChargeType.New, 2500m, new DateOnly(2021, 9, 20), new DateOnly(2022, 9, 19), 10), Row(lines[0]));
        Assert.Equal((ChargeType.ChangeBillingPlan, 200m, new DateOnly(2022, 9, 20), new DateOnly(2022, 10, 19), 10), Row(lines[1]));
        Assert.Equal("Monthly", lines[1].BillingFrequency);
        Assert.Equal((ChargeType.CycleCharge, 200m), (lines[2].ChargeType, lines[2].Subtotal.Amount));
    }

    // Monthly to annual: Microsoft prints EffectiveUnitPrice 229.16 and 2,291.6 for October 20, 2021 – September 19, 2022:
    // the documented formula on 250 × 11 ÷ 12 (full precision would give 2,291.66).
    [Fact]
    public void ChangeBillingPlan_MonthlyToAnnual_Documented_ChargesTheRestOfTheYearByMonths()
    {
        var monthly = Commerce with { UnitPrice = Eur(20m), BillingPlan = BillingPlan.Monthly };

        var lines = Run(RoundingPolicy.Documented, new DateOnly(2021, 10, 31), [monthly], new ChangeBillingPlan(new DateOnly(2021, 9, 25), "d1", BillingPlan.Annual, Eur(250m)));

        Assert.Equal((ChargeType.New, 200m, new DateOnly(2021, 9, 20), new DateOnly(2021, 10, 19), 10), Row(lines[0]));
        Assert.Equal((ChargeType.ChangeBillingPlan, 2291.6m, new DateOnly(2021, 10, 20), new DateOnly(2022, 9, 19), 10), Row(lines[1]));
        Assert.Equal(250m * 11 / 12, lines[1].EffectiveUnitPrice);
        Assert.Equal("Annual", lines[1].BillingFrequency);
    }

    private static readonly PurchasedSubscription Renewing = Standard(new DateOnly(2025, 6, 1), 10, 12m, Term.P1Y) with { EndOfTerm = EndOfTerm.Est, MonthlyTermUnitPrice = Eur(14.40m), PromotionId = "39NFJQT1PJQB:0001:39NFJQT1Q5KN" };

    // EST: 14.40 × 1.03 = 14.832 a seat; the documented formula bills 14.83 × 10, full precision 148.32.
    [Theory]
    [InlineData(RoundingPolicy.Documented, "148.30")]
    [InlineData(RoundingPolicy.FullPrecision, "148.32")]
    public void ExtendedServiceTerm_WithAMonthlyPlan_BillsTheMonthlyTermPricePlusThreePercentWithoutPromotion(RoundingPolicy policy, string subtotal)
    {
        var lines = Run(policy, new DateOnly(2026, 7, 1), [Renewing]);

        var est = lines.Where(l => l.ChargeType == ChargeType.ExtendedServiceTerm).ToList();
        var amount = decimal.Parse(subtotal, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [(ChargeType.ExtendedServiceTerm, amount, new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), 10), (ChargeType.ExtendedServiceTerm, amount, new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31), 10)],
            est.Select(Row));
        Assert.Equal(14.832m, est[0].EffectiveUnitPrice);
        Assert.All(est, l => Assert.Null(l.PromotionId));
        Assert.NotNull(lines[0].PromotionId);
    }

    [Fact]
    public void ExtendedServiceTerm_WithoutAMonthlyPlan_BillsTheTermsMonthlyPricePlusTwentyThreePercent()
    {
        var lines = Run(RoundingPolicy.Documented, new DateOnly(2026, 6, 1), [Renewing with { MonthlyTermUnitPrice = null }]);

        Assert.Equal(14.76m, lines[^1].UnitPrice.Amount);
        Assert.Equal(147.6m, lines[^1].Subtotal.Amount);
        Assert.Equal("Extended Service Term for monthly billing", lines[^1].TermAndBillingCycle);
    }

    [Fact]
    public void ExtendedServiceTerm_CancelledMidMonth_RefundsTheUnusedDaysOutsideAnyWindow()
    {
        var lines = Run(RoundingPolicy.Documented, new DateOnly(2026, 7, 31), [Renewing], new Cancel(new DateOnly(2026, 6, 11), "s1"));

        Assert.Equal((ChargeType.CancelImmediate, -98.8m, new DateOnly(2026, 6, 11), new DateOnly(2026, 6, 30), 10), Row(lines[^1]));
    }

    [Fact]
    public void EndOfTerm_EstOnATermEndingBeforeEnforcement_ExpiresWithoutCharges()
    {
        var lines = Run(RoundingPolicy.Documented, new DateOnly(2025, 3, 31), [Standard(new DateOnly(2024, 3, 1), 10, 12m, Term.P1Y) with { EndOfTerm = EndOfTerm.Est }]);

        Assert.Equal(12, lines.Count);
        Assert.All(lines, l => Assert.True(l.OrderDate < new DateOnly(2025, 3, 1)));
    }

    [Fact]
    public void EndOfTerm_SetToCancel_StopsChargingAtTheTermEnd()
    {
        var lines = Run(RoundingPolicy.Documented, August(31, 2021), [Standard(June(18, 2021), 10)], new SetEndOfTerm(June(30, 2021), "s1", EndOfTerm.Cancel));

        Assert.Single(lines);
    }

    [Fact]
    public void ChangeQuantity_ReductionAfterTheWindow_IsRefusedNamingTheRuleAndTheInstantItWasAllowedUntil()
    {
        var error = Refusal(June(30, 2021), [Standard(June(1, 2021), 10)], new ChangeQuantity(June(10, 2021), "s1", 8));

        Assert.Equal("subscription.seat_reduction_window_closed", error.Code);
        Assert.Equal("events[0]", error.Parameter);
        Assert.Equal(new DateTimeOffset(2021, 6, 8, 0, 0, 0, TimeSpan.Zero), error.AllowedUntil);
        Assert.Contains("allowed until 2021-06-08 00:00:00 UTC", error.Message, StringComparison.Ordinal);
        Assert.Contains("Event 0 (2021-06-10, changeQuantity on s1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeQuantity_ReducingSeatsAddedThreeDaysAgo_IsAllowedAfterThePurchaseWindow()
    {
        var lines = Run(
            RoundingPolicy.Documented, June(30, 2021), [Standard(June(1, 2021), 10, term: Term.P1Y)],
            new ChangeQuantity(June(15, 2021), "s1", 15), new ChangeQuantity(June(18, 2021), "s1", 11));

        Assert.Equal((ChargeType.RemoveQuantity, 11), (lines[^1].ChargeType, lines[^1].BillableQuantity));
    }

    [Fact]
    public void Cancel_AfterSevenDays_IsRefusedWithTheInstantItWasAllowedUntil()
    {
        var error = Refusal(June(30, 2021), [Standard(June(1, 2021), 10)], new Cancel(June(8, 2021), "s1"));

        Assert.Equal("subscription.cancellation_window_closed", error.Code);
        Assert.Equal(new DateTimeOffset(2021, 6, 8, 0, 0, 0, TimeSpan.Zero), error.AllowedUntil);
    }

    // The window is 168 hours from the instant of the purchase, not seven days from the start of its day.
    [Theory]
    [InlineData("2021-06-08T14:59:59Z", true)]
    [InlineData("2021-06-08T15:00:00Z", false)]
    public void Cancel_IsJudgedToTheInstantOfThePurchaseAndOfTheCancellation(string cancelledAt, bool allowed)
    {
        var at = DateTimeOffset.Parse(cancelledAt, CultureInfo.InvariantCulture);
        var history = new ChargeHistory(
            Currency.Eur, June(30, 2021), [Standard(June(1, 2021), 10) with { PurchasedAt = new DateTimeOffset(2021, 6, 1, 15, 0, 0, TimeSpan.Zero) }],
            [new Cancel(June(8, 2021), "s1") { At = at }]);

        var result = ChargeEngine.Run(history, ChargeRules.Default);

        Assert.Equal(allowed, result.IsSuccess);
        Assert.Equal(allowed ? null : new DateTimeOffset(2021, 6, 8, 15, 0, 0, TimeSpan.Zero), result.Error?.AllowedUntil);
    }

    [Fact]
    public void Change_WhoseInstantIsNotOnItsDay_IsInvalid()
    {
        var error = Refusal(June(30, 2021), [Standard(June(1, 2021), 10)], new Cancel(June(2, 2021), "s1") { At = new DateTimeOffset(2021, 6, 3, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(("charges.invalid_instant", ErrorKind.Invalid), (error.Code, error.Kind));
    }

    // A renewed term's window counts from when the renewal completed: the rules' RenewalProcessing after its first instant.
    [Theory]
    [InlineData(0, false)]
    [InlineData(2, true)]
    public void Cancel_JustAfterSevenDaysFromTheRenewalDay_DependsOnWhenTheRenewalCompleted(int processingHours, bool allowed)
    {
        var history = new ChargeHistory(
            Currency.Eur, July(31, 2021), [Standard(June(18, 2021), 10)],
            [new Cancel(July(25, 2021), "s1") { At = new DateTimeOffset(2021, 7, 25, 1, 0, 0, TimeSpan.Zero) }]);

        var result = ChargeEngine.Run(history, ChargeRules.Default with { RenewalProcessing = TimeSpan.FromHours(processingHours) });

        Assert.Equal(allowed, result.IsSuccess);
    }

    [Fact]
    public void Cancel_SevenDaysAfterARenewal_IsAllowedAgain()
    {
        var lines = Run(RoundingPolicy.Documented, July(31, 2021), [Standard(June(18, 2021), 10)], new Cancel(July(20, 2021), "s1"));

        Assert.Equal(ChargeType.CancelImmediate, lines[^1].ChargeType);
    }

    [Fact]
    public void Upgrade_ToAShorterTerm_IsRefusedAsADowngrade()
    {
        var error = Refusal(June(30, 2021), [Standard(June(1, 2021), 10, term: Term.P1Y)], new Upgrade(June(10, 2021), "s1", 5, OfficeE1, false));

        Assert.Equal("subscription.downgrade_not_allowed", error.Code);
    }

    [Theory]
    [InlineData(Term.P1Y, BillingPlan.Monthly, BillingPlan.Annual)]
    [InlineData(Term.P3Y, BillingPlan.Monthly, BillingPlan.Triennial)]
    [InlineData(Term.P3Y, BillingPlan.Triennial, BillingPlan.Monthly)]
    public void ChangeBillingPlan_WhereMicrosoftHasNone_IsRefused(Term term, BillingPlan from, BillingPlan to)
    {
        var error = Refusal(June(30, 2021), [Standard(June(1, 2021), 10, term: term, plan: from)], new ChangeBillingPlan(June(10, 2021), "s1", to, Eur(100m)));

        Assert.Equal("subscription.billing_plan_change_not_supported", error.Code);
    }

    [Fact]
    public void ChangeQuantity_DuringEst_IsRefused()
    {
        var error = Refusal(new DateOnly(2026, 7, 31), [Renewing], new ChangeQuantity(new DateOnly(2026, 6, 3), "s1", 12));

        Assert.Equal("subscription.in_extended_service_term", error.Code);
    }

    [Fact]
    public void ChangeQuantity_WhileSuspended_IsRefusedAsPartnerCenterDoes()
    {
        var error = Refusal(June(30, 2021), [Standard(June(1, 2021), 10)], new Suspend(June(2, 2021), "s1"), new ChangeQuantity(June(3, 2021), "s1", 12));

        Assert.Equal("subscription.suspended", error.Code);
    }

    [Fact]
    public void Event_ForAnUnknownSubscription_IsInvalid()
    {
        var error = Refusal(June(30, 2021), [Standard(June(1, 2021), 10)], new Cancel(June(2, 2021), "nope"));

        Assert.Equal(("charges.unknown_subscription", ErrorKind.Invalid), (error.Code, error.Kind));
    }

    [Property(MaxTest = 200)]
    public bool Cancel_OnThePurchaseDay_RefundsEveryCent(NonNegativeInt offset, PositiveInt cents, PositiveInt seats, bool fullPrecision)
    {
        var start = January(1, 2020).AddDays(offset.Get % 3650);
        var bought = Standard(start, 1 + (seats.Get % 500), 1 + (cents.Get % 100_000) / 100m, Term.P1Y);

        var lines = Run(fullPrecision ? RoundingPolicy.FullPrecision : RoundingPolicy.Documented, start, [bought], new Cancel(start, "s1"));

        return lines.Count == 2 && lines[0].Subtotal + lines[1].Subtotal == Eur(0m);
    }

    [Property(MaxTest = 200)]
    public bool ChangeQuantity_ToTheSameCount_PostsNothing(NonNegativeInt day, PositiveInt seats)
    {
        var start = June(18, 2021);

        var lines = Run(RoundingPolicy.Documented, July(17, 2021), [Standard(start, seats.Get)], new ChangeQuantity(start.AddDays(day.Get % 30), "s1", seats.Get));

        return lines.Count == 1;
    }

    [Property(MaxTest = 200)]
    public bool AddQuantity_AnyDayOfTheCycle_NetsToTheAddedSeatsShareWithinACentPerLine(NonNegativeInt day, PositiveInt seats, PositiveInt added)
    {
        var start = June(18, 2021);
        var on = start.AddDays(day.Get % 30);
        var (before, after) = (1 + (seats.Get % 300), 1 + (seats.Get % 300) + 1 + (added.Get % 50));

        var lines = Run(RoundingPolicy.FullPrecision, July(17, 2021), [Standard(start, before)], new ChangeQuantity(on, "s1", after));

        var exact = 10.08m * (July(17, 2021).DayNumber - on.DayNumber + 1) / 30 * (after - before);
        return Math.Abs(lines[1].Subtotal.Amount + lines[2].Subtotal.Amount - exact) < 0.02m;
    }

    // Calendar alignment: a one-year term bought on 26 November 2026 to end with the calendar month of October 2027 (the
    // last day of the 11th month after purchase, as Microsoft's rule for calendar alignment says). "The charge cycle will
    // always align with the calendar month, and we'll prorate the cost": November 26–30 is charged for its 5 days of 30,
    // then every calendar month whole; the renewal is a full term of calendar months.
    [Fact]
    public void CustomTermEndDate_CalendarAligned_ChargesTheRestOfThePurchaseMonthThenCalendarMonthsThenRenewsAFullTerm()
    {
        var bought = Standard(new DateOnly(2026, 11, 26), 10, 10m, Term.P1Y) with { CustomTermEndDate = new DateOnly(2027, 10, 31) };

        var lines = Run(RoundingPolicy.FullPrecision, new DateOnly(2027, 11, 30), [bought]);

        Assert.Equal((ChargeType.New, 10m * 5 / 30, new DateOnly(2026, 11, 30)), (lines[0].ChargeType, lines[0].EffectiveUnitPrice, lines[0].ChargeEndDate));
        Assert.Equal(new DateOnly(2027, 10, 31), lines[0].SubscriptionEndDate);
        var october = Assert.Single(lines, l => l.ChargeStartDate == new DateOnly(2027, 10, 1));
        Assert.Equal((ChargeType.CycleCharge, 10m, new DateOnly(2027, 10, 31)), (october.ChargeType, october.EffectiveUnitPrice, october.ChargeEndDate));
        var renewal = Assert.Single(lines, l => l.ChargeType == ChargeType.Renew);
        Assert.Equal((new DateOnly(2027, 11, 1), new DateOnly(2027, 11, 30), new DateOnly(2028, 10, 31), 100m), (renewal.ChargeStartDate, renewal.ChargeEndDate, renewal.SubscriptionEndDate, renewal.Subtotal.Amount));
        Assert.Equal(12, lines.Count(l => l.ChargeStartDate < new DateOnly(2027, 11, 1)));
    }

    // "Align subscription end dates", each example billed monthly and paid in one charge: the first term ends on the chosen
    // day and is prorated ("charges … calculated for the billable days in the calendar month … if you pay monthly"; "prorated
    // to the number of billable days in the billing term for one-time payments"); every later term is whole.
    [Theory]
    [InlineData("2022-07-01", Term.P3Y, BillingPlan.Monthly, "2024-10-01", 27, 1, 30)] // coterminous with a one-year term: 27 months and a day
    [InlineData("2022-07-01", Term.P3Y, BillingPlan.Monthly, "2022-10-01", 3, 1, 30)] // coterminous with a three-year term: three months and a day
    [InlineData("2022-07-15", Term.P3Y, BillingPlan.Monthly, "2025-06-30", 35, 17, 31)] // calendar month
    [InlineData("2022-07-01", Term.P1Y, BillingPlan.Monthly, "2022-10-01", 3, 1, 30)] // coterminous
    [InlineData("2022-07-15", Term.P1Y, BillingPlan.Monthly, "2023-06-30", 11, 17, 31)] // calendar month
    [InlineData("2022-07-15", Term.P1M, BillingPlan.Monthly, "2022-07-31", 0, 17, 31)] // calendar month
    [InlineData("2022-07-15", Term.P1Y, BillingPlan.Annual, "2023-06-30", 0, 351, 365)] // calendar month, paid in one charge
    [InlineData("2022-07-01", Term.P3Y, BillingPlan.Triennial, "2024-10-01", 0, 824, 1096)] // coterminous, paid in one charge
    [InlineData("2022-07-01", Term.P3Y, BillingPlan.Annual, "2024-10-01", 2, 93, 365)] // coterminous, billed yearly
    public void CustomTermEndDate_EveryExampleOfTheAlignPage_ProratesTheFirstTermAndRenewsWhole(
        string start, Term term, BillingPlan plan, string end, int wholeCycles, int firstDays, int firstCycleDays)
    {
        var bought = Standard(Dates.Date(start), 1, 120m, term, plan) with { CustomTermEndDate = Dates.Date(end) };
        var renewal = Dates.Date(end).AddDays(1);

        var lines = Run(RoundingPolicy.FullPrecision, renewal, [bought]);

        var firstTerm = lines.Where(l => l.ChargeStartDate < renewal).ToList();
        Assert.All(firstTerm, l => Assert.Equal((Dates.Date(start), Dates.Date(end)), (l.SubscriptionStartDate, l.SubscriptionEndDate)));
        Assert.Equal(120m * firstDays / firstCycleDays, firstTerm[0].EffectiveUnitPrice);
        Assert.Equal(wholeCycles, firstTerm.Skip(1).Count(l => l.EffectiveUnitPrice == 120m));
        Assert.Equal(wholeCycles + 1, firstTerm.Count);
        Assert.Equal(Dates.Date(end), firstTerm[^1].ChargeEndDate);
        var next = Assert.Single(lines, l => l.ChargeType == ChargeType.Renew);
        Assert.Equal((renewal, NceCalendar.EndDate(renewal, term), 120m), (next.SubscriptionStartDate, next.SubscriptionEndDate, next.EffectiveUnitPrice));
    }

    // A seat added in the short first cycle of a calendar-aligned term is charged for its days of that calendar month.
    [Fact]
    public void CustomTermEndDate_SeatAddedInTheShortFirstCycle_IsChargedToTheEndOfThePurchaseMonth()
    {
        var bought = Standard(July(15, 2022), 10, 31m, Term.P1Y) with { CustomTermEndDate = June(30, 2023) };

        var lines = Run(RoundingPolicy.FullPrecision, July(31, 2022), [bought], new ChangeQuantity(July(20, 2022), "s1", 11));

        Assert.Equal((ChargeType.AddQuantity, 132m, July(20, 2022), July(31, 2022), 11), Row(lines[2]));
        Assert.Equal(-120m, lines[1].Subtotal.Amount);
    }

    [Fact]
    public void CustomTermEndDate_BeyondTheTerm_IsRefused()
    {
        var bought = Standard(new DateOnly(2026, 11, 26), 10, 10m, Term.P1Y) with { CustomTermEndDate = new DateOnly(2027, 11, 30) };

        Assert.Equal("charges.invalid_term_end", Refusal(new DateOnly(2027, 11, 30), [bought]).Code);
    }

    // A renewal with scheduled changes: 10 seats of a one-year term billed monthly, scheduled on 1 March to renew as 12
    // seats of Business Premium billed annually at 264; renewed on 1 June in that shape.
    [Fact]
    public void ScheduleNextTerm_ProductSeatsAndPlan_AreWhatTheRenewalCharges()
    {
        var bought = Standard(new DateOnly(2026, 6, 1), 10, 12.5m, Term.P1Y);
        var next = new NextTerm("CFQ7TTC0LCHC", "0002", "Microsoft 365 Business Premium", Term.P1Y, BillingPlan.Annual, 12, Eur(264m));

        var lines = Run(RoundingPolicy.FullPrecision, new DateOnly(2027, 6, 30), [bought], new ScheduleNextTerm(new DateOnly(2027, 3, 1), "s1", next));

        var renewal = Assert.Single(lines, l => l.ChargeType == ChargeType.Renew);
        Assert.Equal(("CFQ7TTC0LCHC", 12, 264m * 12, new DateOnly(2027, 6, 1), new DateOnly(2028, 5, 31)), (renewal.ProductId, renewal.Quantity, renewal.Subtotal.Amount, renewal.ChargeStartDate, renewal.ChargeEndDate));
        Assert.DoesNotContain(lines, l => l.ChargeType == ChargeType.CycleCharge && l.ChargeStartDate >= new DateOnly(2027, 6, 1));
    }

    [Fact]
    public void ScheduleNextTerm_ThenAMidTermSeatChange_IsDroppedAndTheTermRenewsAsIs()
    {
        var bought = Standard(new DateOnly(2026, 6, 1), 10, 12.5m, Term.P1Y);
        var next = new NextTerm("CFQ7TTC0LCHC", "0002", "Microsoft 365 Business Premium", Term.P1Y, BillingPlan.Annual, 12, Eur(264m));

        var lines = Run(RoundingPolicy.FullPrecision, new DateOnly(2027, 6, 30), [bought], new ScheduleNextTerm(new DateOnly(2027, 3, 1), "s1", next), new ChangeQuantity(new DateOnly(2027, 3, 2), "s1", 11));

        var renewal = Assert.Single(lines, l => l.ChargeType == ChargeType.Renew);
        Assert.Equal(("CFQ7TTC0LDPB", 11, 12.5m * 11), (renewal.ProductId, renewal.Quantity, renewal.Subtotal.Amount));
    }
}
