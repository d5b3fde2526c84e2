using System.Text.Json.Serialization;

namespace Csp.PartnerCenter.Api;

// Partner Center's REST resources as its JSON carries them (docs/microsoft/lifecycle.md, api-platform.md): camelCase
// names, statuses and billing cycles in lower case, instants in UTC. Only the properties the platform reads or writes
// are modelled.

/// <summary>
/// Microsoft's error body: <c>{ code, description, data, source }</c>, with Microsoft's numeric codes as text. Microsoft's
/// samples write the code as a number (<c>"code": 800090</c>) and some pages as a string: both are read.
/// </summary>
public sealed record ApiError([property: JsonConverter(typeof(MicrosoftCode))] string Code, string Description, IReadOnlyList<string>? Data = null, string? Source = null);

/// <summary>
/// A page of a collection (Microsoft's <c>ResourceCollection</c>); <see cref="Links"/>.<c>next</c> carries the
/// continuation token when more follow.
/// </summary>
public sealed record ResourcePage<T>(int TotalCount, IReadOnlyList<T> Items, CollectionLinks? Links = null);

public sealed record CollectionLinks(Link? Next);

public sealed record Link(string Uri, string Method, IReadOnlyList<LinkHeader>? Headers = null);

public sealed record LinkHeader(string Key, string Value);

public sealed record ResourceAttributes(string? Etag, string ObjectType);

/// <summary>The customer's company; Microsoft's answer to a creation leaves <see cref="CompanyName"/> out.</summary>
public sealed record CompanyProfile(string? CompanyName, string Domain, string? TenantId = null);

/// <summary>Microsoft's Address (utility-resources): a billing address has <see cref="State"/>, a company address <see cref="Region"/>.</summary>
public sealed record Address(
    string Country, string? City = null, string? PostalCode = null, string? AddressLine1 = null, string? State = null, string? Region = null,
    string? FirstName = null, string? LastName = null, string? PhoneNumber = null);

public sealed record BillingProfile(string Culture, string Language, string? Currency, string? Email, Address DefaultAddress, string? CompanyName = null);

/// <summary>
/// A customer of the partner (<c>/v1/customers</c>); its <see cref="Id"/> is the customer's tenant id. A list of customers
/// carries no <see cref="BillingProfile"/> (get-a-list-of-customers): the customer by id does.
/// <see cref="EnableGDAPByDefault"/> is sent false at creation: a GDAP relationship is the partner's decision, not a side effect.
/// </summary>
public sealed record Customer(string? Id, CompanyProfile CompanyProfile, BillingProfile? BillingProfile, string? RelationshipToPartner = null, ResourceAttributes? Attributes = null, bool? EnableGDAPByDefault = null);

/// <summary>An agreement a customer accepted; <c>MicrosoftCustomerAgreement</c> is the one CSP requires.</summary>
/// <param name="DateAgreed">Microsoft's list writes the day without an offset: read as a UTC day.</param>
/// <param name="AgreementLink">Where the agreement's text is (<c>https://aka.ms/customeragreement</c>), in Microsoft's list.</param>
public sealed record Agreement(
    string Type,
    [property: JsonConverter(typeof(MicrosoftInstant))] DateTimeOffset DateAgreed,
    string TemplateId,
    AgreementContact PrimaryContact,
    string? UserId = null,
    string? AgreementLink = null)
{
    public const string MicrosoftCustomerAgreement = "MicrosoftCustomerAgreement";
}

public sealed record AgreementContact(string FirstName, string LastName, string Email, string? PhoneNumber = null);

/// <summary>A product of the catalog; new commerce licences have the product type <c>OnlineServicesNCE</c> in the <c>OnlineServices</c> view.</summary>
public sealed record Product(string Id, string Title, string Description, ProductType ProductType, bool IsMicrosoftProduct, string PublisherName);

public sealed record ProductType(string Id, string DisplayName, ProductType? SubType = null);

