using Csp.Data;
using Csp.Domain.Pricing;

namespace Csp.Commerce.Pricing;

/// <summary>One version of a margin rule as the API shows it.</summary>
public sealed record MarginRuleView(
    Guid Id,
    Guid PartnerId,
    MarginLevel Level,
    string Target,
    int Version,
    MarginMethod Method,
    decimal? Percent,
    decimal? FixedMonthlyPrice,
    string? Currency,
    decimal? FloorPercent,
    bool CeilingAtList,
    PromotionHandling Promotions,
    DateOnly EffectiveFrom,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string Description)
{
    public static MarginRuleView Of(MarginRuleVersion r) => new(
        r.Id, r.PartnerId, r.Level, r.Target, r.Version, r.Method, r.Percent, r.FixedMonthlyPrice, r.FixedCurrency, r.FloorPercent, r.CeilingAtList, r.Promotions, r.EffectiveFrom, r.CreatedAt, r.CreatedBy, r.ToRule().Describe());
}
