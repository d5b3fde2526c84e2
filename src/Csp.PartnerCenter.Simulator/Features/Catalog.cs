using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator.Http;
using static Csp.PartnerCenter.Simulator.SimulatorCatalog;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// The catalog (<c>/v1/products</c> → SKUs → availabilities) for a market, from <see cref="SimulatorCatalog"/>: each
/// availability lists its terms with billing cycle, price in the market's currency and cancellation policy.
/// </summary>
public static class Catalog
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/products", (string? country, string? targetView) => WithMarket(country, market =>
            TypedResults.Json(Page(Offers.Where(o => targetView is null || View(o).Equals(targetView, StringComparison.OrdinalIgnoreCase)).DistinctBy(o => o.ProductId).Select(Product)), PartnerCenterJson.Default.ResourcePageProduct)));
        v1.MapGet("/products/{productId}/skus", (string productId, string? country) => WithMarket(country, market =>
            !Offers.Any(o => o.ProductId == productId) ? ProductNotFound(productId)
            : TypedResults.Json(Page(Offers.Where(o => o.ProductId == productId).Select(Sku)), PartnerCenterJson.Default.ResourcePageSku)));
        v1.MapGet("/products/{productId}/skus/{skuId}/availabilities", (string productId, string skuId, string? country) => WithMarket(country, market =>
            !Offers.Any(o => o.ProductId == productId) ? ProductNotFound(productId)
            : !Offers.Any(o => o.ProductId == productId && o.SkuId == skuId) ? MicrosoftErrors.Error(StatusCodes.Status404NotFound, 400018, $"SKU {skuId} of product {productId} wasn't found.")
            : TypedResults.Json(Page(Offers.Where(o => o.ProductId == productId && o.SkuId == skuId).Select(o => Availability(o, market))), PartnerCenterJson.Default.ResourcePageAvailability)));
    }

    private static IResult ProductNotFound(string productId) => MicrosoftErrors.Error(StatusCodes.Status404NotFound, 400013, $"Product {productId} wasn't found.");

    private static IResult WithMarket(string? country, Func<string, IResult> respond) =>
        Markets.Any(m => m.Market.Equals(country, StringComparison.OrdinalIgnoreCase))
            ? respond(country!.ToUpperInvariant())
            : MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800070, $"The offer is not available in country '{country}'. Name a market with ?country=.");

    /// <summary>One page holding every item, as Microsoft answers a list that fits in one.</summary>
    public static ResourcePage<T> Page<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return new ResourcePage<T>(list.Count, list);
    }

    private static string View(Offer o) => o.IsUsage ? "Azure" : "OnlineServices";

    private static Product Product(Offer o) =>
        new(o.ProductId, o.Title, o.Title, new ProductType(o.IsUsage ? "Azure" : "OnlineServicesNCE", o.IsUsage ? "Azure" : "OnlineServicesNCE"), "Microsoft Corporation");

    private static Sku Sku(Offer o) => new(o.SkuId, o.ProductId, o.Title, o.Title, 1, o.MaximumQuantity, false, o.IsUsage ? "usage" : "license");

    public static Availability Availability(Offer o, string market)
    {
        var currency = Markets.Single(m => m.Market == market).Currency;
        var terms = o.Terms().Select(t => new AvailabilityTerm(
            $"{t.Term}-{t.BillingPlan}".ToLowerInvariant(), t.Term.ToIso(), Description(t.Term, t.BillingPlan), t.BillingPlan.ToString(),
            [new CancellationPolicy([new RefundOption(0, "Full", "P1D"), new RefundOption(1, "Partial", "P7D")])],
            UnitPrice(o, market, t.Term, t.BillingPlan, SimulatorCatalog.CurrentListFrom)));
        return new Availability(o.AvailabilityId, o.ProductId, o.SkuId, o.CatalogItemId, currency, market, "Commercial", true, terms.ToList());
    }

    private static string Description(Term term, BillingPlan plan) =>
        $"{term switch { Term.P1M => "One-Month", Term.P1Y => "One-Year", _ => "Three-Years" }} commitment for {plan.ToString().ToLowerInvariant()} billing";

    /// <summary>The offer a catalog item id names (<c>product:sku:availability</c>), if the catalog has it.</summary>
    public static Offer? Find(string catalogItemId) => Offers.FirstOrDefault(o => o.CatalogItemId.Equals(catalogItemId, StringComparison.OrdinalIgnoreCase));
}
