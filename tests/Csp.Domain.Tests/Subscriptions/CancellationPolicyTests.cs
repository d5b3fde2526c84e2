using Csp.Domain.Subscriptions;

namespace Csp.Domain.Tests.Subscriptions;

public class CancellationPolicyTests
{
    private static readonly DateTimeOffset Purchased = new(2026, 11, 26, 14, 2, 0, TimeSpan.Zero);

    [Fact]
    public void AllowedUntil_Default_Is168HoursAfterThePurchase()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 14, 2, 0, TimeSpan.Zero), CancellationPolicy.Default.AllowedUntil(Purchased));
    }

    [Fact]
    public void IsOpen_AtTheExactEndOfTheWindow_IsClosed()
    {
        var policy = CancellationPolicy.Default;

        Assert.True(policy.IsOpen(Purchased, Purchased.AddHours(168).AddTicks(-1)));
        Assert.False(policy.IsOpen(Purchased, Purchased.AddHours(168)));
    }

    [Fact]
    public void AllowedUntil_ASeventyTwoHourPolicy_IsThreeDays()
    {
        Assert.Equal(Purchased.AddDays(3), new CancellationPolicy(TimeSpan.FromHours(72)).AllowedUntil(Purchased));
    }

    [Fact]
    public void Refundable_PurchaseClosedAndLaterSeatsOpen_OnlyTheLaterSeats()
    {
        var added = Purchased.AddDays(10);

        var refundable = CancellationPolicy.Default.Refundable(
            [new SeatAddition(10, Purchased), new SeatAddition(5, added)], currentQuantity: 15, now: added.AddDays(1));

        Assert.Equal(5, refundable.TotalQuantity);
        Assert.Equal(added.AddDays(7), Assert.Single(refundable.Details).AllowedUntil);
    }

    [Fact]
    public void Refundable_SeatsReducedSince_TakesThemFromTheNewestAddition()
    {
        var added = Purchased.AddDays(1);

        var refundable = CancellationPolicy.Default.Refundable(
            [new SeatAddition(10, Purchased), new SeatAddition(5, added)], currentQuantity: 12, now: added.AddHours(1));

        Assert.Equal(12, refundable.TotalQuantity);
        Assert.Equal([10, 2], refundable.Details.Select(d => d.Quantity));
    }

    [Fact]
    public void Construction_ZeroWindow_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CancellationPolicy(TimeSpan.Zero));
    }
}
