using Csp.Domain.Terms;

namespace Csp.Data;

/// <summary>What Microsoft's <c>billingType</c> says a product is billed by.</summary>
public enum BillingType
{
    /// <summary>Per seat, for a term (Microsoft 365, Dynamics 365, Copilot).</summary>
    License,

    /// <summary>By consumption, with no term (Azure plan).</summary>
    Usage,
}

/// <summary>A product in Microsoft's catalog, e.g. <c>CFQ7TTC0LDPB</c> Microsoft 365 Business Standard.</summary>
public sealed class Product
{
    public Product(string id, string title, string family, BillingType billingType, string publisher = "Microsoft Corporation")
    {
        Id = id;
        Title = title;
        Family = family;
        BillingType = billingType;
        Publisher = publisher;
    }

    /// <summary>Microsoft's <c>productId</c>.</summary>
    public string Id { get; private set; }

    public string Title { get; private set; }

    /// <summary>The product line a partner would group it under: Microsoft 365, Dynamics 365, Azure, Power Platform.</summary>
    public string Family { get; private set; }

    public BillingType BillingType { get; private set; }

    public string Publisher { get; private set; }
}

/// <summary>A SKU of a product, e.g. <c>CFQ7TTC0LDPB:0001</c>.</summary>
public sealed class Sku
{
    public Sku(string productId, string id, string title, int minimumQuantity, int maximumQuantity)
    {
        ProductId = productId;
        Id = id;
        Title = title;
        MinimumQuantity = minimumQuantity;
        MaximumQuantity = maximumQuantity;
    }

    public string ProductId { get; private set; }

    /// <summary>Microsoft's <c>skuId</c>, unique within the product.</summary>
    public string Id { get; private set; }

    public string Title { get; private set; }

    public int MinimumQuantity { get; private set; }

    public int MaximumQuantity { get; private set; }
}

/// <summary>One term and billing plan an availability is sold with.</summary>
public sealed record OfferedTerm(Term Term, BillingPlan BillingPlan);

/// <summary>
/// An availability of a SKU: what is actually bought. Its catalog item id, <c>productId:skuId:availabilityId</c>,
/// is what carts and subscriptions carry (Partner Center's <c>catalogItemId</c> and <c>offerId</c>).
/// </summary>
public sealed class Availability
{
    private readonly List<OfferedTerm> terms = [];

    public Availability(string productId, string skuId, string id, string segment)
    {
        ProductId = productId;
        SkuId = skuId;
        Id = id;
        Segment = segment;
        CatalogItemId = CatalogItem.Id(productId, skuId, id);
    }

    public string ProductId { get; private set; }

    public string SkuId { get; private set; }

    /// <summary>Microsoft's <c>availabilityId</c>.</summary>
    public string Id { get; private set; }

    /// <summary><c>productId:skuId:availabilityId</c>; unique.</summary>
    public string CatalogItemId { get; private set; }

    /// <summary>Commercial, Education, Government or NonProfit.</summary>
    public string Segment { get; private set; }

    /// <summary>The terms and billing plans offered; empty for usage-based products, which have no term.</summary>
    public IReadOnlyList<OfferedTerm> Terms => terms;

    public Availability Offer(Term term, BillingPlan plan)
    {
        terms.Add(new OfferedTerm(term, plan));
        return this;
    }
}

/// <summary>Microsoft's catalog item id format.</summary>
public static class CatalogItem
{
    public static string Id(string productId, string skuId, string availabilityId) => $"{productId}:{skuId}:{availabilityId}";

    /// <summary>The parts of a catalog item id, or null when <paramref name="id"/> is not <c>productId:skuId:availabilityId</c>.</summary>
    public static (string ProductId, string SkuId, string AvailabilityId)? TryParse(string? id) =>
        id?.Split(':') is [{ Length: > 0 } product, { Length: > 0 } sku, { Length: > 0 } availability] ? (product, sku, availability) : null;
}

/// <summary>
/// What Microsoft charges the partner for one availability, in one market and currency, for one term and billing
/// plan, from <see cref="EffectiveFrom"/> to <see cref="EffectiveTo"/> (both inclusive; open-ended when null).
/// </summary>
/// <remarks>
/// <see cref="UnitPrice"/> is per seat per charge cycle, as Microsoft's price list and its reconciliation
/// <c>UnitPrice</c> state it: a one-year term billed annually costs twelve times the monthly-billed seat.
/// <see cref="ErpPrice"/> is Microsoft's estimated retail price for the same.
/// </remarks>
public sealed class Price
{
    public Price(Guid id, string productId, string skuId, string availabilityId, string market, string currency, Term? term, BillingPlan billingPlan, decimal unitPrice, decimal erpPrice, DateOnly effectiveFrom, DateOnly? effectiveTo)
    {
        Id = id;
        ProductId = productId;
        SkuId = skuId;
        AvailabilityId = availabilityId;
        Market = market;
        Currency = currency;
        Term = term;
        BillingPlan = billingPlan;
        UnitPrice = unitPrice;
        ErpPrice = erpPrice;
        EffectiveFrom = effectiveFrom;
        EffectiveTo = effectiveTo;
    }

    public Guid Id { get; private set; }

    public string ProductId { get; private set; }

    public string SkuId { get; private set; }

    public string AvailabilityId { get; private set; }

    /// <summary>ISO 3166-1 alpha-2 market the price applies in.</summary>
    public string Market { get; private set; }

    public string Currency { get; private set; }

    /// <summary>The term; null for a usage-based product.</summary>
    public Term? Term { get; private set; }

    public BillingPlan BillingPlan { get; private set; }

    public decimal UnitPrice { get; private set; }

    public decimal ErpPrice { get; private set; }

    public DateOnly EffectiveFrom { get; private set; }

    public DateOnly? EffectiveTo { get; private set; }

    /// <summary>Closes an open-ended price the day before its successor takes effect.</summary>
    public void EndOn(DateOnly lastDay) => EffectiveTo = lastDay;
}
