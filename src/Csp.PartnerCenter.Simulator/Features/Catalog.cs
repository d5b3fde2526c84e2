using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
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
            targetView is null ? MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 400036, "The targetView is required: OnlineServices, Azure, ….")
            : TypedResults.Json(
                CollectionResource.Of(Offers.Where(o => View(o).Equals(targetView, StringComparison.OrdinalIgnoreCase)).DistinctBy(o => o.ProductId).Select(o => Product(o, market)), $"/products?country={market}&targetView={targetView}"),
                SimulatorJson.Default.CollectionResourceProductResource)));
        v1.MapGet("/products/{productId}/skus", (string productId, string? country) => WithMarket(country, market =>
            !Offers.Any(o => o.ProductId == productId) ? ProductNotFound(productId)
            : TypedResults.Json(CollectionResource.Of(Offers.Where(o => o.ProductId == productId).Select(o => Sku(o, market)), $"/products/{productId}/skus?country={market}"), SimulatorJson.Default.CollectionResourceSkuResource)));
        v1.MapGet("/products/{productId}/skus/{skuId}/availabilities", (string productId, string skuId, string? country) => WithMarket(country, market =>
            !Offers.Any(o => o.ProductId == productId) ? ProductNotFound(productId)
            : !Offers.Any(o => o.ProductId == productId && o.SkuId == skuId) ? MicrosoftErrors.Error(StatusCodes.Status404NotFound, 400018, $"SKU {skuId} of product {productId} wasn't found.")
            : TypedResults.Json(
                CollectionResource.Of(Offers.Where(o => o.ProductId == productId && o.SkuId == skuId).Select(o => Availability(o, market)), $"/products/{productId}/skus/{skuId}/availabilities?country={market}"),
                SimulatorJson.Default.CollectionResourceAvailabilityResource)));
    }

    private static IResult ProductNotFound(string productId) => MicrosoftErrors.Error(StatusCodes.Status404NotFound, 400013, $"Product {productId} wasn't found.");

    private static IResult WithMarket(string? country, Func<string, IResult> respond) =>
        Markets.Any(m => m.Market.Equals(country, StringComparison.OrdinalIgnoreCase))
            ? respond(country!.ToUpperInvariant())
            : MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800070, $"The offer is not available in country '{country}'. Name a market with ?country=.");

    /// <summary>The target view that lists the offer: new commerce licences are in <c>OnlineServices</c> (product type <c>OnlineServicesNCE</c>).</summary>
    private static string View(Offer o) => o.IsUsage ? "Azure" : "OnlineServices";

    private static ProductResource Product(Offer o, string market) =>
        new(o.ProductId, o.Title, o.Title, o.IsUsage ? new ItemTypeWithSubType("Azure", "Azure", new ItemTypeWithSubType("AzurePlan", "AzurePlan")) : new ItemTypeWithSubType("OnlineServicesNCE", "OnlineServicesNCE"), true, "Microsoft Corporation",
            new ProductLinksResource(LinkResource.Get($"/products/{o.ProductId}/skus?country={market}"), LinkResource.Get($"/products/{o.ProductId}?country={market}")));

    private static SkuResource Sku(Offer o, string market) =>
        new(o.SkuId, o.ProductId, o.Title, o.Title, 1, o.MaximumQuantity, false,
            o.IsUsage ? ["monthly"] : o.Terms().Select(t => t.BillingPlan.ToString().ToLowerInvariant()).Distinct().ToList(),
            ["MicrosoftCloudAgreement"], [], [], o.IsUsage ? [] : ["Refund"],
            new SkuDynamicAttributesResource(true, !o.IsUsage, false, [], false, UpgradesTo.GetValueOrDefault(o.ProductId, []).Select(p => $"{p}:{o.SkuId}").ToList(), ProvisioningId(o), false),
            new SkuLinksResource(LinkResource.Get($"/products/{o.ProductId}/skus/{o.SkuId}/availabilities?country={market}"), LinkResource.Get($"/products/{o.ProductId}/skus/{o.SkuId}?country={market}")));

    /// <summary>A stable id per SKU, as Microsoft's service plan ids are: the same SKU always has the same one.</summary>
    private static string ProvisioningId(Offer o) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{o.ProductId}:{o.SkuId}")).AsSpan(0, 16)).ToString();

    public static AvailabilityResource Availability(Offer o, string market)
    {
        var currency = Markets.Single(m => m.Market == market).Currency;
        var terms = o.Terms().Select(t => new AvailabilityTermResource(
            TermId(o, t.Term, t.BillingPlan), t.Term.ToIso(), Description(t.Term, t.BillingPlan), t.BillingPlan.ToString(),
            [new CancellationPolicyResource([new RefundOptionResource(0, "Full", "P1D"), new RefundOptionResource(1, "Partial", "P7D")])])).ToList();
        var renewals = terms.Count == 0 ? [] : new[] { new RenewalInstructionResource(terms.Select(t => t.Id).ToList(), [new RenewalOptionResource($"{o.ProductId}:{o.SkuId}", true)]) };
        return new AvailabilityResource(
            o.AvailabilityId, o.ProductId, o.SkuId, o.CatalogItemId, new CurrencyResource(currency, CurrencySymbol(currency)), "commercial", market, true, !o.IsUsage, renewals, terms,
            new SelfLinksResource(LinkResource.Get($"/products/{o.ProductId}/skus/{o.SkuId}/availabilities/{o.AvailabilityId}?country={market}")));
    }

    /// <summary>A term's id: Microsoft's are opaque twelve-character strings; the simulator's name the offer, term and cycle.</summary>
    private static string TermId(Offer o, Term term, BillingPlan plan) => $"{o.AvailabilityId}-{term}-{plan}".ToLowerInvariant();

    private static string Description(Term term, BillingPlan plan) =>
        $"{term switch { Term.P1M => "One-Month", Term.P1Y => "One-Year", _ => "Three-Years" }} commitment for {plan.ToString().ToLowerInvariant()} billing";

    /// <summary>The offer a catalog item id names (<c>product:sku:availability</c>), if the catalog has it.</summary>
    public static Offer? Find(string catalogItemId) => Offers.FirstOrDefault(o => o.CatalogItemId.Equals(catalogItemId, StringComparison.OrdinalIgnoreCase));
}
