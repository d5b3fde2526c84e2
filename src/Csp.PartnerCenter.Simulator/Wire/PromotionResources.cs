namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>A promotion as get-promotions' sample writes it: the pricing policy's kind as <c>type</c>, the dates under <c>properties</c>.</summary>
public sealed record PromotionResource(string Id, string Name, string Description, string Segment, IReadOnlyList<RequiredProductResource<PricingPolicyResource>> RequiredProducts, PromotionPropertiesResource Properties);

public sealed record PromotionPropertiesResource(DateTimeOffset StartDate, DateTimeOffset EndDate, string Tag);

/// <summary>The list as get-promotions' sample writes it: the items and how many, without the links and attributes of other collections.</summary>
public sealed record PromotionPage(int TotalCount, IReadOnlyList<PromotionResource> Items);

/// <summary>
/// A promotion as get-promotion-by-id's sample writes it: the dates beside the name, the pricing policy's kind as
/// <c>policyType</c>. The simulator's promotions have no eligibility constraints, so <c>promotionConstraints</c> is left out.
/// </summary>
public sealed record PromotionByIdResource(
    string Id, string Name, string Description, DateTimeOffset StartDate, DateTimeOffset EndDate, PromotionFlagsResource Properties, IReadOnlyList<RequiredProductResource<PolicyTypeResource>> RequiredProducts);

public sealed record PromotionFlagsResource(bool IsAutoApplicable);

public sealed record RequiredProductResource<TPolicy>(string ProductId, string SkuId, PromotionTermResource Term, IReadOnlyList<TPolicy> PricingPolicies);

public sealed record PromotionTermResource(string Duration, string BillingCycle);

/// <param name="Value">The share off as text: <c>"0.15"</c> is 15%.</param>
public sealed record PricingPolicyResource(string Type, string Value);

public sealed record PolicyTypeResource(string PolicyType, string Value);
