using Csp.Domain.Charges;
using Csp.Domain.Pricing;

namespace Csp.Domain.Billing;

/// <summary>How a customer's invoice is taxed: a rate in per cent, or none under the reverse-charge rule.</summary>
/// <param name="Percent">The rate applied to each line, e.g. 21 for 21 %; 0 under reverse charge.</param>
/// <param name="ReverseCharge">The customer accounts for the tax itself (EU business customers in another member state).</param>
public sealed record TaxTreatment(decimal Percent, bool ReverseCharge)
{
    public static TaxTreatment None { get; } = new(0m, false);

    public string Describe() => ReverseCharge
        ? "Reverse charge: the customer accounts for the tax."
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Tax {Percent:0.####} % per line, rounded half away from zero.");
}

/// <summary>
/// One line of a customer's invoice, priced from one of Microsoft's charge lines: the same charge type, dates and quantities,
/// at the customer's price, in the customer's currency.
/// </summary>
/// <remarks>
/// <see cref="Amount"/> is Microsoft's <c>Subtotal</c> × the customer's unit price ÷ Microsoft's (after promotion), rounded by
/// <see cref="Rounding.CustomerInvoiceLine"/>; <see cref="ResellerCost"/> the same for the reseller's price in a two-tier sale.
/// A charge in another currency than the customer's is first converted at <see cref="Conversion"/> (the unit prices the
/// rules priced from were converted alike), so the ratio is of two prices in the customer's currency; <see cref="MicrosoftCost"/>
/// is Microsoft's <c>Subtotal</c> in the customer's currency: as Microsoft states it, or converted and rounded like the line. A line Microsoft charges nothing for (a
/// trial) costs the customer nothing. <see cref="Tax"/> is on <see cref="Amount"/>, rounded by <see cref="Rounding.Tax"/>.
/// </remarks>
public sealed record InvoiceCharge(
    ChargeLine Charge,
    ResolvedPrice Price,
    Money UnitPrice,
    decimal EffectiveUnitPrice,
    Money Amount,
    Money? ResellerUnitPrice,
    Money? ResellerCost,
    decimal TaxPercent,
    Money Tax,
    bool ReverseCharge,
    Money MicrosoftCost,
    ExchangeRate? Conversion)
{
    /// <summary>How the line was taxed: its rate, or none under reverse charge (when the rate is 0 and the treatment said so).</summary>
    public TaxTreatment TaxTreatment() => new(TaxPercent, ReverseCharge);

    /// <summary>
    /// Prices <paramref name="charge"/> at <paramref name="price"/> and taxes it by <paramref name="tax"/>; converted by
    /// <paramref name="conversion"/> when the charge is in another currency than the price.
    /// </summary>
    public static InvoiceCharge For(ChargeLine charge, ResolvedPrice price, TaxTreatment tax, ExchangeRate? conversion = null)
    {
        var subtotal = conversion?.Convert(charge.Subtotal) ?? charge.Subtotal;
        var rate = conversion?.Rate ?? 1m;
        var cost = price.MicrosoftCost.UnitPrice;
        decimal Ratio(Money unitPrice) => cost.Amount == 0 ? 0 : unitPrice.Amount / cost.Amount;
        Money Line(Money unitPrice) => cost.Amount == 0 ? Money.Zero(subtotal.Currency) : subtotal * unitPrice.Amount / cost.Amount;

        var amount = Line(price.UnitPrice).Round(Rounding.CustomerInvoiceLine);
        var reseller = price.Tiers.Count > 1 ? price.Tiers[0].UnitPrice : (Money?)null;
        var percent = tax.ReverseCharge ? 0m : tax.Percent;
        return new InvoiceCharge(
            charge,
            price,
            price.UnitPrice,
            charge.EffectiveUnitPrice * rate * Ratio(price.UnitPrice),
            amount,
            reseller,
            reseller is { } r ? Line(r).Round(Rounding.CustomerInvoiceLine) : null,
            percent,
            (amount * (percent / 100m)).Round(Rounding.Tax),
            tax.ReverseCharge,
            conversion is null ? charge.Subtotal : subtotal.Round(Rounding.CustomerInvoiceLine),
            conversion);
    }

    /// <summary>
    /// What is left to bill of this charge, priced whole, when earlier lines billed <paramref name="billed"/> of it (a later
    /// usage file changed a month already billed): every amount less what was billed, so the lines of the charge always add
    /// up to the charge priced once, each rounded as before; tax on the difference. Null when nothing is left.
    /// </summary>
    public InvoiceCharge? Less(BilledPart billed)
    {
        if (billed.Lines == 0)
        {
            return this;
        }

        var amount = Amount - new Money(billed.Amount, Amount.Currency);
        var subtotal = Charge.Subtotal - new Money(billed.MicrosoftSubtotal, Charge.Subtotal.Currency);
        if (amount.Amount == 0 && subtotal.Amount == 0)
        {
            return null;
        }

        return this with
        {
            Charge = Charge with { UnitPrice = subtotal, EffectiveUnitPrice = subtotal.Amount, Subtotal = subtotal },
            UnitPrice = amount,
            EffectiveUnitPrice = amount.Amount,
            Amount = amount,
            ResellerUnitPrice = ResellerCost is { } r ? r - new Money(billed.ResellerCost ?? 0m, r.Currency) : null,
            ResellerCost = ResellerCost is { } c ? c - new Money(billed.ResellerCost ?? 0m, c.Currency) : null,
            Tax = (amount * (TaxPercent / 100m)).Round(Rounding.Tax),
            MicrosoftCost = MicrosoftCost - new Money(billed.MicrosoftCost, MicrosoftCost.Currency),
        };
    }
}