/// <summary>A SKU of a product: the seats one subscription may have, and the billing cycles it may be bought with.</summary>
/// <param name="SupportedBillingCycles">Microsoft's <c>BillingCycleType</c> names in lower case: <c>monthly</c>, <c>annual</c>, <c>triennial</c>, <c>one_time</c>.</param>
/// <param name="PurchasePrerequisites">What must hold before buying: <c>MicrosoftCloudAgreement</c>, <c>InventoryCheck</c>, ….</param>
/// <param name="ProvisioningVariables">Values a cart line must carry in its provisioning context (Azure reservations).</param>
public sealed record Sku(
    string Id,
    string ProductId,
    string Title,
    string Description,
    int MinimumQuantity,
    int MaximumQuantity,
    bool IsTrial,
    IReadOnlyList<string> SupportedBillingCycles,
    IReadOnlyList<string>? PurchasePrerequisites = null,
    IReadOnlyList<string>? ProvisioningVariables = null);

/// <summary>A purchasable availability of a SKU: its <see cref="CatalogItemId"/> is what a cart line orders.</summary>
/// <param name="DefaultCurrency">The market's currency as Microsoft writes it, a code and a symbol.</param>
public sealed record Availability(string Id, string ProductId, string SkuId, string CatalogItemId, AvailabilityCurrency DefaultCurrency, string Country, string Segment, bool IsPurchasable, bool IsRenewable, IReadOnlyList<AvailabilityTerm> Terms);

public sealed record AvailabilityCurrency(string Code, string Symbol);

/// <summary>
/// A term an availability may be bought for. Microsoft's terms carry no price (the price sheet has them), and the terms of
/// Azure reservations have neither id nor billing cycle nor cancellation policies.
/// </summary>
public sealed record AvailabilityTerm(string? Id, string Duration, string Description, string? BillingCycle, IReadOnlyList<CancellationPolicy>? CancellationPolicies = null);

public sealed record CancellationPolicy(IReadOnlyList<RefundOption> RefundOptions);

public sealed record RefundOption(int SequenceId, string Type, string ExpiresAfter);

/// <summary>A cart (<c>/v1/customers/{id}/carts</c>); <c>status</c> is <c>Active</c> until checked out, then <c>Ordered</c>.</summary>
public sealed record Cart(
    string? Id,
    IReadOnlyList<CartLineItem> LineItems,
    string? Status = null,
    DateTimeOffset? CreationTimestamp = null,
    DateTimeOffset? ExpirationTimestamp = null,
    [property: JsonPropertyName("PartnerOnRecordAttestationAccepted")] bool PartnerOnRecordAttestationAccepted = false);

/// <summary>
/// One line of a cart. <see cref="Participants"/> names the indirect reseller (<c>transaction_reseller</c>); Partner
/// Center answers with the line's <see cref="OrderGroup"/> (lines of one group are placed in one order) and
/// <see cref="Pricing"/>.
/// </summary>
public sealed record CartLineItem(
    int Id,
    string CatalogItemId,
    int Quantity,
    string TermDuration,
    string BillingCycle,
    string? CurrencyCode = null,
    string? FriendlyName = null,
    string? PromotionId = null,
    DateTimeOffset? CustomTermEndDate = null,
    IReadOnlyList<KeyValuePair<string, string>>? Participants = null,
    CartLineError? Error = null,
    string? OrderGroup = null,
    LinePricing? Pricing = null);

public sealed record CartLineError(int ErrorCode, string ErrorDescription);

/// <summary>
/// Microsoft's <c>Pricing</c> of a cart or order line, before tax: the list price per billing cycle, after discounts,
/// after proration, and <see cref="ExtendedPrice"/> for the quantity over the term. Microsoft's estimate, not a charge.
/// </summary>
public sealed record LinePricing(decimal ListPrice, decimal DiscountedPrice, decimal ProratedPrice, decimal Price, decimal ExtendedPrice);

/// <summary>What a checkout returns: the orders placed (one per order group) and what could not be ordered.</summary>
public sealed record CartCheckoutResult(IReadOnlyList<Order> Orders, IReadOnlyList<OrderError> OrderErrors);

