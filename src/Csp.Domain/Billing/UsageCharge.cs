using System.Globalization;
using Csp.Domain.Charges;

namespace Csp.Domain.Billing;

/// <summary>
/// A month of one Azure plan subscription's usage as the charge line the margin rules price: one unit at the month's cost
/// (the sum of Microsoft's <c>BillingPreTaxTotal</c> over the month's days), charged for the whole calendar month. An Azure
/// plan has no seats and no list price per seat, so only a markup prices it: a list discount finds no list price, and a
/// fixed price per seat is refused (<see cref="Problem"/>).
/// </summary>
public static class UsageCharge
{
    /// <summary>The line's product name on the invoice.</summary>
    public const string Name = "Azure plan usage";

    /// <param name="subscriptionId">Microsoft's id of the Azure plan subscription.</param>
    /// <param name="cost">The month's usage at Microsoft's price, in Microsoft's billing currency.</param>
    public static ChargeLine Of(string subscriptionId, string productId, string skuId, DateOnly subscriptionStartDate, BillingPeriod month, Money cost) => new(
        OrderDate: month.End,
        SubscriptionId: subscriptionId,
        ProductId: productId,
        SkuId: skuId,
        ProductName: Name,
        ChargeType: ChargeType.New,
        UnitPrice: cost,
        Quantity: 1,
        BillableQuantity: 1,
        EffectiveUnitPrice: cost.Amount,
        Subtotal: cost,
        ChargeStartDate: month.Start,
        ChargeEndDate: month.End,
        SubscriptionStartDate: subscriptionStartDate,
        SubscriptionEndDate: month.End,
        TermAndBillingCycle: "",
        BillingFrequency: "Monthly",
        ReferenceId: "",
        ProductQualifiers: [],
        PromotionId: null);

    /// <summary>
    /// The key of the <paramref name="part"/>-th line billing the subscription's usage of <paramref name="month"/>: the first
    /// bills the month as the files then stated it, each later one what a later file changed.
    /// </summary>
    public static string Key(string subscriptionId, BillingPeriod month, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"{subscriptionId}|usage|{month.Start:yyyy-MM}|{part}");

    /// <summary>Why <paramref name="price"/> cannot price usage, or null.</summary>
    public static string? Problem(Pricing.ResolvedPrice price) =>
        price.Tiers.FirstOrDefault(t => t.Rule?.Method == Pricing.MarginMethod.FixedPrice) is { Rule: { } rule }
            ? $"{rule.Level} rule {rule.Id} v{rule.Version} is a fixed price per seat, and Azure usage has no seats: price the Azure plan by a markup (a product or subscription rule)."
            : null;
}

/// <summary>What earlier invoice lines billed of one charge: sums of their amounts, in the invoice's currency but for Microsoft's subtotal.</summary>
public sealed record BilledPart(int Lines, decimal MicrosoftSubtotal, decimal MicrosoftCost, decimal Amount, decimal? ResellerCost)
{
    public static BilledPart None { get; } = new(0, 0m, 0m, 0m, null);
}
