using System.Globalization;
using Csp.PartnerCenter.Files;

namespace Csp.PartnerCenter.Tests;

public class MicrosoftValuesTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("12", "12")]
    [InlineData("-9.408", "-9.408")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("999999999999.999999", "999999999999.999999")]
    [InlineData("123456789012345678", "123456789012345678")]
    [InlineData("1234567890123456789012.5", "1234567890123456789012.5")]
    [InlineData("0.1999968000511991808131", "0.1999968000511991808131")]
    [InlineData("'2.5415", "2.5415")]
    [InlineData(" 1234.5 ", "1234.5")]
    [InlineData("1.5E-3", "0.0015")]
    [InlineData("-0.00", "0.00")]
    public void TryDecimal_MicrosoftsNumbers_AreReadExactly(string text, string expected)
    {
        Assert.True(MicrosoftValues.TryDecimal(text, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("12,5")]
    [InlineData("1,234.5")]
    [InlineData("abc")]
    [InlineData(".")]
    public void TryDecimal_NotANumber_IsRefused(string text) => Assert.False(MicrosoftValues.TryDecimal(text, out _));

    [Theory]
    [InlineData("10/3/2020", 2020, 10, 3)]
    [InlineData("03/01/2026", 2026, 3, 1)]
    [InlineData("2019-08-02T00:00:00", 2019, 8, 2)]
    [InlineData("2021-05-20T18:30:06.6045692Z", 2021, 5, 20)]
    [InlineData("2021-05-20", 2021, 5, 20)]
    public void TryDate_TheFormsMicrosoftWrites_AreTheCalendarDate(string text, int year, int month, int day)
    {
        Assert.True(MicrosoftValues.TryDate(text, out var date));
        Assert.Equal(new DateOnly(year, month, day), date);
    }
}
