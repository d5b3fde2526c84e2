using System.Text.Json.Serialization;

namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// A cart as Partner Center reads it (create-a-cart, update-a-cart): its lines and the partner-of-record attestation,
/// names in any case (Microsoft's new commerce sample writes <c>LineItems</c>, <c>CatalogItemId</c>).
/// </summary>
public sealed record CartRequest(
    IReadOnlyList<CartLineRequest>? LineItems,
    [property: JsonPropertyName("PartnerOnRecordAttestationAccepted")] bool? PartnerOnRecordAttestationAccepted);

/// <summary>
/// A cart line as it is sent and as the simulator keeps it. <see cref="Participants"/> names the indirect reseller
/// (<c>transaction_reseller</c>); <see cref="Error"/> is the simulator's, set when the line is refused.
/// </summary>
public sealed record CartLineRequest(
    int? Id,
    string? CatalogItemId,
    int? Quantity,
    string? TermDuration,
    string? BillingCycle,
    string? CurrencyCode = null,
    string? FriendlyName = null,
    string? PromotionId = null,
    DateTimeOffset? CustomTermEndDate = null,
    IReadOnlyList<KeyValuePair<string, string>>? Participants = null,
    IReadOnlyDictionary<string, string>? ProvisioningContext = null,
    CartErrorResource? Error = null);

/// <summary>A cart as Microsoft's new commerce sample writes it, each line with its order group and pricing.</summary>
public sealed record CartResource(
    string Id,
    DateTimeOffset CreationTimestamp,
    DateTimeOffset LastModifiedTimestamp,
    DateTimeOffset ExpirationTimestamp,
    string LastModifiedUser,
    string Status,
    IReadOnlyList<CartLineResource> LineItems,
    SelfLinksResource Links,
    AttributesResource Attributes);

/// <param name="OrderGroup">Lines of one group are placed in one order: the simulator groups by billing cycle, as an order has one.</param>
public sealed record CartLineResource(
    int Id,
    string CatalogItemId,
    int Quantity,
    string? CurrencyCode,
    string BillingCycle,
    string TermDuration,
    IReadOnlyDictionary<string, string> ProvisioningContext,
    string OrderGroup,
    PricingResource? Pricing,
    string? FriendlyName = null,
    string? PromotionId = null,
    DateTimeOffset? CustomTermEndDate = null,
    IReadOnlyList<KeyValuePair<string, string>>? Participants = null,
    CartErrorResource? Error = null);

/// <summary>Microsoft's <c>CartError</c>: a <c>CartErrorCode</c> (10001: the catalog item id is not valid, …) and its description.</summary>
public sealed record CartErrorResource(int ErrorCode, string ErrorDescription);

/// <summary>
/// Microsoft's <c>Pricing</c> of a cart or order line, before tax, in the customer's currency: the list price per billing
/// cycle, after the promotion's discount, then for the first term's days (a custom term end date), and the extended price
/// for the quantity over the whole term.
/// </summary>
public sealed record PricingResource(decimal ListPrice, decimal DiscountedPrice, decimal ProratedPrice, decimal Price, decimal ExtendedPrice);

/// <summary>Microsoft's <c>CartCheckoutResult</c>: the orders placed, one per order group, and what could not be ordered.</summary>
public sealed record CartCheckoutResultResource(IReadOnlyList<OrderResource> Orders, IReadOnlyList<OrderErrorResource> OrderErrors, AttributesResource Attributes);

/// <param name="Code">A number, as Microsoft's <c>OrderError</c> defines it (a <c>CartErrorCode</c> or a Partner Center error code).</param>
public sealed record OrderErrorResource(string OrderGroupId, int Code, string Description);

/// <summary>An order as Microsoft's new commerce sample of checkout-a-cart writes it.</summary>
public sealed record OrderResource(
    string Id,
    string AlternateId,
    string ReferenceCustomerId,
    string BillingCycle,
    string CurrencyCode,
    string CurrencySymbol,
    IReadOnlyList<OrderLineResource> LineItems,
    DateTimeOffset CreationDate,
    string Status,
    string TransactionType,
    OrderLinksResource Links,
    decimal TotalPrice,
    OrderClientResource Client,
    AttributesResource Attributes);

/// <param name="TransactionType"><c>New</c> for a purchase, as Microsoft writes it.</param>
/// <param name="PartnerIdOnRecord">The indirect reseller, when one was named.</param>
public sealed record OrderLineResource(
    int LineItemNumber,
    string OfferId,
    string? SubscriptionId,
    string TermDuration,
    string TransactionType,
    string FriendlyName,
    int Quantity,
    PricingResource Pricing,
    OrderLineLinksResource Links,
    string? PartnerIdOnRecord = null,
    DateTimeOffset? CustomTermEndDate = null);

public sealed record OrderLinksResource(LinkResource Self, LinkResource ProvisioningStatus, LinkResource PatchOperation);

public sealed record OrderLineLinksResource(LinkResource Product, LinkResource Sku, LinkResource Availability);

/// <summary>The order's <c>client</c>, which Microsoft's sample shows empty.</summary>
public sealed record OrderClientResource;

public sealed record OrderPage(int TotalCount, IReadOnlyList<OrderResource> Items, CollectionLinksResource Links, AttributesResource Attributes);
