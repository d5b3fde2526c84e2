namespace Csp.PartnerCenter.Simulator.Wire;

// The simulator's own types for what it writes, not the platform client's: each side is checked against Microsoft's
// documented samples (tests/Csp.PartnerCenter.Tests/Microsoft/), so a name one side gets wrong fails that side's test
// instead of passing because both sides share it.

/// <summary>
/// Microsoft's Subscription resource as the simulator writes it: every field of the new commerce sample of "Get a
/// subscription by ID" (subscription-resources.md), with the simulator's additions for the lifecycle Microsoft documents
/// on other pages (<c>cancellationAllowedUntilDate</c>, <c>scheduledActions</c>, <c>scheduledNextTermInstructions</c>,
/// <c>promotionId</c>).
/// </summary>
/// <param name="RenewalTermDuration">Empty, as in Microsoft's sample, unless the next term's duration differs from this one's.</param>
/// <param name="PartnerId">The partner of record (indirect reseller) or empty, as in Microsoft's sample.</param>
/// <param name="RefundOptions">When the term can still be cancelled for a full, then a partial refund (the availability's cancellation policy, from the term's start).</param>
public sealed record SubscriptionResource(
    string Id,
    string OfferId,
    string OfferName,
    string FriendlyName,
    ItemTypeResource ProductType,
    int Quantity,
    string UnitType,
    bool HasPurchasableAddons,
    DateTimeOffset CreationDate,
    DateTimeOffset EffectiveStartDate,
    DateTimeOffset? CommitmentEndDate,
    DateTimeOffset? CommitmentEndDateTime,
    string Status,
    bool AutoRenewEnabled,
    bool IsTrial,
    string BillingType,
    string BillingCycle,
    string TermDuration,
    string RenewalTermDuration,
    IReadOnlyList<SubscriptionRefundOption> RefundOptions,
    bool IsMicrosoftProduct,
    string PartnerId,
    bool AttentionNeeded,
    bool ActionTaken,
    string ContractType,
    SubscriptionLinks Links,
    string PublisherName,
    RefundableQuantityResource RefundableQuantity,
    string? OrderId,
    DateTimeOffset? CancellationAllowedUntilDate,
    IReadOnlyList<ScheduledActionResource>? ScheduledActions,
    NextTermInstructionsResource? ScheduledNextTermInstructions,
    string? PromotionId,
    AttributesResource Attributes);

/// <summary>Microsoft's ItemType: <c>{ id, displayName }</c>.</summary>
public sealed record ItemTypeResource(string Id, string DisplayName);

public sealed record SubscriptionRefundOption(string Type, DateTimeOffset ExpiresAt);

public sealed record SubscriptionLinks(LinkResource? Product, LinkResource? Sku, LinkResource? Availability, LinkResource Self);

/// <summary>Microsoft's Link: <c>{ uri, method, headers }</c>, the URI relative to <c>/v1</c>.</summary>
public sealed record LinkResource(string Uri, string Method, IReadOnlyList<LinkHeaderResource> Headers)
{
    public static LinkResource Get(string uri) => new(uri, "GET", []);
}

public sealed record LinkHeaderResource(string Key, string Value);

public sealed record RefundableQuantityResource(int TotalQuantity, IReadOnlyList<RefundableQuantityDetailResource> Details);

public sealed record RefundableQuantityDetailResource(int Quantity, DateTimeOffset AllowedUntilDateTime);

public sealed record ScheduledActionResource(string ScheduleType, string ActionType, DateTimeOffset? EffectiveDate = null, NextTermInstructionsResource? Instructions = null);

public sealed record NextTermInstructionsResource(NextTermProductResource? Product, int? Quantity, DateTimeOffset? CustomTermEndDate = null);

public sealed record NextTermProductResource(string ProductId, string SkuId, string AvailabilityId, string BillingCycle, string TermDuration, string? PromotionId = null);

/// <summary>Microsoft's ResourceAttributes: <c>{ etag, objectType }</c>.</summary>
public sealed record AttributesResource(string? Etag, string ObjectType);

/// <summary>Microsoft's collection of subscriptions: <c>{ totalCount, items, links, attributes }</c>.</summary>
public sealed record SubscriptionPage(int TotalCount, IReadOnlyList<SubscriptionResource> Items, CollectionLinksResource Links, AttributesResource Attributes);

public sealed record CollectionLinksResource(LinkResource Self, LinkResource? Next = null);

/// <summary>
/// An end date a new subscription may have (custom-term-end-dates): <c>calendarMonthAligned</c>, or <c>subscriptionAligned</c>
/// with the subscriptions that end that day. Microsoft writes the day as midnight without an offset, a UTC day.
/// </summary>
public sealed record CustomTermEndDateResource(string AllowedCustomTermEndDateType, [property: System.Text.Json.Serialization.JsonConverter(typeof(UtcDayWithoutOffset))] DateTimeOffset AllowedCustomTermEndDate, IReadOnlyList<string>? CotermSubscriptionIds = null);

public sealed record CustomTermEndDatePage(int TotalCount, IReadOnlyList<CustomTermEndDateResource> Items, CollectionLinksResource Links, AttributesResource Attributes);

/// <summary>Writes an instant as Microsoft's samples write a day: <c>2023-07-31T00:00:00</c>, in UTC, without an offset.</summary>
public sealed class UtcDayWithoutOffset : System.Text.Json.Serialization.JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    public override void Write(System.Text.Json.Utf8JsonWriter writer, DateTimeOffset value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
}
