using Csp.Data;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using Availability = Csp.Data.Availability;
using Product = Csp.Data.Product;
using Sku = Csp.Data.Sku;

namespace Csp.Commerce.Sync;


/// <summary>
/// Brings the platform's catalog and price lists up to date from Partner Center: the licence and Azure products of the
/// partner's market with their SKUs and availabilities (terms and billing plans), and this month's license-based price
/// list of every market the partner's customers are in. Only what is new is added: a price that changed is a new row
/// from its effective date, and the row it replaces ends the day before. Posted prices are never edited otherwise.
/// </summary>
public static class SyncCatalog
{
    /// <summary>
    /// Microsoft's catalog views the platform sells from: <c>OnlineServices</c>, of which it keeps the new commerce licences
    /// (product type <c>OnlineServicesNCE</c>), and <c>Azure</c>, for the Azure plan (get-a-list-of-products).
    /// </summary>
    private static readonly string[] TargetViews = ["OnlineServices", "Azure"];

    private const string NewCommerceLicences = "OnlineServicesNCE";

    /// <summary>The products, SKUs and availabilities of <paramref name="partnerMarket"/> the platform does not hold yet; how many were added.</summary>
    public static async Task<int> ImportProductsAsync(CommerceDb db, PartnerCenterClient client, string partnerMarket, CancellationToken cancellationToken)
    {
        var (products, skus, availabilities) = (0, 0, 0);
        var knownProducts = await db.Products.ToDictionaryAsync(p => p.Id, cancellationToken);
        var knownSkus = (await db.Skus.Select(s => new { s.ProductId, s.Id }).ToListAsync(cancellationToken)).Select(s => (s.ProductId, s.Id)).ToHashSet();
        var knownAvailabilities = await db.Availabilities.ToDictionaryAsync(a => a.CatalogItemId, cancellationToken);
        foreach (var view in TargetViews)
        {
            foreach (var found in (await client.ListProductsAsync(partnerMarket, view, cancellationToken)).Where(p => view == "Azure" || p.ProductType.Id == NewCommerceLicences))
            {
                if (!knownProducts.ContainsKey(found.Id))
                {
                    knownProducts[found.Id] = db.Products.Add(new Product(found.Id, found.Title, found.ProductType.DisplayName, view == "Azure" ? BillingType.Usage : BillingType.License, found.PublisherName)).Entity;
                    products++;
                }

                foreach (var sku in await client.ListSkusAsync(found.Id, partnerMarket, cancellationToken))
                {
                    if (knownSkus.Add((found.Id, sku.Id)))
                    {
                        db.Skus.Add(new Sku(found.Id, sku.Id, sku.Title, sku.MinimumQuantity, sku.MaximumQuantity));
                        skus++;
                    }

                    foreach (var offered in await client.ListAvailabilitiesAsync(found.Id, sku.Id, partnerMarket, cancellationToken))
                    {
                        if (!knownAvailabilities.ContainsKey(offered.CatalogItemId))
                        {
                            var availability = new Availability(found.Id, sku.Id, offered.Id, offered.Segment);
                            foreach (var term in offered.Terms)
                            {
                                if (TermExtensions.ParseTerm(term.Duration) is { IsSuccess: true } parsed && TermExtensions.ParseBillingPlan(term.BillingCycle, parsed.Value) is { IsSuccess: true } plan)
                                {
                                    availability.Offer(parsed.Value, plan.Value);
                                }
                            }

                            knownAvailabilities[offered.CatalogItemId] = db.Availabilities.Add(availability).Entity;
                            availabilities++;
                        }
                    }
                }
            }
        }

        return products + skus + availabilities;
    }

    /// <summary>This month's price list of <paramref name="market"/>: the rows the platform does not hold yet; how many were added.</summary>
    public static async Task<int> ImportPricesAsync(CommerceDb db, PartnerCenterClient client, string market, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prices = 0;
        var availabilitiesBySku = (await db.Availabilities.ToListAsync(cancellationToken)).ToLookup(a => (a.ProductId, a.SkuId));
        var sheet = await client.GetPriceSheetAsync(market, "current", null, cancellationToken) ?? [];
        var held = await db.Prices.Where(p => p.Market == market).ToListAsync(cancellationToken);
        foreach (var entry in sheet.Where(e => e.ChangeIndicator != "DEL"))
        {
            if (TermExtensions.ParseTerm(entry.TermDuration) is not { IsSuccess: true } term || TermExtensions.ParseBillingPlan(entry.BillingPlan, term.Value) is not { IsSuccess: true } plan)
            {
                continue;
            }

            foreach (var availability in availabilitiesBySku[(entry.ProductId, entry.SkuId)])
            {
                var same = held.Where(p => p.AvailabilityId == availability.Id && p.ProductId == entry.ProductId && p.SkuId == entry.SkuId && p.Currency == entry.Currency
                    && p.Term == term.Value && p.BillingPlan == plan.Value).ToList();
                if (same.Any(p => p.EffectiveFrom == entry.EffectiveStartDate))
                {
                    continue;
                }

                foreach (var replaced in same.Where(p => p.EffectiveFrom < entry.EffectiveStartDate && (p.EffectiveTo is null || p.EffectiveTo >= entry.EffectiveStartDate)))
                {
                    replaced.EndOn(entry.EffectiveStartDate.AddDays(-1));
                }

                db.Prices.Add(new Price(
                    Guid.CreateVersion7(now), entry.ProductId, entry.SkuId, availability.Id, market, entry.Currency, term.Value, plan.Value, entry.UnitPrice,
                    entry.ErpPrice ?? entry.UnitPrice, entry.EffectiveStartDate, entry.EffectiveEndDate));
                prices++;
            }
        }

        return prices;
    }
}
