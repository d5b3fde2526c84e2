using Csp.Commerce.Pricing;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Lifecycle;

/// <summary>A price of an offer: per seat per charge cycle, for one term and billing plan, in the customer's currency.</summary>
public sealed record OfferPrice(Term Term, BillingPlan BillingPlan, decimal UnitPrice);

/// <summary>A catalog item a customer can be sold (<c>productId:skuId:availabilityId</c>), with Microsoft's prices for it today.</summary>
public sealed record Offer(string CatalogItemId, string Title, IReadOnlyList<OfferPrice> Prices);

/// <summary>
/// What a customer can be sold from the catalog: the licence offers with a price in force today in the customer's market
/// and currency (usage-based plans are not ordered by seat), whose title holds <c>search</c>, by title, at most
/// <see cref="MaxOffers"/> — what the order form offers before the order is previewed.
/// </summary>
public static class ListOffers
{
    public const int MaxOffers = 50;

    public const int MaxSearch = 100;

    public static async Task<Result<List<Offer>>> RunAsync(CommerceDb db, Guid customerId, string? search, TimeProvider time, CancellationToken cancellationToken)
    {
        if (search?.Length > MaxSearch)
        {
            return Error.InvalidParameter("offer", $"The product searched for is at most {MaxSearch} characters.");
        }

        if (await db.Customers.Where(c => c.Id == customerId).Select(c => new { c.Country, c.Currency }).FirstOrDefaultAsync(cancellationToken) is not { } customer)
        {
            return Error.NotFound("customer", customerId);
        }

        var prices = PriceLists.InForce(db, BillingClock.MicrosoftToday(time), customer.Country, customer.Currency);
        var skus = db.Skus.Where(k => prices.Any(p => p.ProductId == k.ProductId && p.SkuId == k.Id));
        if (!string.IsNullOrWhiteSpace(search))
        {
            var words = search.Trim().ToLowerInvariant();
            skus = skus.Where(k => k.Title.ToLower().Contains(words));
        }

        var found = await skus.OrderBy(k => k.Title).ThenBy(k => k.ProductId).ThenBy(k => k.Id).Take(MaxOffers).Select(k => new { k.ProductId, k.Id, k.Title }).ToListAsync(cancellationToken);
        var productIds = found.Select(k => k.ProductId).Distinct().ToList();
        var priced = await prices.Where(p => productIds.Contains(p.ProductId)).ToListAsync(cancellationToken);
        return found.SelectMany(k => priced.Where(p => p.ProductId == k.ProductId && p.SkuId == k.Id).GroupBy(p => p.AvailabilityId).Select(g => new Offer(
                CatalogItem.Id(k.ProductId, k.Id, g.Key),
                k.Title,
                g.OrderBy(p => p.Term).ThenBy(p => p.BillingPlan).Select(p => new OfferPrice(p.Term!.Value, p.BillingPlan, p.UnitPrice)).ToList())))
            .ToList();
    }
}
