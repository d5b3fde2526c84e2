using System.Globalization;

namespace Csp.Domain.Billing;

/// <summary>
/// A dated exchange rate of a seller's: one unit of <see cref="From"/> is <see cref="Rate"/> units of <see cref="To"/>, from
/// <see cref="EffectiveFrom"/> until the pair's next rate.
/// </summary>
/// <remarks>
/// A charge of Microsoft's in another currency than the customer's is converted at the rate in force on the charge's order
/// date (<see cref="On"/>); the rate and its date are kept on the invoice line. The conversion is exact: the converted
/// amounts are rounded only where the customer's line is (<see cref="Rounding.CustomerInvoiceLine"/>).
/// </remarks>
public sealed record ExchangeRate(Currency From, Currency To, decimal Rate, DateOnly EffectiveFrom)
{
    /// <summary>Decimal places a rate may have: more than any central bank publishes (ECB: 4 to 6 significant digits).</summary>
    public const int MaxDecimals = 10;

    /// <summary>Above this no pair of the currencies the platform knows is quoted (1 EUR is about 1,500 KRW).</summary>
    public const decimal MaxRate = 1_000_000m;

    /// <summary>Why the rate cannot be used, naming the field, or null.</summary>
    public static string? Problem(Currency from, Currency to, decimal rate) =>
        from == to ? "to: a rate converts between two different currencies."
        : rate <= 0m || rate > MaxRate ? string.Create(CultureInfo.InvariantCulture, $"rate: greater than 0 and at most {MaxRate:#,0}.")
        : decimal.Round(rate, MaxDecimals) != rate ? $"rate: at most {MaxDecimals} decimal places."
        : null;

    /// <summary>The rate from <paramref name="from"/> to <paramref name="to"/> in force on <paramref name="day"/>: the latest dated on or before it; null when none is.</summary>
    public static ExchangeRate? On(IEnumerable<ExchangeRate> rates, Currency from, Currency to, DateOnly day) =>
        rates.Where(r => r.From == from && r.To == to && r.EffectiveFrom <= day).MaxBy(r => r.EffectiveFrom);

    /// <summary><paramref name="money"/> (in <see cref="From"/>) in <see cref="To"/>, unrounded.</summary>
    public Money Convert(Money money) =>
        money.Currency == From ? new Money(money.Amount * Rate, To) : throw new InvalidOperationException($"A {From}→{To} rate cannot convert {money.Currency}.");

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"1 {From} = {Rate:0.##########} {To} (rate of {EffectiveFrom:yyyy-MM-dd})");
}
