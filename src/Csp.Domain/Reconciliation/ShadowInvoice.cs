using Csp.Domain.Charges;

namespace Csp.Domain.Reconciliation;

/// <summary>
/// What the platform expects Microsoft's reconciliation file to hold: the charge engine's lines, in the file's shape.
/// </summary>
public static class ShadowInvoice
{
    /// <summary>
    /// The expected reconciliation lines of <paramref name="charges"/> ordered in <paramref name="month"/> (a calendar
    /// month: Microsoft's billing period), for the customer <paramref name="customerId"/>.
    /// </summary>
    public static IEnumerable<ReconLine> For(IEnumerable<ChargeLine> charges, BillingPeriod month, string customerId = "") =>
        charges.Where(c => month.Contains(c.OrderDate)).Select((c, i) => Line(c, i + 2L, customerId));

    /// <summary>One charge line as Microsoft writes it in the file; <paramref name="lineNumber"/> is where it would stand.</summary>
    public static ReconLine Line(ChargeLine c, long lineNumber, string customerId = "") =>
        new(
            lineNumber,
            c.OrderDate,
            customerId,
            c.SubscriptionId,
            c.ProductId,
            c.SkuId,
            c.ProductName,
            c.ChargeType.ToMicrosoft(),
            c.UnitPrice.Amount,
            c.Quantity,
            c.BillableQuantity,
            c.EffectiveUnitPrice,
            c.Subtotal.Amount,
            c.Subtotal.Amount,
            c.Currency,
            c.ChargeStartDate,
            c.ChargeEndDate,
            c.SubscriptionStartDate,
            c.SubscriptionEndDate,
            c.ReferenceId,
            c.PromotionId,
            new Dictionary<string, string>
            {
                ["TermAndBillingCycle"] = c.TermAndBillingCycle,
                ["BillingFrequency"] = c.BillingFrequency,
                ["ProductQualifiers"] = c.ProductQualifiers.Count == 0 ? "" : $"[{string.Join(',', c.ProductQualifiers.Select(q => $"\"{q}\""))}]",
                ["PublisherName"] = "Microsoft Corporation",
                ["UnitType"] = "Licenses",
                ["PricingCurrency"] = c.Currency,
                ["PCToBCExchangeRate"] = "1",
            });
}
