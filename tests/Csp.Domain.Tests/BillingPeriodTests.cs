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
}
