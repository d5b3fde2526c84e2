namespace Csp.Domain.Reconciliation;

/// <summary>
/// One line of Microsoft's new-commerce invoice reconciliation file, with the fields reconciliation compares, where
/// it came from (<see cref="LineNumber"/>), and every other column as read (<see cref="OtherColumns"/>).
/// </summary>
/// <remarks>
/// <see cref="ChargeType"/> is kept as Microsoft wrote it (any case; <c>customerCredit</c> and <c>extendTerm</c>
/// included). Amounts are in the billing currency, <see cref="Currency"/>. Refunds have a negative
/// <see cref="EffectiveUnitPrice"/> and <see cref="Subtotal"/>. Quantities are whole for licences and decimal for
/// usage-based lines (Azure plan consumption), as Microsoft's API types them.
/// </remarks>
public sealed record ReconLine(
    long LineNumber,
    DateOnly OrderDate,
    string CustomerId,
    string SubscriptionId,
    string ProductId,
    string SkuId,
    string ProductName,
    string ChargeType,
    decimal UnitPrice,
    decimal Quantity,
    decimal BillableQuantity,
    decimal EffectiveUnitPrice,
    decimal Subtotal,
    decimal Total,
    string Currency,
    DateOnly ChargeStartDate,
    DateOnly ChargeEndDate,
    DateOnly? SubscriptionStartDate,
    DateOnly? SubscriptionEndDate,
    string ReferenceId,
    string? PromotionId,
    IReadOnlyDictionary<string, string> OtherColumns);
