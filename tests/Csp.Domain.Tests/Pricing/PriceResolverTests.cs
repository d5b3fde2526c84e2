using Csp.Domain.Pricing;
using static Csp.Domain.Tests.Dates;

namespace Csp.Domain.Tests.Pricing;

/// <summary>Margin rule resolution as a table: every level, versions, methods, floors, ceilings, promotions and two tiers.</summary>
public class PriceResolverTests
{
    private static readonly Guid Distributor = Guid.Parse("00000000-0000-0000-0000-0000000000d1");
    private static readonly Guid Reseller = Guid.Parse("00000000-0000-0000-0000-0000000000e1");
    private static readonly Guid OtherReseller = Guid.Parse("00000000-0000-0000-0000-0000000000e2");
    private static readonly Guid Customer = Guid.Parse("00000000-0000-0000-0000-0000000000c1");
    private static readonly Guid Subscription = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly DateOnly Day = June(20, 2026);

    private static readonly PricedItem Item = new(null, Customer, "CFQ7TTC0LDPB", "0001", Subscription);

    private static Money Eur(decimal amount) => new(amount, Currency.Eur);

    private static MarginRule Rule(MarginLevel level, MarginMethod method, decimal? percent = null, string? target = null, int version = 1, DateOnly? from = null, Guid? owner = null) =>
        new(Guid.NewGuid(), owner ?? Distributor, level, target ?? TargetOf(level), version, method, percent, null, null, false, PromotionHandling.PassOn, from ?? June(1, 2026));

    private static string TargetOf(MarginLevel level) => level switch
    {
        MarginLevel.Reseller => Reseller.ToString(),
        MarginLevel.Customer => Customer.ToString(),
        MarginLevel.Product => "CFQ7TTC0LDPB",
        MarginLevel.Sku => "CFQ7TTC0LDPB:0001",
        MarginLevel.Subscription => Subscription.ToString(),
        _ => "",
    };

    private static Money Price(SeatCost cost, params MarginRule[] rules) =>
        PriceResolver.Resolve(cost, Item, Day, [(Distributor, rules)]).Value.UnitPrice;

    private static readonly SeatCost Standard = SeatCost.Without(Eur(10.08m), Eur(12.50m), 1);

    [Theory]
    [InlineData(MarginLevel.Business, "11.088")]
    [InlineData(MarginLevel.Customer, "11.592")]
    [InlineData(MarginLevel.Product, "12.096")]
    [InlineData(MarginLevel.Sku, "12.6")]
    [InlineData(MarginLevel.Subscription, "13.104")]
    public void Resolve_TheMostSpecificLevelWithARule_Wins(MarginLevel mostSpecific, string expected)
    {
        var rules = new[]
        {
            Rule(MarginLevel.Business, MarginMethod.Markup, 10), Rule(MarginLevel.Customer, MarginMethod.Markup, 15), Rule(MarginLevel.Product, MarginMethod.Markup, 20),
            Rule(MarginLevel.Sku, MarginMethod.Markup, 25), Rule(MarginLevel.Subscription, MarginMethod.Markup, 30),
        }.Where(r => r.Level <= mostSpecific).ToArray();

        Assert.Equal(Eur(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), Price(Standard, rules));
    }

    [Fact]
    public void Resolve_RulesForAnotherCustomerProductOrSubscription_DoNotApply()
    {
        var price = Price(
            Standard,
            Rule(MarginLevel.Business, MarginMethod.Markup, 10),
            Rule(MarginLevel.Customer, MarginMethod.Markup, 50, Guid.NewGuid().ToString()),
            Rule(MarginLevel.Product, MarginMethod.Markup, 50, "CFQ7TTC0LF8R"),
            Rule(MarginLevel.Sku, MarginMethod.Markup, 50, "CFQ7TTC0LDPB:0002"),
            Rule(MarginLevel.Subscription, MarginMethod.Markup, 50, Guid.NewGuid().ToString()));

        Assert.Equal(Eur(11.088m), price);
    }

    [Fact]
    public void Resolve_ANewerVersion_ReplacesTheOlderFromItsDateOnly()
    {
        var first = Rule(MarginLevel.Business, MarginMethod.Markup, 10, version: 1, from: June(1, 2026));
        var second = Rule(MarginLevel.Business, MarginMethod.Markup, 20, version: 2, from: June(20, 2026));
        var future = Rule(MarginLevel.Business, MarginMethod.Markup, 30, version: 3, from: June(21, 2026));

        Assert.Equal(Eur(12.096m), Price(Standard, first, second, future));
        Assert.Equal(Eur(11.088m), PriceResolver.Resolve(Standard, Item, June(19, 2026), [(Distributor, [first, second, future])]).Value.UnitPrice);
    }

