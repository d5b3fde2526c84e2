using Csp.Domain.Charges;

namespace Csp.Domain.Reconciliation;

/// <summary>
/// What the platform expects Microsoft's reconciliation file to hold: the charge engine's lines, in the file's shape.
/// </summary>
public static class ShadowInvoice
{
    /// <summary>
    /// The expected reconciliation lines of <paramref name="charges"/> ordered in <paramref name="month"/> (a calendar
    /// month: Microsoft's billing period), for the customer <paramref name="customerId"/>, with the names Microsoft prints
    /// beside the ids when <paramref name="names"/> gives them.
    /// </summary>
    public static IEnumerable<ReconLine> For(IEnumerable<ChargeLine> charges, BillingPeriod month, string customerId = "", InvoiceNames? names = null) =>
        charges.Where(c => month.Contains(c.OrderDate)).Select((c, i) => Line(c, i + 2L, customerId, names));

    /// <summary>One charge line as Microsoft writes it in the file; <paramref name="lineNumber"/> is where it would stand.</summary>
    public static ReconLine Line(ChargeLine c, long lineNumber, string customerId = "", InvoiceNames? names = null) =>
        Named(Plain(c, lineNumber, customerId), names);

    private static ReconLine Named(ReconLine line, InvoiceNames? names)
    {
        if (names is null)
        {
            return line;
        }

        var columns = new Dictionary<string, string>(line.OtherColumns)
        {
            ["CustomerName"] = names.CustomerName,
            ["CustomerDomainName"] = names.CustomerDomainName,
            ["CustomerCountry"] = names.CustomerCountry,
        };
        if (names.OrderIds.TryGetValue(line.SubscriptionId, out var order))
        {
            columns["OrderId"] = order;
        }

        if (names.SkuNames.TryGetValue((line.ProductId, line.SkuId), out var sku))
        {
            columns["SkuName"] = sku;
        }

        return line with { OtherColumns = columns };
    }

    private static ReconLine Plain(ChargeLine c, long lineNumber, string customerId) =>
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

/// <summary>
/// What Microsoft prints beside the ids on every line of a customer's charges: the customer's name, domain and country
/// (ISO 3166 alpha-2), the order that bought each subscription (by subscription id, where known) and each SKU's name (by
/// product and SKU id).
/// </summary>
public sealed record InvoiceNames(
    string CustomerName,
    string CustomerDomainName,
    string CustomerCountry,
    IReadOnlyDictionary<string, string> OrderIds,
    IReadOnlyDictionary<(string ProductId, string SkuId), string> SkuNames);
