namespace Csp.Domain.Charges;

/// <summary>
/// One line Microsoft posts to the partner's reconciliation file, with Microsoft's field names (docs/microsoft/files.md).
/// </summary>
/// <remarks>
/// Dates are billing days; <see cref="ChargeStartDate"/> and <see cref="ChargeEndDate"/> are both inclusive. A refund has a
/// negative <see cref="EffectiveUnitPrice"/> and <see cref="Subtotal"/> and a positive <see cref="BillableQuantity"/>, as
/// Microsoft writes it. <see cref="EffectiveUnitPrice"/> is unrounded; <see cref="Subtotal"/> is rounded by the
/// <see cref="RoundingPolicy"/> the engine ran with. The refund and re-charge rows of one change share
/// <see cref="ReferenceId"/>. Example: 12 seats of 10.08 EUR from June 20 in the cycle June 18 – July 17 are
/// <c>addQuantity</c>, EffectiveUnitPrice 9.408, Subtotal 112.89 (full precision) or 112.80 (documented).
/// </remarks>
public sealed record ChargeLine(
    DateOnly OrderDate,
    string SubscriptionId,
    string ProductId,
    string SkuId,
    string ProductName,
    ChargeType ChargeType,
    Money UnitPrice,
    int Quantity,
    int BillableQuantity,
    decimal EffectiveUnitPrice,
    Money Subtotal,
    DateOnly ChargeStartDate,
    DateOnly ChargeEndDate,
    DateOnly SubscriptionStartDate,
    DateOnly SubscriptionEndDate,
    string TermAndBillingCycle,
    string BillingFrequency,
    string ReferenceId,
    IReadOnlyList<string> ProductQualifiers,
    string? PromotionId)
{
    public string Currency => Subtotal.Currency.Code;
}
