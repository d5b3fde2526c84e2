using Csp.Domain;
using Csp.Domain.Pricing;

namespace Csp.Data;

/// <summary>
/// One version of a partner's margin rule for a level and target (docs/pricing.md). Never edited: a change is a new
/// version, numbered one above the last for the same partner, level and target, effective from its own date.
/// </summary>
public sealed class MarginRuleVersion
{
    public MarginRuleVersion(
        Guid id, Guid partnerId, MarginLevel level, string target, int version, MarginMethod method, decimal? percent, decimal? fixedMonthlyPrice, string? fixedCurrency,
        decimal? floorPercent, bool ceilingAtList, PromotionHandling promotions, DateOnly effectiveFrom, DateTimeOffset createdAt, string createdBy)
    {
        Id = id;
        PartnerId = partnerId;
        Level = level;
        Target = target;
        Version = version;
        Method = method;
        Percent = percent;
        FixedMonthlyPrice = fixedMonthlyPrice;
        FixedCurrency = fixedCurrency;
        FloorPercent = floorPercent;
        CeilingAtList = ceilingAtList;
        Promotions = promotions;
        EffectiveFrom = effectiveFrom;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }

    /// <summary>The partner whose margin this is: the seller the rule prices for.</summary>
    public Guid PartnerId { get; private set; }

    public MarginLevel Level { get; private set; }

    /// <summary>What the level names: empty, a reseller's or customer's id, a product id, <c>productId:skuId</c> or a subscription's id.</summary>
    public string Target { get; private set; }

    /// <summary>1 for the first version of this partner's rule for the level and target, then one more for each change.</summary>
    public int Version { get; private set; }

    public MarginMethod Method { get; private set; }

    public decimal? Percent { get; private set; }

    public decimal? FixedMonthlyPrice { get; private set; }

    public string? FixedCurrency { get; private set; }

    public decimal? FloorPercent { get; private set; }

    public bool CeilingAtList { get; private set; }

    public PromotionHandling Promotions { get; private set; }

    public DateOnly EffectiveFrom { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Who made this version: the API key or user, as the audit names them.</summary>
    public string CreatedBy { get; private set; }

    public MarginRule ToRule() => new(
        Id,
        PartnerId,
        Level,
        Target,
        Version,
        Method,
        Percent,
        FixedMonthlyPrice is { } amount ? new Money(amount, Currency.FromCode(FixedCurrency).Value) : null,
        FloorPercent,
        CeilingAtList,
        Promotions,
        EffectiveFrom);
}

/// <summary>A partner's tax rate for its customers in one country, from a date; a later row for the country replaces it.</summary>
public sealed class TaxRate
{
    public TaxRate(Guid id, Guid partnerId, string country, decimal percent, DateOnly effectiveFrom, DateTimeOffset createdAt, string createdBy)
    {
        Id = id;
        PartnerId = partnerId;
        Country = country;
        Percent = percent;
        EffectiveFrom = effectiveFrom;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }

    /// <summary>The partner that invoices and charges the tax.</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>ISO 3166-1 alpha-2 country of the customers the rate applies to.</summary>
    public string Country { get; private set; }

    /// <summary>The rate in per cent, e.g. 21 for 21 %.</summary>
    public decimal Percent { get; private set; }

    public DateOnly EffectiveFrom { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }
}
