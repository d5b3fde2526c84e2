using Csp.Data;
using Csp.Domain;
using Csp.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Pricing;

/// <summary>
/// A new version of one of the caller's margin rules. <paramref name="Target"/> names what <paramref name="Level"/> applies to
/// (nothing for <c>Business</c>, a reseller's or customer's id, a product id, <c>productId:skuId</c>, a subscription's id);
/// <paramref name="Percent"/> is for a markup or list discount, <paramref name="FixedMonthlyPrice"/> and
/// <paramref name="Currency"/> for a fixed price per seat per month.
/// </summary>
public sealed record NewMarginRule(
    MarginLevel Level,
    MarginMethod Method,
    bool CeilingAtList,
    PromotionHandling Promotions,
    DateOnly EffectiveFrom,
    string? Target = null,
    decimal? Percent = null,
    decimal? FixedMonthlyPrice = null,
    string? Currency = null,
    decimal? FloorPercent = null);

/// <summary>
/// Adds a version of the caller's own margin rule for a level and target. Nothing is edited: the version applies from its
/// date, and the one before it keeps applying until then; <c>Inherit</c> ends a rule so that the less specific applies.
/// </summary>
public static class CreateMarginRule
{
    /// <summary>How far from today a version may take effect: three years either side (a past date re-rates, see docs/pricing.md).</summary>
    public const int YearsAround = 3;

    public static async Task<Result<MarginRuleView>> RunAsync(CommerceDb db, Guid partnerId, NewMarginRule rule, string createdBy, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = BillingClock.MicrosoftToday(time);
        if (rule.EffectiveFrom < today.AddYears(-YearsAround) || rule.EffectiveFrom > today.AddYears(YearsAround))
        {
            return Error.InvalidParameter("effectiveFrom", $"effectiveFrom must be within {YearsAround} years of today ({today:yyyy-MM-dd}).");
        }

        var fixedPrice = (Money?)null;
        if (rule.Method == MarginMethod.FixedPrice || rule.Currency is not null)
        {
            var currency = Domain.Currency.FromCode(rule.Currency);
            if (rule.Method != MarginMethod.FixedPrice || !currency.IsSuccess)
            {
                return Error.InvalidParameter("currency", rule.Method == MarginMethod.FixedPrice ? "currency: a fixed price needs the ISO 4217 code of its currency." : "currency: only a FixedPrice rule takes a currency.");
            }

            fixedPrice = rule.FixedMonthlyPrice is { } amount ? new Money(amount, currency.Value) : null;
        }

        if (MarginRule.Problem(rule.Method, rule.Percent, fixedPrice ?? (rule.FixedMonthlyPrice is { } stray ? new Money(stray, Domain.Currency.Eur) : null), rule.FloorPercent) is { } problem)
        {
            return Error.InvalidParameter(problem[..problem.IndexOf(':', StringComparison.Ordinal)], problem);
        }

        if ((TooPrecise(rule.Percent, 4, "percent") ?? TooPrecise(rule.FloorPercent, 4, "floorPercent") ?? TooPrecise(rule.FixedMonthlyPrice, 6, "fixedMonthlyPrice")) is { } precision)
        {
            return precision;
        }

        var target = await TargetAsync(db, partnerId, rule.Level, rule.Target?.Trim() ?? "", cancellationToken);
        if (!target.IsSuccess)
        {
            return target.Error;
        }

        var last = await db.MarginRules
            .Where(r => r.PartnerId == partnerId && r.Level == rule.Level && r.Target == target.Value)
            .MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0;
        var now = time.GetUtcNow();
        var version = new MarginRuleVersion(
            Guid.CreateVersion7(now), partnerId, rule.Level, target.Value, last + 1, rule.Method, rule.Percent, rule.FixedMonthlyPrice, fixedPrice?.Currency.Code, rule.FloorPercent, rule.CeilingAtList, rule.Promotions, rule.EffectiveFrom, now, createdBy);
        db.MarginRules.Add(version);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new Error("margin_rule.changed_meanwhile", $"Another version of this rule was made at the same time (version {last + 1}); look at the rule's versions and send yours again.", ErrorKind.Conflict);
        }

        return MarginRuleView.Of(version);
    }

    private static Error? TooPrecise(decimal? value, int places, string field) =>
        value is { } v && decimal.Round(v, places) != v ? Error.InvalidParameter(field, $"{field}: at most {places} decimal places.") : null;

    /// <summary>The stored target of <paramref name="level"/>: checked to exist and to be the caller's to price.</summary>
    private static async Task<Result<string>> TargetAsync(CommerceDb db, Guid partnerId, MarginLevel level, string target, CancellationToken cancellationToken)
    {
        if (level == MarginLevel.Business)
        {
            return target.Length == 0 ? "" : Error.InvalidParameter("target", "target: a Business rule applies to everything the partner sells and takes no target.");
        }

        if (level is MarginLevel.Reseller or MarginLevel.Customer or MarginLevel.Subscription && !Guid.TryParse(target, out _))
        {
            return Error.InvalidParameter("target", $"target: a {level} rule's target is the {level.ToString().ToLowerInvariant()}'s id.");
        }

        var exists = level switch
        {
            MarginLevel.Reseller => await db.Partners.AnyAsync(p => p.Id == Guid.Parse(target) && p.ParentPartnerId == partnerId && p.Kind == PartnerKind.Reseller, cancellationToken),
            MarginLevel.Customer => await db.Customers.AnyAsync(c => c.Id == Guid.Parse(target), cancellationToken),
            MarginLevel.Subscription => await db.Subscriptions.AnyAsync(s => s.Id == Guid.Parse(target), cancellationToken),
            MarginLevel.Product => await db.Products.AnyAsync(p => p.Id == target, cancellationToken),
            MarginLevel.Sku => CatalogItem.TryParse(target + ":x") is var (product, sku, _) && await db.Skus.AnyAsync(k => k.ProductId == product && k.Id == sku, cancellationToken),
            _ => false,
        };
        return exists
            ? level is MarginLevel.Reseller or MarginLevel.Customer or MarginLevel.Subscription ? Guid.Parse(target).ToString() : target
            : Error.InvalidParameter("target", level == MarginLevel.Reseller
                ? "target: that id is not a reseller of this distributor."
                : level is MarginLevel.Customer or MarginLevel.Subscription
                    ? $"target: this partner has no {level.ToString().ToLowerInvariant()} with that id."
                    : $"target: there is no {level.ToString().ToLowerInvariant()} '{target}' in the catalog{(level == MarginLevel.Sku ? " (a SKU is productId:skuId)" : "")}.");
    }
}
