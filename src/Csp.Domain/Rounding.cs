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

    /// <summary>
    /// A customer invoice line is Microsoft's line total (already rounded as Microsoft rounds it) times the customer's price
    /// over Microsoft's, rounded half away from zero to the minor unit, the commercial rounding invoices use: at a 20 %
    /// markup Microsoft's 112.89 becomes 135.468, invoiced as 135.47. A refund rounds the same way, so it nets to zero
    /// against the charge it reverses.
    /// </summary>
    public const MidpointRounding CustomerInvoiceLine = MidpointRounding.AwayFromZero;

    /// <summary>Tax is worked out per line, on the rounded line amount, and rounded half away from zero to the minor unit.</summary>
    public const MidpointRounding Tax = MidpointRounding.AwayFromZero;
}
