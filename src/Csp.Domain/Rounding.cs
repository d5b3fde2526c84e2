namespace Csp.Domain;

/// <summary>The named places where an exact amount becomes an amount a customer can be billed.</summary>
public static class Rounding
{
    /// <summary>
    /// Invoice line totals are truncated toward zero to the currency's minor unit, as Microsoft's
    /// reconciliation files do (their formulas use ROUNDDOWN, see docs/microsoft/files.md):
    /// 9.408 × 12 = 112.896 is billed as 112.89.
    /// </summary>
    public const MidpointRounding InvoiceLine = MidpointRounding.ToZero;

    /// <summary>
    /// Demo and converted list prices are rounded half away from zero to the minor unit, the way a
    /// price list states a price; this is never used on a charge.
    /// </summary>
    public const MidpointRounding ListPrice = MidpointRounding.AwayFromZero;

    /// <summary>
    /// A figure shown only to compare options, such as a year's charges per month, is rounded half away from zero to the
    /// minor unit; it is never billed.
    /// </summary>
    public const MidpointRounding Estimate = MidpointRounding.AwayFromZero;
}