    [Fact]
    public void Resolve_TwoVersionsFromTheSameDay_TheHigherVersionWins()
    {
        Assert.Equal(Eur(12.096m), Price(Standard, Rule(MarginLevel.Business, MarginMethod.Markup, 20, version: 2), Rule(MarginLevel.Business, MarginMethod.Markup, 10, version: 1)));
    }

    [Fact]
    public void Resolve_AnInheritVersion_EndsTheLevelSoTheLessSpecificRuleApplies()
    {
        var price = Price(
            Standard,
            Rule(MarginLevel.Business, MarginMethod.Markup, 10),
            Rule(MarginLevel.Customer, MarginMethod.Markup, 50, version: 1),
            Rule(MarginLevel.Customer, MarginMethod.Inherit, version: 2, from: June(10, 2026)));

        Assert.Equal(Eur(11.088m), price);
    }

    [Fact]
    public void Resolve_NoRule_SellsAtCostAndSaysSo()
    {
        var price = PriceResolver.Resolve(Standard, Item, Day, [(Distributor, [])]).Value;

        Assert.Equal(Eur(10.08m), price.UnitPrice);
        Assert.Null(price.Tiers[0].Rule);
        Assert.Equal("No margin rule: sold at cost 10.08 EUR.", price.Explanation);
    }

    [Fact]
    public void ListDiscount_FourPercentOffTheListPrice()
    {
        Assert.Equal(Eur(12.00m), Price(Standard, Rule(MarginLevel.Business, MarginMethod.ListDiscount, 4)));
    }

    [Fact]
    public void ListDiscount_WithoutAListPrice_IsRefusedNamingTheRule()
    {
        var refused = PriceResolver.Resolve(SeatCost.Without(Eur(10.08m), null, 1), Item, Day, [(Distributor, [Rule(MarginLevel.Business, MarginMethod.ListDiscount, 4)])]);

        Assert.Equal("pricing.no_list_price", refused.Error!.Code);
        Assert.Contains("list price less 4 %", refused.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "11.00")]
    [InlineData(12, "132.00")]
    [InlineData(36, "396.00")]
    public void FixedPrice_IsPerSeatPerMonth_TimesTheMonthsOfTheCycle(int cycleMonths, string expected)
    {
        var rule = Rule(MarginLevel.Sku, MarginMethod.FixedPrice) with { FixedMonthlyPrice = Eur(11m) };

        Assert.Equal(Eur(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), Price(Standard with { CycleMonths = cycleMonths }, rule));
    }

    [Fact]
    public void FixedPrice_InAnotherCurrency_IsRefused()
    {
        var rule = Rule(MarginLevel.Sku, MarginMethod.FixedPrice) with { FixedMonthlyPrice = new Money(11m, Currency.Usd) };

        Assert.Equal("pricing.currency_mismatch", PriceResolver.Resolve(Standard, Item, Day, [(Distributor, [rule])]).Error!.Code);
    }

