using Csp.Domain.Charges;
using Csp.Domain.Terms;

namespace Csp.Domain.Billing;

/// <summary>The term and billing plan a charge line was made under, read from Microsoft's columns on the line.</summary>
public static class ChargeCycle
{
    /// <summary>
    /// The term (null for an Extended Service Term month, which has none) and the billing plan of <paramref name="charge"/>:
    /// <c>TermAndBillingCycle</c> names the term (One-Month, One-Year, Three-Year), <c>BillingFrequency</c> the plan
    /// (Monthly, Annual, or blank for a term paid in one charge).
    /// </summary>
    public static (Term? Term, BillingPlan Plan) Of(ChargeLine charge)
    {
        Term? term = charge.TermAndBillingCycle switch
        {
            var t when t.StartsWith("One-Month", StringComparison.Ordinal) => Term.P1M,
            var t when t.StartsWith("One-Year", StringComparison.Ordinal) => Term.P1Y,
            var t when t.StartsWith("Three-Year", StringComparison.Ordinal) => Term.P3Y,
            _ => null,
        };
        var plan = charge.BillingFrequency switch
        {
            "Annual" => BillingPlan.Annual,
            "Monthly" => BillingPlan.Monthly,
            _ => term?.UpFront() ?? BillingPlan.Monthly,
        };
        return (term, plan);
    }

    /// <summary>
    /// A stable name for the charge, unique among a partner's charges: Microsoft's subscription, the charge type, the
    /// change's reference id, the charge dates and whether it is a refund (<paramref name="occurrence"/> tells apart two lines
    /// otherwise the same, such as a free trial's refund and its re-charge).
    /// </summary>
    public static string Key(ChargeLine charge, int occurrence = 1) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{charge.SubscriptionId}|{charge.ChargeType.ToMicrosoft()}|{charge.ReferenceId}|{charge.ChargeStartDate:yyyyMMdd}|{charge.ChargeEndDate:yyyyMMdd}|{(charge.Subtotal.Amount < 0 || charge.EffectiveUnitPrice < 0 ? "refund" : "charge")}{(occurrence > 1 ? $"#{occurrence}" : "")}");
}
