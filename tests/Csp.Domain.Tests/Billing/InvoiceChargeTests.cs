using Csp.Domain.Billing;
using Csp.Domain.Charges;
using Csp.Domain.Pricing;
using Csp.Domain.Terms;
using static Csp.Domain.Tests.Dates;

namespace Csp.Domain.Tests.Billing;

/// <summary>
/// Customer invoice lines from Microsoft's worked examples (docs/microsoft/charges.md) at a 20 % markup: each is Microsoft's
/// line × 1.2, rounded half away from zero to the cent (<see cref="Rounding.CustomerInvoiceLine"/>).
/// </summary>
public class InvoiceChargeTests
{
    private static readonly Guid Partner = Guid.NewGuid();
    private static readonly Guid Reseller = Guid.NewGuid();

    private static Money Eur(decimal amount) => new(amount, Currency.Eur);

    private static readonly MarginRule TwentyPercent = new(Guid.NewGuid(), Partner, MarginLevel.Business, "", 1, MarginMethod.Markup, 20m, null, null, false, PromotionHandling.PassOn, January(1, 2021));

    private static PurchasedSubscription Standard(DateOnly start, int quantity, decimal price = 10.08m) =>
        new("s1", "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", Eur(price), Term.P1M, BillingPlan.Monthly, start, quantity);

    private static IReadOnlyList<ChargeLine> Charges(RoundingPolicy policy, DateOnly through, PurchasedSubscription[] bought, params SubscriptionChange[] changes) =>
        ChargeEngine.Run(new ChargeHistory(Currency.Eur, through, bought, changes), ChargeRules.Default with { Rounding = policy }).Value;

    private static InvoiceCharge Invoiced(ChargeLine charge, TaxTreatment? tax = null, params (Guid, IReadOnlyList<MarginRule>)[] sellers)
    {
        var item = new PricedItem(sellers.Length > 1 ? sellers[^1].Item1 : null, Guid.NewGuid(), charge.ProductId, charge.SkuId, Guid.NewGuid());
        var price = PriceResolver.Resolve(SeatCost.Without(charge.UnitPrice, null, 1), item, charge.ChargeStartDate, sellers.Length == 0 ? [(Partner, [TwentyPercent])] : sellers).Value;
        return InvoiceCharge.For(charge, price, tax ?? TaxTreatment.None);
    }

    [Fact]
    public void AddQuantity_TwoSeatsOnJune20_IsMicrosoftsRefundAndChargeTimesOnePointTwo()
    {
        var charges = Charges(RoundingPolicy.FullPrecision, June(30, 2021), [Standard(June(18, 2021), 10)], new ChangeQuantity(June(20, 2021), "s1", 12));

        Assert.Equal([100.8m, -94.08m, 112.89m], charges.Select(c => c.Subtotal.Amount));
        Assert.Equal([120.96m, -112.90m, 135.47m], charges.Select(c => Invoiced(c).Amount.Amount));
        Assert.Equal([12.096m, -11.2896m, 11.2896m], charges.Select(c => Invoiced(c).EffectiveUnitPrice));
        Assert.All(charges, c => Assert.Equal((c.ChargeType, c.ChargeStartDate, c.ChargeEndDate, c.BillableQuantity), (Invoiced(c).Charge.ChargeType, Invoiced(c).Charge.ChargeStartDate, Invoiced(c).Charge.ChargeEndDate, Invoiced(c).Charge.BillableQuantity)));
    }

