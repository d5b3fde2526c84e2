using System.Globalization;

namespace Csp.Domain;

/// <summary>An exact amount of money in one currency.</summary>
/// <remarks>
/// Arithmetic never rounds: amounts keep full <see cref="decimal"/> precision until <see cref="Round"/>
/// is called at a point the billing rules name (see <see cref="Rounding"/>). Combining two currencies
/// is a bug in the caller and throws. <c>default(Money)</c> has no currency and is never valid.
/// Example: 10.08 EUR ÷ 30 × 28 is 9.408 EUR exactly; × 12 seats is 112.896 EUR, which
/// <c>Round(Rounding.InvoiceLine)</c> makes 112.89 EUR.
/// </remarks>
public readonly record struct Money(decimal Amount, Currency Currency)
{
    public static Money Zero(Currency currency) => new(0m, currency);

    public static Money operator +(Money left, Money right) =>
        left with { Amount = left.Amount + InSameCurrency(left, right).Amount };

    public static Money operator -(Money left, Money right) =>
        left with { Amount = left.Amount - InSameCurrency(left, right).Amount };

    public static Money operator -(Money money) => money with { Amount = -money.Amount };

    public static Money operator *(Money money, decimal factor) => money with { Amount = money.Amount * factor };

    public static Money operator /(Money money, decimal divisor) => money with { Amount = money.Amount / divisor };

    /// <summary>Rounds to the currency's minor unit, the one place precision is given up.</summary>
    /// <param name="mode">A constant from <see cref="Rounding"/>, never an inline choice.</param>
    public Money Round(MidpointRounding mode) =>
        this with { Amount = Math.Round(Amount, Currency.MinorUnits, mode) };

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Amount} {Currency}");

    private static Money InSameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? right
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
