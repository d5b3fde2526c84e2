using Csp.Data;
using Csp.Domain;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Pricing;

/// <summary>One row of Microsoft's price list as in force on a day: per seat per charge cycle, and its list price (ERP).</summary>
public sealed record PriceListRow(
    string ProductId, string SkuId, string AvailabilityId, string SkuTitle, string Market, string Currency, Term Term, BillingPlan BillingPlan, decimal UnitPrice, decimal ErpPrice, DateOnly EffectiveFrom, DateOnly? EffectiveTo);

/// <summary>What happened to a SKU's price for one market, currency, term and plan between two months.</summary>
public enum PriceChangeKind
{
    New,
    Removed,
    Up,
    Down,
}

/// <summary>
/// A SKU's price change between two months, per seat per charge cycle: before and after (null where it was not or is no
/// longer listed), the difference and the difference as a per cent of before (rounded to two places, for reading).
/// </summary>
public sealed record PriceChange(
    string ProductId, string SkuId, string SkuTitle, string Market, string Currency, Term Term, BillingPlan BillingPlan, PriceChangeKind Change, decimal? Before, decimal? After, decimal? Amount, decimal? Percent);

/// <summary>
/// Microsoft's licence price list, every version kept (each row effective from a day until the next version's): as in force
/// on the first day of a month, and what changed between two months. Prices are Microsoft's, the same for every partner.
/// </summary>
public static class PriceLists
{
    public static async Task<Paged<PriceListRow>> InForceAsync(CommerceDb db, BillingPeriod month, string? market, string? currency, string? productId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var rows = InForce(db, month.Start, market, currency);
        if (!string.IsNullOrWhiteSpace(productId))
        {
            rows = rows.Where(p => p.ProductId == productId);
        }

        var total = await rows.CountAsync(cancellationToken);
        var found = await rows
            .OrderBy(p => p.ProductId).ThenBy(p => p.SkuId).ThenBy(p => p.AvailabilityId).ThenBy(p => p.Market).ThenBy(p => p.Currency).ThenBy(p => p.Term).ThenBy(p => p.BillingPlan)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        var titles = await TitlesAsync(db, cancellationToken);
        return new Paged<PriceListRow>(
            found.Select(p => new PriceListRow(p.ProductId, p.SkuId, p.AvailabilityId, titles.GetValueOrDefault((p.ProductId, p.SkuId), ""), p.Market, p.Currency, p.Term!.Value, p.BillingPlan, p.UnitPrice, p.ErpPrice, p.EffectiveFrom, p.EffectiveTo)).ToList(),
            page,
            pageSize,
            total);
    }

    /// <summary>Every price that is new, removed, up or down on the first day of <paramref name="to"/> against that of <paramref name="from"/>; unchanged ones are left out.</summary>
    public static async Task<Result<Paged<PriceChange>>> ChangesAsync(
        CommerceDb db, BillingPeriod from, BillingPeriod to, string? market, string? currency, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (to.Start <= from.Start)
        {
            return Error.InvalidParameter("to", "to: a month after 'from'.");
        }

        // A SKU has one price per market, currency, term and plan, whichever availability lists it.
        static Dictionary<(string, string, string, string, Term, BillingPlan), decimal> ByKey(List<Price> prices) =>
            prices.GroupBy(p => (p.ProductId, p.SkuId, p.Market, p.Currency, p.Term!.Value, p.BillingPlan)).ToDictionary(g => g.Key, g => g.OrderBy(p => p.AvailabilityId, StringComparer.Ordinal).First().UnitPrice);
        var before = ByKey(await InForce(db, from.Start, market, currency).ToListAsync(cancellationToken));
        var after = ByKey(await InForce(db, to.Start, market, currency).ToListAsync(cancellationToken));
        var titles = await TitlesAsync(db, cancellationToken);
        var changes = before.Keys.Union(after.Keys)
            .Select(key =>
            {
                decimal? was = before.TryGetValue(key, out var b) ? b : null;
                decimal? now = after.TryGetValue(key, out var a) ? a : null;
                var kind = (was, now) switch
                {
                    (null, _) => PriceChangeKind.New,
                    (_, null) => PriceChangeKind.Removed,
                    var (x, y) when y > x => PriceChangeKind.Up,
                    var (x, y) when y < x => PriceChangeKind.Down,
                    _ => (PriceChangeKind?)null,
                };
                var (product, sku, m, c, term, plan) = key;
                return kind is { } change
                    ? new PriceChange(
                        product, sku, titles.GetValueOrDefault((product, sku), ""), m, c, term, plan, change, was, now, now - was,
                        was is > 0 && now is { } n ? Math.Round((n - was.Value) / was.Value * 100m, 2, Rounding.Estimate) : null)
                    : null;
            })
            .OfType<PriceChange>()
            .OrderBy(c => c.ProductId, StringComparer.Ordinal).ThenBy(c => c.SkuId, StringComparer.Ordinal).ThenBy(c => c.Market, StringComparer.Ordinal)
            .ThenBy(c => c.Currency, StringComparer.Ordinal).ThenBy(c => c.Term).ThenBy(c => c.BillingPlan)
            .ToList();
        return new Paged<PriceChange>(changes.Skip((page - 1) * pageSize).Take(pageSize).ToList(), page, pageSize, changes.Count);
    }

    /// <summary>The licence prices in force on <paramref name="day"/>, of one market and currency when named.</summary>
    internal static IQueryable<Price> InForce(CommerceDb db, DateOnly day, string? market, string? currency)
    {
        var prices = db.Prices.Where(p => p.Term != null && p.EffectiveFrom <= day && (p.EffectiveTo == null || p.EffectiveTo >= day));
        if (!string.IsNullOrWhiteSpace(market))
        {
            var code = market.Trim().ToUpperInvariant();
            prices = prices.Where(p => p.Market == code);
        }

        if (!string.IsNullOrWhiteSpace(currency))
        {
            var code = currency.Trim().ToUpperInvariant();
            prices = prices.Where(p => p.Currency == code);
        }

        return prices;
    }

    private static async Task<Dictionary<(string, string), string>> TitlesAsync(CommerceDb db, CancellationToken cancellationToken) =>
        (await db.Skus.Select(k => new { k.ProductId, k.Id, k.Title }).ToListAsync(cancellationToken)).ToDictionary(k => (k.ProductId, k.Id), k => k.Title);
}
