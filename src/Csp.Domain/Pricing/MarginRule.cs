using System.Globalization;

namespace Csp.Domain.Pricing;

/// <summary>What a margin rule applies to, from the least specific to the most: the more specific rule wins.</summary>
public enum MarginLevel
{
    /// <summary>Everything the partner sells; the target is empty.</summary>
    Business,

    /// <summary>A distributor's sales through one of its resellers; the target is the reseller's partner id.</summary>
    Reseller,

    /// <summary>One customer; the target is the customer's id.</summary>
    Customer,

    /// <summary>One product; the target is Microsoft's product id, e.g. <c>CFQ7TTC0LDPB</c>.</summary>
    Product,

    /// <summary>One SKU; the target is <c>productId:skuId</c>, e.g. <c>CFQ7TTC0LDPB:0001</c>.</summary>
    Sku,

    /// <summary>One subscription; the target is the subscription's id.</summary>
    Subscription,
}

/// <summary>How a rule turns a cost into a price.</summary>
public enum MarginMethod
{
    /// <summary>The cost plus <see cref="MarginRule.Percent"/> per cent: 10.08 at 20 % is 12.096.</summary>
    Markup,

    /// <summary>Microsoft's list price (ERP) less <see cref="MarginRule.Percent"/> per cent: 12.50 less 4 % is 12.00.</summary>
    ListDiscount,

    /// <summary><see cref="MarginRule.FixedMonthlyPrice"/> per seat per month, whatever the cost.</summary>
    FixedPrice,

    /// <summary>No rule at this level from this version on: the less specific rule applies (how a rule is ended).</summary>
    Inherit,
}

/// <summary>Who gets a Microsoft promotion's discount.</summary>
public enum PromotionHandling
{
    /// <summary>The price is worked out from the discounted cost: the customer gets the discount.</summary>
    PassOn,

    /// <summary>The price is worked out from the cost before the discount: the partner keeps it as extra margin.</summary>
    Keep,
}

/// <summary>
/// One version of one partner's margin rule: for <see cref="Level"/> and <see cref="Target"/>, from
/// <see cref="EffectiveFrom"/> until a later version of the same level and target takes effect. Versions are never edited.
/// </summary>
/// <remarks>
/// <see cref="Percent"/> is in per cent (20 means 20 %). <see cref="FloorPercent"/> keeps the price at or above the cost plus
/// that many per cent, and wins over the ceiling: a price is never under its floor, even above list. With
/// <see cref="CeilingAtList"/> the price never goes above Microsoft's list price (ERP) where the price list has one.
/// A fixed price is per seat per month in <see cref="FixedMonthlyPrice"/>'s currency; a yearly charge is twelve of them.
/// </remarks>
public sealed record MarginRule(
    Guid Id,
    Guid OwnerId,
    MarginLevel Level,
    string Target,
    int Version,
    MarginMethod Method,
    decimal? Percent,
    Money? FixedMonthlyPrice,
    decimal? FloorPercent,
    bool CeilingAtList,
    PromotionHandling Promotions,
    DateOnly EffectiveFrom)
{
    /// <summary>The rule in a few words, as an explanation names it.</summary>
    public string Describe() => Method switch
    {
        MarginMethod.Markup => string.Create(CultureInfo.InvariantCulture, $"markup {Percent:0.####} % on cost"),
        MarginMethod.ListDiscount => string.Create(CultureInfo.InvariantCulture, $"list price less {Percent:0.####} %"),
        MarginMethod.FixedPrice => $"fixed {PriceResolver.Show(FixedMonthlyPrice!.Value)} per seat per month",
        _ => "inherit",
    };

    /// <summary>Why this rule could not be what its fields say, or null: each method needs its own value and no other.</summary>
    public static string? Problem(MarginMethod method, decimal? percent, Money? fixedMonthlyPrice, decimal? floorPercent) => method switch
    {
        MarginMethod.Markup when percent is not { } p || p < -100m || p > 1000m => "percent: a markup needs a percent from -100 to 1000.",
        MarginMethod.ListDiscount when percent is not { } p || p < 0m || p > 100m => "percent: a list discount needs a percent from 0 to 100.",
        MarginMethod.FixedPrice when fixedMonthlyPrice is not { Amount: >= 0m } => "fixedMonthlyPrice: a fixed price needs an amount of 0 or more.",
        MarginMethod.FixedPrice or MarginMethod.Inherit when percent is not null => $"percent: a {method} rule takes no percent.",
        MarginMethod.Markup or MarginMethod.ListDiscount or MarginMethod.Inherit when fixedMonthlyPrice is not null => $"fixedMonthlyPrice: a {method} rule takes no fixed price.",
        MarginMethod.Inherit when floorPercent is not null => "floorPercent: an Inherit rule takes no floor.",
        _ when floorPercent is < -100m or > 1000m => "floorPercent: a floor is from -100 to 1000 per cent over cost.",
        _ => null,
    };
}
