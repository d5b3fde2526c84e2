using System.Globalization;
using System.Text;

namespace Csp.Domain.Pricing;

/// <summary>What one line is sold for: who it is sold to and what it is.</summary>
/// <param name="ResellerId">The reseller the customer buys through, for a distributor's rules; null when sold directly.</param>
public sealed record PricedItem(Guid? ResellerId, Guid CustomerId, string ProductId, string SkuId, Guid SubscriptionId);

/// <summary>
/// What a seat costs the seller for one charge cycle: <see cref="UnitPrice"/> as paid (after any promotion),
/// <see cref="UndiscountedUnitPrice"/> before the promotion, Microsoft's list price (ERP) for the same cycle where the price
/// list has one, and how many months the cycle is (1, 12 or 36).
/// </summary>
public sealed record SeatCost(Money UnitPrice, Money UndiscountedUnitPrice, Money? ListUnitPrice, int CycleMonths)
{
    public static SeatCost Without(Money unitPrice, Money? listUnitPrice, int cycleMonths) => new(unitPrice, unitPrice, listUnitPrice, cycleMonths);
}

/// <summary>
/// One tier's price for a seat per charge cycle: <see cref="UnitPrice"/> as sold, and what it would have been without the
/// promotion (the next tier's undiscounted cost). <see cref="Rule"/> is null when no rule applies (sold at cost).
/// </summary>
public sealed record TierPrice(Guid SellerId, Money Cost, Money UnitPrice, Money UndiscountedUnitPrice, MarginRule? Rule, string Explanation);

/// <summary>The price of a seat through every tier, from Microsoft's cost to the customer's price.</summary>
public sealed record ResolvedPrice(SeatCost MicrosoftCost, IReadOnlyList<TierPrice> Tiers)
{
    /// <summary>The customer's price per seat per charge cycle: the last tier's.</summary>
    public Money UnitPrice => Tiers[^1].UnitPrice;

    /// <summary>Every tier's reason, in order, in one sentence each.</summary>
    public string Explanation => string.Join(" ", Tiers.Select(t => t.Explanation));
}

/// <summary>
/// Resolves margin rules: the most specific level that has a rule in effect wins (subscription, SKU, product, customer,
/// reseller, business); at one level, the version that took effect last (the highest version among equal dates).
/// </summary>
/// <remarks>
/// Two tiers: the distributor's rules turn Microsoft's cost into the reseller's cost, and the reseller's rules turn that into
/// the customer's price. A tier with no rule sells at cost. A price is never negative.
/// </remarks>
public static class PriceResolver
{
    /// <summary>The rule of <paramref name="rules"/> (one seller's) that prices <paramref name="item"/> on <paramref name="day"/>, or null.</summary>
    public static MarginRule? RuleFor(IEnumerable<MarginRule> rules, PricedItem item, DateOnly day)
    {
        var current = rules
            .Where(r => r.EffectiveFrom <= day && Targets(r, item))
            .GroupBy(r => r.Level)
            .Select(g => g.OrderByDescending(r => r.EffectiveFrom).ThenByDescending(r => r.Version).First())
            .Where(r => r.Method != MarginMethod.Inherit)
            .OrderByDescending(r => r.Level);
        return current.FirstOrDefault();
    }

    /// <summary>
    /// The price of <paramref name="item"/> through <paramref name="sellers"/> (each seller's id and rules, the distributor
    /// before its reseller) on <paramref name="day"/>, or the reason it cannot be priced.
    /// </summary>
    public static Result<ResolvedPrice> Resolve(SeatCost cost, PricedItem item, DateOnly day, IReadOnlyList<(Guid SellerId, IReadOnlyList<MarginRule> Rules)> sellers)
    {
        var tiers = new List<TierPrice>();
        var tierCost = cost;
        foreach (var (sellerId, rules) in sellers)
        {
            var tierItem = sellerId == sellers[^1].SellerId ? item with { ResellerId = null } : item;
            var price = Price(tierCost, RuleFor(rules, tierItem, day), sellerId);
            if (!price.IsSuccess)
            {
                return price.Error;
            }

            tiers.Add(price.Value);
            tierCost = tierCost with { UnitPrice = price.Value.UnitPrice, UndiscountedUnitPrice = price.Value.UndiscountedUnitPrice };
        }

        return new ResolvedPrice(cost, tiers);
    }