    [Fact]
    public void AddQuantity_InvoicedInAnotherCurrency_IsConvertedExactlyThenRoundedOncePerLine()
    {
        var charges = Charges(RoundingPolicy.FullPrecision, June(30, 2021), [Standard(June(18, 2021), 10)], new ChangeQuantity(June(20, 2021), "s1", 12));
        var eurToGbp = new ExchangeRate(Currency.Eur, Currency.Gbp, 0.8567m, June(1, 2021));
        var item = new PricedItem(null, Guid.NewGuid(), charges[0].ProductId, charges[0].SkuId, Guid.NewGuid());

        var lines = charges.Select(c =>
        {
            var cost = SeatCost.Without(eurToGbp.Convert(c.UnitPrice), null, 1);
            return InvoiceCharge.For(c, PriceResolver.Resolve(cost, item, c.ChargeStartDate, [(Partner, [TwentyPercent])]).Value, TaxTreatment.None, eurToGbp);
        }).ToList();

        // Microsoft's 100.80, -94.08 and 112.89 EUR × 0.8567 × 1.2, each rounded once: 103.626…, -96.718…, 116.055… GBP.
        Assert.Equal([103.63m, -96.72m, 116.06m], lines.Select(l => l.Amount.Amount));
        Assert.All(lines, l => Assert.Equal((Currency.Gbp, Currency.Gbp, eurToGbp), (l.Amount.Currency, l.MicrosoftCost.Currency, l.Conversion)));
        Assert.Equal([86.36m, -80.60m, 96.71m], lines.Select(l => l.MicrosoftCost.Amount));
        Assert.Null(ExchangeRate.On([eurToGbp], Currency.Eur, Currency.Gbp, May(31, 2021)));
        Assert.Equal("rate: at most 10 decimal places.", ExchangeRate.Problem(Currency.Eur, Currency.Gbp, 0.12345678901m));
    }

    [Fact]
    public void SeatChanges_March2022Table_EveryRowTimesOnePointTwo()
    {
        var charges = Charges(
            RoundingPolicy.FullPrecision,
            March(31, 2022),
            [Standard(March(5, 2022), 10, 12m)],
            new ChangeQuantity(March(7, 2022), "s1", 15),
            new ChangeQuantity(March(10, 2022), "s1", 25),
            new ChangeQuantity(March(12, 2022), "s1", 23),
            new ChangeQuantity(March(14, 2022), "s1", 20),
            new ChangeQuantity(March(25, 2022), "s1", 30));

        Assert.Equal(
            [144m, -134.70m, 202.06m, -181.15m, 301.93m, -278.70m, 256.40m, -235.04m, 204.38m, -102.19m, 153.29m],
            charges.Select(c => Invoiced(c).Amount.Amount));
    }

    [Fact]
    public void CancelImmediate_TwoDaysAfterPurchase_RefundsTheCustomerTimesOnePointTwo()
    {
        var charges = Charges(RoundingPolicy.Documented, July(31, 2021), [Standard(July(15, 2021), 10)], new Cancel(July(17, 2021), "s1"));

        Assert.Equal([120.96m, -113.04m], charges.Select(c => Invoiced(c).Amount.Amount));
    }

    [Fact]
    public void Convert_FullUpgradeOnJune25_RefundsTheOldProductAndChargesTheNewTimesOnePointTwo()
    {
        var e1 = new PurchasedSubscription("s2", "CFQ7TTC0LF8R", "0001", "Office 365 E1", Eur(6.43m), Term.P1M, BillingPlan.Monthly, June(25, 2021), 0);

        var charges = Charges(RoundingPolicy.Documented, June(30, 2021), [Standard(June(18, 2021), 300)], new Upgrade(June(25, 2021), "s1", 300, e1, TargetExists: false));

        Assert.Equal([3628.8m, -2779.2m, 1771.2m], charges.Select(c => Invoiced(c).Amount.Amount));
    }

    [Fact]
    public void Tax_IsWorkedOutPerLineOnTheRoundedAmount()
    {
        var charge = Charges(RoundingPolicy.FullPrecision, June(30, 2021), [Standard(June(18, 2021), 10)], new ChangeQuantity(June(20, 2021), "s1", 12))[2];

        var line = Invoiced(charge, new TaxTreatment(21m, false));

        Assert.Equal((Eur(135.47m), 21m, Eur(28.45m)), (line.Amount, line.TaxPercent, line.Tax));
    }

    [Fact]
    public void Tax_UnderReverseCharge_IsNothing()
    {
        var charge = Charges(RoundingPolicy.FullPrecision, June(30, 2021), [Standard(June(18, 2021), 10)])[0];

        var line = Invoiced(charge, new TaxTreatment(21m, true));

        Assert.Equal((0m, Eur(0m)), (line.TaxPercent, line.Tax));
    }

