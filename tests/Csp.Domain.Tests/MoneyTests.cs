using FsCheck;
using FsCheck.Xunit;

namespace Csp.Domain.Tests;

public class MoneyTests
{
    private static Money Eur(decimal amount) => new(amount, Currency.Eur);

    [Fact]
    public void Arithmetic_KeepsFullPrecisionUntilRounded()
    {
        var perSeat = Eur(10.08m) / 30 * 28;

        Assert.Equal(Eur(9.408m), perSeat);
        Assert.Equal(Eur(112.896m), perSeat * 12);
        Assert.Equal(Eur(112.89m), (perSeat * 12).Round(Rounding.InvoiceLine));
    }

    [Fact]
    public void Round_InvoiceLine_TruncatesTowardZeroForRefundsToo()
    {
        Assert.Equal(Eur(-112.89m), Eur(-112.896m).Round(Rounding.InvoiceLine));
    }

    [Fact]
    public void Round_ZeroDecimalCurrency_RoundsToWholeUnits()
    {
        Assert.Equal(new Money(1234m, Currency.Jpy), new Money(1234.99m, Currency.Jpy).Round(Rounding.InvoiceLine));
    }

    [Fact]
    public void Add_TwoCurrencies_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Eur(1m) + new Money(1m, Currency.Usd));
    }

    [Property]
    public bool Round_InvoiceLine_NeverIncreasesTheMagnitude(decimal amount) =>
        Math.Abs(Eur(amount).Round(Rounding.InvoiceLine).Amount) <= Math.Abs(amount);

    [Theory]
    [InlineData("eur", "EUR", 2)]
    [InlineData("JPY", "JPY", 0)]
    public void FromCode_KnownCode_GivesTheCurrencyWithItsMinorUnits(string code, string expected, int minorUnits)
    {
        var currency = Currency.FromCode(code).Value;

        Assert.Equal(expected, currency.Code);
        Assert.Equal(minorUnits, currency.MinorUnits);
    }

    [Fact]
    public void FromCode_UnknownCode_IsRefused()
    {
        Assert.Equal("currency.unknown", Currency.FromCode("XYZ").Error?.Code);
    }
}