    /// <summary>One tier: <paramref name="rule"/> applied to <paramref name="cost"/>, then the ceiling, then the floor.</summary>
    public static Result<TierPrice> Price(SeatCost cost, MarginRule? rule, Guid sellerId)
    {
        if (rule is null)
        {
            return new TierPrice(sellerId, cost.UnitPrice, cost.UnitPrice, cost.UndiscountedUnitPrice, null, $"No margin rule: sold at cost {Show(cost.UnitPrice)}.");
        }

        var why = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{rule.Level} rule {rule.Id} v{rule.Version} ({rule.Describe()}");
        Money Apply(Money basis) => rule.Method switch
        {
            MarginMethod.Markup => basis * (1 + (rule.Percent!.Value / 100m)),
            MarginMethod.ListDiscount => cost.ListUnitPrice!.Value * (1 - (rule.Percent!.Value / 100m)) * Ratio(basis, cost.UndiscountedUnitPrice),
            _ => rule.FixedMonthlyPrice!.Value * cost.CycleMonths,
        };

        if (rule.Method == MarginMethod.ListDiscount && cost.ListUnitPrice is null)
        {
            return new Error("pricing.no_list_price", $"{why}) needs Microsoft's list price, and the price list has none for this item.", ErrorKind.Conflict);
        }

        if (rule.Method == MarginMethod.FixedPrice && rule.FixedMonthlyPrice!.Value.Currency != cost.UnitPrice.Currency)
        {
            return new Error("pricing.currency_mismatch", $"{why}) is in {rule.FixedMonthlyPrice.Value.Currency}, and this item costs {cost.UnitPrice.Currency}.", ErrorKind.Conflict);
        }

        var promotion = cost.UnitPrice != cost.UndiscountedUnitPrice && rule.Method != MarginMethod.FixedPrice;
        var basis = promotion && rule.Promotions == PromotionHandling.Keep ? cost.UndiscountedUnitPrice : cost.UnitPrice;
        var price = Apply(basis);
        var undiscounted = Apply(cost.UndiscountedUnitPrice);
        why.Append(CultureInfo.InvariantCulture, $") on cost {Show(cost.UnitPrice)}");
        if (promotion)
        {
            why.Append(rule.Promotions == PromotionHandling.Keep ? ", promotion kept" : ", promotion passed on");
        }

        why.Append(CultureInfo.InvariantCulture, $": {Show(price)}");
        if (rule.CeilingAtList && cost.ListUnitPrice is { } list && price.Amount > list.Amount)
        {
            price = list;
            undiscounted = Min(undiscounted, list);
            why.Append(CultureInfo.InvariantCulture, $", held at list price {Show(list)}");
        }

        if (rule.FloorPercent is { } floorPercent && cost.UnitPrice * (1 + (floorPercent / 100m)) is var floor && price.Amount < floor.Amount)
        {
            price = floor;
            why.Append(CultureInfo.InvariantCulture, $", raised to the floor cost + {floorPercent:0.####} % = {Show(floor)}");
        }

        if (price.Amount < 0)
        {
            price = Money.Zero(price.Currency);
            why.Append(", never below zero");
        }

        why.Append('.');
        return new TierPrice(sellerId, cost.UnitPrice, price, Max(undiscounted, price), rule, why.ToString());
    }

    private static bool Targets(MarginRule rule, PricedItem item) => rule.Level switch
    {
        MarginLevel.Business => true,
        MarginLevel.Reseller => item.ResellerId is { } reseller && rule.Target == reseller.ToString(),
        MarginLevel.Customer => rule.Target == item.CustomerId.ToString(),
        MarginLevel.Product => rule.Target == item.ProductId,
        MarginLevel.Sku => rule.Target == $"{item.ProductId}:{item.SkuId}",
        MarginLevel.Subscription => rule.Target == item.SubscriptionId.ToString(),
        _ => false,
    };

    /// <summary>The share of the undiscounted cost <paramref name="basis"/> is: a list price is discounted as the cost was.</summary>
    private static decimal Ratio(Money basis, Money undiscounted) => undiscounted.Amount == 0 ? 1 : basis.Amount / undiscounted.Amount;

    /// <summary>An amount as a person reads it: every significant digit, no trailing zeros.</summary>
    public static string Show(Money money) => string.Create(CultureInfo.InvariantCulture, $"{money.Amount:0.##########} {money.Currency}");

    private static Money Min(Money a, Money b) => a.Amount <= b.Amount ? a : b;

    private static Money Max(Money a, Money b) => a.Amount >= b.Amount ? a : b;
}
