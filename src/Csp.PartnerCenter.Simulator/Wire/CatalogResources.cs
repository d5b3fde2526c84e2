namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>A collection as Microsoft answers one: the items, how many, a link to itself and <c>objectType: Collection</c>.</summary>
public sealed record CollectionResource<T>(int TotalCount, IReadOnlyList<T> Items, CollectionLinksResource Links, AttributesResource Attributes);

public static class CollectionResource
{
    /// <summary>Every item in one collection, as Microsoft answers a list that fits in one, linking to <paramref name="self"/>.</summary>
    public static CollectionResource<T> Of<T>(IEnumerable<T> items, string self)
    {
        var list = items.ToList();
        return new CollectionResource<T>(list.Count, list, new CollectionLinksResource(LinkResource.Get(self)), new AttributesResource(null, "Collection"));
    }
}

/// <summary>A product as Microsoft's "Products resources" page and "Get a list of products" sample write it.</summary>
public sealed record ProductResource(string Id, string Title, string Description, ItemTypeWithSubType ProductType, bool IsMicrosoftProduct, string PublisherName, ProductLinksResource Links);

/// <summary>Microsoft's <c>ItemType</c>: an id, a display name and, for some products, a sub-type.</summary>
public sealed record ItemTypeWithSubType(string Id, string DisplayName, ItemTypeWithSubType? SubType = null);

public sealed record ProductLinksResource(LinkResource Skus, LinkResource Self);

/// <summary>
/// A SKU as Microsoft's new commerce sample writes it ("Get a list of SKUs for a product"): the billing cycles it may be
/// bought with, what must hold before it is bought (<c>MicrosoftCloudAgreement</c>), the offers it may be upgraded to.
/// </summary>
public sealed record SkuResource(
    string Id,
    string ProductId,
    string Title,
    string Description,
    int MinimumQuantity,
    int MaximumQuantity,
    bool IsTrial,
    IReadOnlyList<string> SupportedBillingCycles,
    IReadOnlyList<string> PurchasePrerequisites,
    IReadOnlyList<string> InventoryVariables,
    IReadOnlyList<string> ProvisioningVariables,
    IReadOnlyList<string> Actions,
    SkuDynamicAttributesResource DynamicAttributes,
    SkuLinksResource Links);

/// <summary>The SKU's dynamic attributes the new commerce sample shows; <see cref="UpgradeTargetOffers"/> as <c>product:sku</c>.</summary>
public sealed record SkuDynamicAttributesResource(
    bool IsMicrosoftProduct,
    bool HasConstraints,
    bool IsAddon,
    IReadOnlyList<string> PrerequisiteSkus,
    bool IsSoftwareAssuranceApplicable,
    IReadOnlyList<string> UpgradeTargetOffers,
    string ProvisioningId,
    bool Internal);

public sealed record SkuLinksResource(LinkResource Availabilities, LinkResource Self);

/// <summary>An availability as Microsoft's new commerce sample writes it: the currency as code and symbol, its terms, how it renews.</summary>
public sealed record AvailabilityResource(
    string Id,
    string ProductId,
    string SkuId,
    string CatalogItemId,
    CurrencyResource DefaultCurrency,
    string Segment,
    string Country,
    bool IsPurchasable,
    bool IsRenewable,
    IReadOnlyList<RenewalInstructionResource> RenewalInstructions,
    IReadOnlyList<AvailabilityTermResource> Terms,
    SelfLinksResource Links);

public sealed record CurrencyResource(string Code, string Symbol);

public sealed record RenewalInstructionResource(IReadOnlyList<string> ApplicableTermIds, IReadOnlyList<RenewalOptionResource> RenewalOptions);

/// <param name="RenewToId">The <c>product:sku</c> the term renews into.</param>
public sealed record RenewalOptionResource(string RenewToId, bool IsAutoRenewable);

/// <summary>A term of an availability. Microsoft's carries no price: prices are the price sheet's.</summary>
public sealed record AvailabilityTermResource(string Id, string Duration, string Description, string BillingCycle, IReadOnlyList<CancellationPolicyResource> CancellationPolicies);

public sealed record CancellationPolicyResource(IReadOnlyList<RefundOptionResource> RefundOptions);

/// <param name="ExpiresAfter">An ISO 8601 duration from the purchase: <c>P1D</c> full refund, <c>P7D</c> partial.</param>
public sealed record RefundOptionResource(int SequenceId, string Type, string ExpiresAfter);