/// <param name="Code">A number in Microsoft's JSON (a cart error code such as 10001, or a Partner Center error code), read as text.</param>
public sealed record OrderError(string OrderGroupId, [property: JsonConverter(typeof(MicrosoftCode))] string Code, string Description);

/// <summary>
/// An order; <c>status</c> is <c>pending</c> until provisioning completes, then <c>completed</c>. One order has one
/// <see cref="BillingCycle"/> for all its lines, and is priced in <see cref="CurrencyCode"/>.
/// </summary>
public sealed record Order(
    string Id,
    string ReferenceCustomerId,
    IReadOnlyList<OrderLineItem> LineItems,
    DateTimeOffset CreationDate,
    string Status,
    string TransactionType = "UserPurchase",
    string? AlternateId = null,
    string? BillingCycle = null,
    string? CurrencyCode = null,
    decimal? TotalPrice = null);

/// <param name="TransactionType"><c>New</c> for a purchase.</param>
public sealed record OrderLineItem(
    int LineItemNumber,
    string OfferId,
    string? SubscriptionId,
    int Quantity,
    string? TermDuration,
    string TransactionType,
    string? FriendlyName = null,
    string? PartnerIdOnRecord = null,
    DateTimeOffset? CustomTermEndDate = null,
    LinePricing? Pricing = null);

/// <summary>A subscription (<c>/v1/customers/{id}/subscriptions/{id}</c>), changed only by a PATCH of the whole resource with <c>If-Match</c>.</summary>
public sealed record Subscription(
    string Id,
    string OfferId,
    string OfferName,
    string FriendlyName,
    int Quantity,
    string UnitType,
    DateTimeOffset CreationDate,
    DateTimeOffset EffectiveStartDate,
    DateTimeOffset? CommitmentEndDate,
    string Status,
    bool AutoRenewEnabled,
    string BillingType,
    string BillingCycle,
    string TermDuration,
    bool IsTrial,
    string? OrderId,
    string? PartnerId,
    RefundableQuantity? RefundableQuantity,
    DateTimeOffset? CancellationAllowedUntilDate,
    IReadOnlyList<ScheduledAction>? ScheduledActions,
    ScheduledNextTermInstructions? ScheduledNextTermInstructions,
    string? PromotionId,
    ResourceAttributes Attributes,
    ProductType? ProductType = null)
{
    /// <summary>
    /// The fields of the resource the platform does not read (<c>links</c>, <c>refundOptions</c>, <c>contractType</c>, …),
    /// kept as they came so that a PATCH sends the whole resource back, as Microsoft asks.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? Unmodelled { get; set; }
}

public sealed record RefundableQuantity(int TotalQuantity, IReadOnlyList<RefundableQuantityDetail> Details);

public sealed record RefundableQuantityDetail(int Quantity, DateTimeOffset AllowedUntilDateTime);

/// <summary>
/// What happens at the term's end: <c>actionType</c> <c>Cancel</c>, <c>RenewToNewTerm</c>,
/// <c>RenewToExtendedServiceTerm</c> or <c>Transition</c>; <c>scheduleType</c> <c>TermEnd</c> or <c>CustomDate</c>.
/// </summary>
public sealed record ScheduledAction(string ScheduleType, string ActionType, DateTimeOffset? EffectiveDate = null, ScheduledNextTermInstructions? Instructions = null);

public sealed record ScheduledNextTermInstructions(ScheduledProduct? Product, int? Quantity, DateTimeOffset? CustomTermEndDate = null);

public sealed record ScheduledProduct(string ProductId, string SkuId, string AvailabilityId, string BillingCycle, string TermDuration, string? PromotionId = null);

