using System.Globalization;
using Csp.Domain;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using static Csp.PartnerCenter.Simulator.SimulatorCatalog;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// New-commerce promotions (docs/microsoft/promotions.md; "Get promotions", "Get promotion by ID", "Promotion resources"):
/// the ones that can be bought now in a market and segment, one by id whatever its dates, and the rule checkout applies
/// to a cart line's <c>promotionId</c> — the promotion must exist, be current, and name the line's SKU, term and billing
/// cycle (<see cref="InvalidPromotion"/> otherwise). A promotion takes <c>PercentDiscount</c> off the price list's price.
/// </summary>
public static class Promotions
{
    /// <summary>Microsoft's error for a promotion that does not exist or does not apply.</summary>
    public const string InvalidPromotion = "27007";

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/productpromotions", (string? country, string? segment, SimulatorClock clock) =>
            !IsMarket(country) ? NoMarket(country)
            : segment is null ? MicrosoftErrors.InvalidInput("segment is required: commercial.")
            : TypedResults.Json(Page(SimulatorCatalog.Promotions.Where(p => segment.Equals("commercial", StringComparison.OrdinalIgnoreCase) && Current(p, clock.GetUtcNow())).Select(View).ToList()), SimulatorJson.Default.PromotionPage));
        v1.MapGet("/productpromotions/{promotionId}", (string promotionId, string? country) =>
            !IsMarket(country) ? NoMarket(country)
            : Find(promotionId) is { } promotion ? TypedResults.Json(ById(promotion), SimulatorJson.Default.PromotionByIdResource)
            : MicrosoftErrors.NotFound($"Promotion {promotionId}"));
    }

    /// <summary>The promotion with this id, if the catalog has it.</summary>
    public static SimPromotion? Find(string promotionId) =>
        SimulatorCatalog.Promotions.FirstOrDefault(p => p.Id.Equals(promotionId, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The share the promotion <paramref name="promotionId"/> takes off a cart line for <paramref name="offer"/> bought on
    /// <paramref name="termDuration"/> billed <paramref name="billingCycle"/> at <paramref name="now"/>, or why it does not apply.
    /// </summary>
    public static (decimal? Discount, string? Refusal) Apply(string promotionId, Offer offer, string termDuration, string billingCycle, DateTimeOffset now) =>
        Find(promotionId) is not { } promotion ? (null, $"InvalidPromotion: there is no promotion {promotionId}.")
        : !Current(promotion, now) ? (null, $"InvalidPromotion: the promotion {promotionId} can be bought from {promotion.From:yyyy-MM-dd} to {promotion.To:yyyy-MM-dd}.")
        : Applies(promotion, offer, termDuration, billingCycle) ? (promotion.PercentDiscount, null)
        : (null, $"Term: the promotion {promotionId} applies to {promotion.ProductId}:{promotion.SkuId} on {promotion.Term.ToIso()} billed {promotion.Plan}, not to {offer.ProductId}:{offer.SkuId} on {termDuration} billed {billingCycle}.");

    private static bool Current(SimPromotion promotion, DateTimeOffset now) =>
        BillingClock.MicrosoftDay(now) is var today && promotion.From <= today && today <= promotion.To;

    private static bool Applies(SimPromotion p, Offer offer, string termDuration, string billingCycle) =>
        p.ProductId.Equals(offer.ProductId, StringComparison.OrdinalIgnoreCase) && p.SkuId.Equals(offer.SkuId, StringComparison.OrdinalIgnoreCase)
        && p.Term.ToIso().Equals(termDuration, StringComparison.OrdinalIgnoreCase) && p.Plan.ToString().Equals(billingCycle, StringComparison.OrdinalIgnoreCase);

    private static PromotionPage Page(List<PromotionResource> items) => new(items.Count, items);

    /// <summary>Bought from the first day's start to the last day's last second; the tag is the product's.</summary>
    private static PromotionResource View(SimPromotion p) => new(
        p.Id,
        p.Name,
        p.Name,
        "commercial",
        [new RequiredProductResource<PricingPolicyResource>(p.ProductId, p.SkuId, Term(p), [new PricingPolicyResource(PercentDiscount, Share(p))])],
        new PromotionPropertiesResource(BillingClock.StartOfDay(p.From), LastSecond(p), p.ProductId));

    private static PromotionByIdResource ById(SimPromotion p) => new(
        p.Id, p.Name, p.Name, BillingClock.StartOfDay(p.From), LastSecond(p), new PromotionFlagsResource(false),
        [new RequiredProductResource<PolicyTypeResource>(p.ProductId, p.SkuId, Term(p), [new PolicyTypeResource(PercentDiscount, Share(p))])]);

    private static PromotionTermResource Term(SimPromotion p) => new(p.Term.ToIso(), p.Plan.ToString());

    private static string Share(SimPromotion p) => p.PercentDiscount.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset LastSecond(SimPromotion p) => BillingClock.StartOfDay(p.To.AddDays(1)).AddSeconds(-1);

    /// <summary>Microsoft's pricing policy for a share off the price.</summary>
    private const string PercentDiscount = "PercentDiscount";

    private static bool IsMarket(string? country) => Markets.Any(m => m.Market.Equals(country, StringComparison.OrdinalIgnoreCase));

    private static IResult NoMarket(string? country) =>
        MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800070, $"Promotions are not available in country '{country}'. Name a market with ?country=.");
}
