using Csp.Data;
using Csp.Domain;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>The price-list rows of some products in some markets, read once, asked by product, market, term and day.</summary>
public sealed class PriceList(IReadOnlyList<Price> prices)
{
    /// <summary>Every price of the products of <paramref name="subscriptions"/> in the markets of <paramref name="customers"/>.</summary>
    /// <param name="moreProducts">Other products whose prices are needed: one bought before an upgrade, or an upgrade's target.</param>
    public static async Task<PriceList> LoadAsync(
        CommerceDb db, IEnumerable<Subscription> subscriptions, IEnumerable<Customer> customers, CancellationToken cancellationToken, IEnumerable<string>? moreProducts = null)
    {
        var products = subscriptions.Select(s => s.ProductId).Concat(subscriptions.Select(s => s.ScheduledRenewal?.ProductId).OfType<string>()).Concat(moreProducts ?? []).Distinct().ToList();
        var markets = customers.Select(c => c.Country).Distinct().ToList();
        return new PriceList(await db.Prices.Where(p => products.Contains(p.ProductId) && markets.Contains(p.Market)).ToListAsync(cancellationToken));
    }

    /// <summary>Every price of <paramref name="products"/> in <paramref name="customer"/>'s market.</summary>
    public static async Task<PriceList> LoadAsync(CommerceDb db, IReadOnlyCollection<string> products, Customer customer, CancellationToken cancellationToken) =>
        new(await db.Prices.Where(p => products.Contains(p.ProductId) && p.Market == customer.Country).ToListAsync(cancellationToken));

    /// <summary>The price per seat per charge cycle on <paramref name="day"/>; null when the price list has none.</summary>
    public decimal? UnitPrice(string productId, string skuId, string availabilityId, Customer customer, Term term, BillingPlan plan, DateOnly day) =>
        prices.FirstOrDefault(p =>
                p.ProductId == productId && p.SkuId == skuId && p.AvailabilityId == availabilityId && p.Market == customer.Country && p.Currency == customer.Currency
                && p.Term == term && p.BillingPlan == plan && p.EffectiveFrom <= day && (p.EffectiveTo == null || p.EffectiveTo >= day))
            ?.UnitPrice;

    /// <summary>
    /// Microsoft's list price (ERP) per seat per charge cycle on <paramref name="day"/> for the SKU in any of its
    /// availabilities (they share one list price); null when the price list has none.
    /// </summary>
    public Money? ListPrice(string productId, string skuId, Customer customer, Term term, BillingPlan plan, DateOnly day) =>
        prices.FirstOrDefault(p =>
                p.ProductId == productId && p.SkuId == skuId && p.Market == customer.Country && p.Currency == customer.Currency
                && p.Term == term && p.BillingPlan == plan && p.EffectiveFrom <= day && (p.EffectiveTo == null || p.EffectiveTo >= day))
            is { } row ? new Money(row.ErpPrice, Currency.FromCode(customer.Currency).Value) : null;

    /// <summary>The SKU's one-month-term price on <paramref name="day"/>, the base of an Extended Service Term; null when it has no monthly plan.</summary>
    public Money? MonthlyTermPrice(string productId, string skuId, string availabilityId, Customer customer, DateOnly day) =>
        UnitPrice(productId, skuId, availabilityId, customer, Term.P1M, BillingPlan.Monthly, day) is { } price
            ? new Money(price, Currency.FromCode(customer.Currency).Value)
            : null;
}