    [Fact]
    public void Floor_RaisesAPriceUnderCostPlusTheFloor()
    {
        var rule = Rule(MarginLevel.Business, MarginMethod.Markup, -10) with { FloorPercent = 5 };

        var price = PriceResolver.Resolve(Standard, Item, Day, [(Distributor, [rule])]).Value;

        Assert.Equal(Eur(10.584m), price.UnitPrice);
        Assert.Contains("raised to the floor cost + 5 % = 10.584 EUR", price.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Ceiling_HoldsAPriceAtTheListPrice()
    {
        var rule = Rule(MarginLevel.Business, MarginMethod.Markup, 50) with { CeilingAtList = true };

        Assert.Equal(Eur(12.50m), Price(Standard, rule));
    }

    [Fact]
    public void FloorAndCeiling_WhenTheyCross_TheFloorWins()
    {
        var rule = Rule(MarginLevel.Business, MarginMethod.Markup, 50) with { CeilingAtList = true, FloorPercent = 30 };

        Assert.Equal(Eur(13.104m), Price(Standard, rule));
    }

    [Theory]
    [InlineData(PromotionHandling.PassOn, "9.6")]
    [InlineData(PromotionHandling.Keep, "12")]
    public void Promotion_PassedOnOrKept(PromotionHandling handling, string expected)
    {
        var discounted = new SeatCost(Eur(8m), Eur(10m), Eur(12.5m), 1);
        var rule = Rule(MarginLevel.Business, MarginMethod.Markup, 20) with { Promotions = handling };

        Assert.Equal(Eur(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), Price(discounted, rule));
    }

    [Theory]
    [InlineData(PromotionHandling.PassOn, "9.6")]
    [InlineData(PromotionHandling.Keep, "12")]
    public void Promotion_OnAListDiscount_DiscountsTheListPriceAsTheCostWasWhenPassedOn(PromotionHandling handling, string expected)
    {
        var discounted = new SeatCost(Eur(8m), Eur(10m), Eur(12.5m), 1);
        var rule = Rule(MarginLevel.Business, MarginMethod.ListDiscount, 4) with { Promotions = handling };

        Assert.Equal(Eur(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), Price(discounted, rule));
    }

    [Fact]
    public void TwoTiers_TheDistributorsRuleSetsTheResellersCost_TheResellersRuleTheCustomersPrice()
    {
        var item = Item with { ResellerId = Reseller };
        var distributorRules = new[] { Rule(MarginLevel.Business, MarginMethod.Markup, 10), Rule(MarginLevel.Reseller, MarginMethod.Markup, 5) };
        var resellerRules = new[] { Rule(MarginLevel.Business, MarginMethod.Markup, 20, owner: Reseller) };

        var price = PriceResolver.Resolve(Standard, item, Day, [(Distributor, distributorRules), (Reseller, resellerRules)]).Value;

        Assert.Equal((Eur(10.08m), Eur(10.584m)), (price.Tiers[0].Cost, price.Tiers[0].UnitPrice));
        Assert.Equal((Eur(10.584m), Eur(12.7008m)), (price.Tiers[1].Cost, price.Tiers[1].UnitPrice));
        Assert.Equal(Eur(12.7008m), price.UnitPrice);
    }

    [Fact]
    public void TwoTiers_ARuleForAnotherReseller_DoesNotApply()
    {
        var item = Item with { ResellerId = Reseller };
        var distributorRules = new[] { Rule(MarginLevel.Business, MarginMethod.Markup, 10), Rule(MarginLevel.Reseller, MarginMethod.Markup, 5, OtherReseller.ToString()) };

        var price = PriceResolver.Resolve(Standard, item, Day, [(Distributor, distributorRules), (Reseller, [])]).Value;

        Assert.Equal(Eur(11.088m), price.Tiers[0].UnitPrice);
        Assert.Equal(Eur(11.088m), price.UnitPrice);
    }

    [Fact]
    public void TwoTiers_APromotionTheDistributorKeeps_NeverReachesTheReseller()
    {
        var item = Item with { ResellerId = Reseller };
        var discounted = new SeatCost(Eur(8m), Eur(10m), Eur(12.5m), 1);
        var distributorRules = new[] { Rule(MarginLevel.Business, MarginMethod.Markup, 10) with { Promotions = PromotionHandling.Keep } };
        var resellerRules = new[] { Rule(MarginLevel.Business, MarginMethod.Markup, 20, owner: Reseller) with { Promotions = PromotionHandling.Keep } };

        var price = PriceResolver.Resolve(discounted, item, Day, [(Distributor, distributorRules), (Reseller, resellerRules)]).Value;

        Assert.Equal(Eur(11m), price.Tiers[0].UnitPrice);
        Assert.Equal(Eur(13.2m), price.UnitPrice);
    }

    [Fact]
    public void Explanation_NamesTheRuleItsVersionTheCostAndThePrice()
    {
        var rule = Rule(MarginLevel.Customer, MarginMethod.Markup, 20, version: 3);

        var price = PriceResolver.Resolve(Standard, Item, Day, [(Distributor, [rule])]).Value;

        Assert.Equal($"Customer rule {rule.Id} v3 (markup 20 % on cost) on cost 10.08 EUR: 12.096 EUR.", price.Explanation);
        Assert.Same(rule, price.Tiers[0].Rule);
    }

    [Theory]
    [InlineData(MarginMethod.Markup, null, null, null, "percent")]
    [InlineData(MarginMethod.Markup, 20.0, 11.0, null, "fixedMonthlyPrice")]
    [InlineData(MarginMethod.ListDiscount, 120.0, null, null, "percent")]
    [InlineData(MarginMethod.FixedPrice, null, null, null, "fixedMonthlyPrice")]
    [InlineData(MarginMethod.FixedPrice, 5.0, 11.0, null, "percent")]
    [InlineData(MarginMethod.Inherit, null, null, 5.0, "floorPercent")]
    [InlineData(MarginMethod.Markup, 20.0, null, -101.0, "floorPercent")]
    public void Problem_AValueTheMethodDoesNotTake_NamesTheField(MarginMethod method, double? percent, double? fixedPrice, double? floor, string field)
    {
        var problem = MarginRule.Problem(method, (decimal?)percent, fixedPrice is { } f ? Eur((decimal)f) : null, (decimal?)floor);

        Assert.StartsWith(field + ":", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_AWellFormedRule_HasNone()
    {
        Assert.Null(MarginRule.Problem(MarginMethod.Markup, 20m, null, 5m));
        Assert.Null(MarginRule.Problem(MarginMethod.FixedPrice, null, Eur(11m), null));
        Assert.Null(MarginRule.Problem(MarginMethod.Inherit, null, null, null));
    }
}
