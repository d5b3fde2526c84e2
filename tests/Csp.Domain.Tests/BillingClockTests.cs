namespace Csp.Domain.Tests;

public class BillingClockTests
{
    [Fact]
    public void JustAfterMidnightInBerlin_IsTheBerlinPartnersNextDay_ButStillMicrosoftsBillingDay()
    {
        var instant = new DateTimeOffset(2021, 6, 19, 22, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2021, 6, 20), BillingClock.PartnerDay(instant, "Europe/Berlin"));
        Assert.Equal(new DateOnly(2021, 6, 19), BillingClock.MicrosoftDay(instant));
    }
}