    [Fact]
    public void Trial_AFreeLine_IsFreeForTheCustomerWhateverTheRule()
    {
        var trial = Standard(June(18, 2021), 25) with { Trial = true };
        var charge = Charges(RoundingPolicy.Documented, June(30, 2021), [trial])[0];
        var fixedPrice = TwentyPercent with { Method = MarginMethod.FixedPrice, Percent = null, FixedMonthlyPrice = Eur(11m) };

        Assert.Equal(Eur(0m), Invoiced(charge, null, (Partner, [fixedPrice])).Amount);
    }

    [Fact]
    public void TwoTiers_TheResellersCostAndTheCustomersPrice_AreEachMicrosoftsLineTimesTheirPriceOverTheCost()
    {
        var charge = Charges(RoundingPolicy.FullPrecision, June(30, 2021), [Standard(June(18, 2021), 10)], new ChangeQuantity(June(20, 2021), "s1", 12))[2];
        var distributor = TwentyPercent with { Percent = 10m };
        var reseller = TwentyPercent with { OwnerId = Reseller };

        var line = Invoiced(charge, null, (Partner, [distributor]), (Reseller, [reseller]));

        Assert.Equal(Eur(124.18m), line.ResellerCost);
        Assert.Equal(Eur(11.088m), line.ResellerUnitPrice);
        Assert.Equal(Eur(149.01m), line.Amount);
    }
    [Fact]
    public void Usage_AMonthAtCost_IsMarkedUpAndRoundedOnce_AndARestatementBillsOnlyWhatIsLeft()
    {
        var month = BillingPeriod.Month(October(1, 2026));
        var whole = Invoiced(UsageCharge.Of("a1", "DZH318Z0BPS6", "0001", January(1, 2026), month, Eur(96.748285m)), new TaxTreatment(21m, false));

        // 96.748285 × 1.2 = 116.097942, invoiced as 116.10, tax 24.381 → 24.38; one unit for the whole calendar month.
        Assert.Equal((116.10m, 24.38m, 1, October(1, 2026), October(31, 2026)), (whole.Amount.Amount, whole.Tax.Amount, whole.Charge.BillableQuantity, whole.Charge.ChargeStartDate, whole.Charge.ChargeEndDate));
        Assert.Same(whole, whole.Less(BilledPart.None));

        // A later file restates the month to 102.998285: 123.597942 → 123.60 in all, of which 116.10 was billed.
        var restated = Invoiced(UsageCharge.Of("a1", "DZH318Z0BPS6", "0001", January(1, 2026), month, Eur(102.998285m)), new TaxTreatment(21m, false));
        var left = restated.Less(new BilledPart(1, whole.Charge.Subtotal.Amount, whole.MicrosoftCost.Amount, whole.Amount.Amount, null))!;
        Assert.Equal((7.50m, 1.58m, 6.25m, 6.25m), (left.Amount.Amount, left.Tax.Amount, left.Charge.Subtotal.Amount, left.MicrosoftCost.Amount));
        Assert.Equal(restated.Amount.Amount, whole.Amount.Amount + left.Amount.Amount);
        Assert.Null(restated.Less(new BilledPart(2, restated.Charge.Subtotal.Amount, restated.MicrosoftCost.Amount, restated.Amount.Amount, null)));
    }

    [Fact]
    public void Usage_UnderAFixedPricePerSeat_CannotBePriced()
    {
        var fixedPrice = TwentyPercent with { Method = MarginMethod.FixedPrice, Percent = null, FixedMonthlyPrice = Eur(12m) };
        var usage = UsageCharge.Of("a1", "DZH318Z0BPS6", "0001", January(1, 2026), BillingPeriod.Month(October(1, 2026)), Eur(96.75m));
        var price = PriceResolver.Resolve(SeatCost.Without(usage.UnitPrice, null, 1), new PricedItem(null, Guid.NewGuid(), usage.ProductId, usage.SkuId, Guid.NewGuid()), usage.ChargeStartDate, [(Partner, [fixedPrice])]).Value;

        Assert.Contains("fixed price per seat", UsageCharge.Problem(price), StringComparison.Ordinal);
        Assert.Null(UsageCharge.Problem(Invoiced(usage).Price));
    }
}