/// <summary>
/// Where a subscription may move (<c>…/transitionEligibilities?eligibilityType=immediate</c>): one target, whether each
/// kind of transition to it is eligible and why not, and the customer's subscriptions of it that seats may move onto.
/// </summary>
public sealed record TransitionEligibility(
    string CatalogItemId,
    string Title,
    IReadOnlyList<Eligibility> Eligibilities,
    string? Description = null,
    int? Quantity = null,
    IReadOnlyList<SubscriptionEligibility>? SubscriptionEligibilities = null)
{
    /// <summary>The eligibility of moving the seats without their licences' assignments (<c>transition_only</c>), the kind the platform asks for.</summary>
    public Eligibility? TransitionOnly => Eligibilities.FirstOrDefault(e => e.TransitionType.Equals(Transition.TransitionOnly, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One kind of transition (<c>transition_only</c>, <c>transition_with_license_transfer</c>) and whether it is eligible.</summary>
public sealed record Eligibility(string TransitionType, bool IsEligible, IReadOnlyList<ApiError>? Errors = null);

/// <summary>An existing subscription of the target that seats may be moved onto (<c>toSubscriptionId</c>), and why not.</summary>
public sealed record SubscriptionEligibility(bool IsEligible, string SubscriptionId, string? SubscriptionFriendlyName, string? SubscriptionTermDuration, string? SubscriptionBillingCycle, IReadOnlyList<ApiError>? Errors = null);

/// <summary>
/// An upgrade (<c>…/transitions</c>): <c>transitionType</c> <c>transition_only</c> or <c>transition_with_license_transfer</c>;
/// into a new subscription unless <see cref="ToSubscriptionId"/> names an existing one.
/// </summary>
public sealed record Transition(
    string FromCatalogItemId,
    string ToCatalogItemId,
    int Quantity,
    string TransitionType,
    string? FromSubscriptionId = null,
    string? ToSubscriptionId = null,
    string? TermDuration = null,
    string? BillingCycle = null,
    string? Status = null,
    IReadOnlyList<TransitionEvent>? Events = null,
    string? OperationId = null)
{
    /// <summary>Seats move; their licences' assignments do not.</summary>
    public const string TransitionOnly = "transition_only";
}

/// <summary>
/// A subscription's transitions (<c>GET …/transitions</c>). Microsoft's sample puts them under <c>transition</c>; a
/// collection's usual <c>items</c> is read too.
/// </summary>
public sealed record TransitionHistory(IReadOnlyList<Transition>? Transition = null, IReadOnlyList<Transition>? Items = null)
{
    public IReadOnlyList<Transition> All => Transition ?? Items ?? [];
}

public sealed record TransitionEvent(string Name, string Status, DateTimeOffset Timestamp);

/// <summary>
/// One operation on the partner's account (<c>/v1/auditrecords</c>), by a user or an application: the resource before
/// and after as the API's JSON, as text.
/// <c>operationType</c> is e.g. <c>add_customer</c>, <c>create_order</c>, <c>update_subscription</c>,
/// <c>upgrade_subscription</c>; <c>resourceType</c> <c>customer</c>, <c>order</c>, <c>subscription</c>.
/// </summary>
/// <param name="OriginalCorrelationId">
/// The <c>MS-CorrelationId</c> of the call that made the operation (Microsoft's <c>AuditRecord.OriginalCorrelationId</c>):
/// the client sends a write's <c>MS-RequestId</c> as its correlation id, so the platform knows its own operations here.
/// </param>
public sealed record AuditRecord(
    string PartnerId,
    string? CustomerId,
    string? CustomerName,
    string? UserPrincipalName,
    string? ApplicationId,
    string ResourceType,
    string? ResourceOldValue,
    string? ResourceNewValue,
    string OperationType,
    DateTimeOffset OperationDate,
    string OperationStatus,
    IReadOnlyList<AuditDetail>? CustomizedData = null,
    string? OriginalCorrelationId = null);

public sealed record AuditDetail(string Key, string? Value);

/// <summary>
/// Microsoft's audit-record filter, <c>{"Field":…,"Value":…,"Operator":…}</c>: a substring of the customer's company name,
/// a customer id, or a resource type (<c>Subscription</c>, <c>Order</c>, <c>Customer</c>, …), the value's case ignored.
/// </summary>
public sealed record AuditRecordFilter(string Field, string Value, string Operator)
{
    public static AuditRecordFilter CompanyNameContaining(string part) => new("CompanyName", part, "substring");

    public static AuditRecordFilter Customer(string customerId) => new("CustomerId", customerId, "equals");

    public static AuditRecordFilter ResourceType(string type) => new("ResourceType", type, "equals");

    /// <summary>The filter as Microsoft's syntax writes it, the names capitalised.</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Field"] = Field, ["Value"] = Value, ["Operator"] = Operator }, PartnerCenterJson.Default.DictionaryStringString);
}

/// <summary>
/// A monthly invoice (<c>/v1/invoices</c>): one per billing period and currency, <c>OneTime</c> for new commerce. Its
/// reconciliation line items are read in pages (<c>…/lineitems/OneTime/BillingLineItems</c>) or exported asynchronously.
/// Microsoft's list leaves the billing period out of its sample; the invoice by id has it.
/// </summary>
/// <param name="DocumentType"><c>invoice</c>, <c>void_note</c>, <c>adjustment_note</c>: in lower case, as Microsoft writes them.</param>
public sealed record Invoice(
    string Id,
    DateTimeOffset InvoiceDate,
    DateTimeOffset? BillingPeriodStartDate,
    DateTimeOffset? BillingPeriodEndDate,
    decimal TotalCharges,
    decimal PaidAmount,
    string CurrencyCode,
    string? CurrencySymbol = null,
    string InvoiceType = "OneTime",
    string DocumentType = "invoice",
    IReadOnlyList<InvoiceDetail>? InvoiceDetails = null);

/// <summary>Where an invoice's line items are: the provider (<c>one_time</c> for new commerce) and the link that reads them.</summary>
public sealed record InvoiceDetail(string InvoiceLineItemType, string BillingProvider);

/// <summary>
/// A request to the asynchronous billing API (Graph <c>reports/partners/billing/…/export</c>): billed reconciliation
/// or usage by <see cref="InvoiceId"/>, unbilled usage by <see cref="CurrencyCode"/> and <see cref="BillingPeriod"/>
/// (<c>current</c> or <c>last</c>).
/// </summary>
public sealed record BillingExportRequest(string? InvoiceId, string AttributeSet = "full", string? CurrencyCode = null, string? BillingPeriod = null);

/// <summary>
/// The operation an export runs as (<c>reports/partners/billing/operations/{id}</c>): <c>status</c> <c>notStarted</c>,
/// <c>running</c>, <c>succeeded</c> or <c>failed</c>. Once succeeded, Partner Center's page (billed-invoice-reconciliation)
/// shows the manifest in <see cref="ResourceLocation"/>, Graph's reference only a link to it
/// (<see cref="ResourceLocationLink"/>, <c>resourceLocation@odata.navigationLink</c>): either is followed.
/// </summary>
public sealed record BillingOperation(
    string Id,
    [property: JsonConverter(typeof(MicrosoftInstant))] DateTimeOffset CreatedDateTime,
    [property: JsonConverter(typeof(MicrosoftInstant))] DateTimeOffset LastActionDateTime,
    string Status,
    BillingManifest? ResourceLocation = null,
    BillingOperationError? Error = null,
    [property: JsonPropertyName("resourceLocation@odata.navigationLink")] string? ResourceLocationLink = null);

/// <summary>Why an export failed, as Graph writes it: <c>{ "message": "No data available", "code": "5000" }</c>.</summary>
public sealed record BillingOperationError([property: JsonConverter(typeof(MicrosoftCode))] string? Code, string? Message);

/// <summary>
/// Where an export's files are: blobs under <see cref="RootDirectory"/>, each read with <see cref="SasToken"/> appended,
/// in <see cref="DataFormat"/> <c>compressedJSON</c> (gzip, one JSON object per line).
/// </summary>
public sealed record BillingManifest(
    string Id,
    DateTimeOffset CreatedDateTime,
    string SchemaVersion,
    string DataFormat,
    string PartnerTenantId,
    string RootDirectory,
    string SasToken,
    int BlobCount,
    IReadOnlyList<BillingBlob> Blobs);

public sealed record BillingBlob(string Name, string? PartitionValue);

/// <summary>
/// An end date a new subscription may be bought with (<c>…/subscriptions/customTermEndDates</c>):
/// <c>calendarMonthAligned</c>, or <c>subscriptionAligned</c> with the subscriptions that end that day.
/// </summary>
/// <param name="AllowedCustomTermEndDate">Microsoft writes the day as midnight without an offset: read as a UTC day, whatever the machine's zone.</param>
public sealed record CustomTermEndDate(string AllowedCustomTermEndDateType, [property: JsonConverter(typeof(MicrosoftInstant))] DateTimeOffset AllowedCustomTermEndDate, IReadOnlyList<string>? CotermSubscriptionIds = null);

/// <summary>
/// A new-commerce promotion (<c>/v1/productpromotions</c>, "Promotion resources"): the SKUs, terms and billing cycles it
/// applies to, each with its pricing policies, and when it can be bought.
/// </summary>
/// <remarks>
/// get-promotions writes the dates under <see cref="Properties"/>, get-promotion-by-id beside the name
/// (<see cref="StartDate"/>, <see cref="EndDate"/>): both are read.
/// </remarks>
public sealed record Promotion(
    string Id, string Name, string? Description, string? Segment, IReadOnlyList<PromotionProduct> RequiredProducts, PromotionProperties? Properties,
    DateTimeOffset? StartDate = null, DateTimeOffset? EndDate = null)
{
    /// <summary>Microsoft's pricing policy for a discount of a share of the price: <c>{"type":"PercentDiscount","value":"0.25"}</c> is 25% off.</summary>
    public const string PercentDiscount = "PercentDiscount";

    /// <summary>
    /// The share of the price this promotion takes off a SKU bought on <paramref name="termDuration"/> billed
    /// <paramref name="billingCycle"/> (0.25 for 25%); null when it does not apply to them or gives no percentage.
    /// </summary>
    public decimal? DiscountFor(string productId, string skuId, string termDuration, string billingCycle) =>
        RequiredProducts
            .Where(p => p.ProductId.Equals(productId, StringComparison.OrdinalIgnoreCase) && p.SkuId.Equals(skuId, StringComparison.OrdinalIgnoreCase)
                && p.Term.Duration.Equals(termDuration, StringComparison.OrdinalIgnoreCase) && p.Term.BillingCycle.Equals(billingCycle, StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.PricingPolicies)
            .Where(policy => PercentDiscount.Equals(policy.Kind, StringComparison.OrdinalIgnoreCase))
            .Select(policy => decimal.TryParse(policy.Value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var share) && share > 0 && share < 1 ? share : (decimal?)null)
            .FirstOrDefault(share => share is not null);

    /// <summary>Whether it can be bought on <paramref name="at"/>: within its start and end dates.</summary>
    public bool IsAvailable(DateTimeOffset at) =>
        ((Properties?.StartDate ?? StartDate) is not { } start || start <= at) && ((Properties?.EndDate ?? EndDate) is not { } end || at <= end);
}

/// <summary>A SKU a promotion applies to, on which term and billing cycle, with its pricing policies.</summary>
public sealed record PromotionProduct(string ProductId, string SkuId, PromotionTerm Term, IReadOnlyList<PricingPolicy> PricingPolicies);

/// <summary>A term (<c>P1M</c>, <c>P1Y</c>, <c>P3Y</c>) and billing cycle (<c>Monthly</c>, <c>Annual</c>, <c>OneTime</c>).</summary>
public sealed record PromotionTerm(string Duration, string BillingCycle);

/// <summary>
/// What a promotion gives: <c>PercentDiscount</c> with a share of the price, or a flat-rate discount. get-promotions names
/// the kind <c>type</c>, get-promotion-by-id <c>policyType</c>: <see cref="Kind"/> is whichever was sent.
/// </summary>
public sealed record PricingPolicy(string? Type, string Value, string? PolicyType = null)
{
    [JsonIgnore]
    public string? Kind => Type ?? PolicyType;
}

public sealed record PromotionProperties(DateTimeOffset? StartDate, DateTimeOffset? EndDate, string? Tag = null, bool? IsAutoApplicable = null);
