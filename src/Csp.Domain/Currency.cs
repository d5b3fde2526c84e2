using System.Collections.Frozen;

namespace Csp.Domain;

/// <summary>An ISO 4217 currency: its three-letter code and the number of digits after the decimal point.</summary>
/// <remarks>
/// Two currencies are equal when their codes are. <see cref="MinorUnits"/> is the ISO 4217 exponent (2 for EUR,
/// 0 for JPY) and is the precision <see cref="Money.Round"/> rounds to. Only currencies Microsoft's CSP price lists
/// are published in are known; anything else is refused by <see cref="FromCode"/>.
/// </remarks>
public sealed record Currency
{
    private Currency(string code, int minorUnits)
    {
        Code = code;
        MinorUnits = minorUnits;
    }

    /// <summary>The ISO 4217 alphabetic code, upper case, e.g. <c>EUR</c>.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point in the currency's smallest unit: 2 for cents, 0 for yen.</summary>
    public int MinorUnits { get; }

    public static Currency Eur { get; } = new("EUR", 2);

    public static Currency Usd { get; } = new("USD", 2);

    public static Currency Gbp { get; } = new("GBP", 2);

    public static Currency Jpy { get; } = new("JPY", 0);

    private static readonly FrozenDictionary<string, Currency> Known = new[]
    {
        Eur, Usd, Gbp, Jpy,
        new Currency("AUD", 2), new Currency("CAD", 2), new Currency("CHF", 2), new Currency("DKK", 2),
        new Currency("NOK", 2), new Currency("SEK", 2), new Currency("NZD", 2), new Currency("PLN", 2),
        new Currency("BRL", 2), new Currency("INR", 2), new Currency("ZAR", 2), new Currency("KRW", 0),
    }.ToFrozenDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every currency this platform knows, by code.</summary>
    public static IEnumerable<Currency> All => Known.Values;

    /// <summary>The currency with the given ISO 4217 code, in any letter case.</summary>
    public static Result<Currency> FromCode(string? code) =>
        code is not null && Known.TryGetValue(code, out var currency)
            ? currency
            : new Error("currency.unknown", $"'{code}' is not an ISO 4217 currency code this platform supports.", ErrorKind.Invalid);

    public bool Equals(Currency? other) => other is not null && Code == other.Code;

    public override int GetHashCode() => Code.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Code;
}
