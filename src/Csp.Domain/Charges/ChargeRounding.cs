namespace Csp.Domain.Charges;

/// <summary>
/// How a licence line's <c>Subtotal</c> is rounded from its effective unit price and billable quantity. Microsoft's
/// own worked examples disagree (docs/microsoft/charges.md), so the engine takes the policy as an input and always keeps
/// the unrounded effective unit price.
/// </summary>
public enum RoundingPolicy
{
    /// <summary>
    /// Microsoft's documented licence formula, <c>ROUNDDOWN(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity</c>
    /// (modern-invoice-reconciliation-file). Reproduces the cancellation (−94.2), upgrade (−2,316 / 1,476) and
    /// billing-plan (2,291.6) examples. The default.
    /// </summary>
    Documented,

    /// <summary>
    /// Truncate the full-precision product, <c>ROUNDDOWN(UnitPrice ÷ cycle days × billable days × BillableQuantity, 2)</c>.
    /// Reproduces the seat-change examples (112.89, 75.26, and the March 2022 table).
    /// </summary>
    FullPrecision,
}

public static class ChargeRounding
{
    /// <summary>
    /// The subtotal of <paramref name="quantity"/> units at <paramref name="unitPrice"/> × <paramref name="numerator"/> ÷
    /// <paramref name="denominator"/> (billable days over cycle days, or months over twelve), truncated toward zero to
    /// the currency's minor unit under <paramref name="policy"/>; the exchange rate is 1 (billing currency = pricing currency).
    /// </summary>
    public static Money Subtotal(RoundingPolicy policy, Money unitPrice, int numerator, int denominator, int quantity)
    {
        var exact = policy switch
        {
            RoundingPolicy.Documented => (unitPrice * numerator / denominator).Round(Rounding.InvoiceLine) * quantity,
            RoundingPolicy.FullPrecision => unitPrice * numerator * quantity / denominator,
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
        };
        return exact.Round(Rounding.InvoiceLine);
    }
}
