using static Csp.Domain.Tests.Dates;

namespace Csp.Domain.Tests;

public class BillingPeriodTests
{
    [Fact]
    public void Days_June18ToJuly17_Is30BecauseBothEndsCount()
    {
        Assert.Equal(30, new BillingPeriod(June(18, 2021), July(17, 2021)).Days);
    }

    [Fact]
    public void Construction_EndBeforeStart_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BillingPeriod(July(17, 2021), June(18, 2021)));
    }

    [Fact]
    public void From_ADayInside_IsTheRestOfThePeriod()
    {
        var rest = new BillingPeriod(June(18, 2021), July(17, 2021)).From(June(20, 2021));

        Assert.Equal(28, rest.Days);
    }

    [Fact]
    public void From_ADayOutside_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BillingPeriod(June(18, 2021), July(17, 2021)).From(July(18, 2021)));
    }

    [Theory]
    [InlineData("2024-02-17", "2024-02-01", "2024-02-29")]
    [InlineData("2026-12-31", "2026-12-01", "2026-12-31")]
    [InlineData("2026-04-01", "2026-04-01", "2026-04-30")]
    public void Month_AnyDay_IsItsWholeCalendarMonth(string day, string first, string last)
    {
        var month = BillingPeriod.Month(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture)), (month.Start, month.End));
    }
}
