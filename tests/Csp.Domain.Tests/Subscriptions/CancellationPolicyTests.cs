using Csp.Domain.Subscriptions;
using FsCheck;
using FsCheck.Xunit;

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

public class SeatAdditionsTests
{
    private static readonly DateTimeOffset December1 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The remark's example: 5 bought, 4 added five days later, 3 given back the day after.</summary>
    [Fact]
    public void Replay_ReductionAfterAnAddition_TakesFromTheNewestSeats()
    {
        var held = SeatAdditions.Replay([(December1, 5), (December1.AddDays(5), 9), (December1.AddDays(6), 6)]);

        Assert.Equal([new SeatAddition(5, December1), new SeatAddition(1, December1.AddDays(5))], held);
    }

    [Fact]
    public void Refundable_OnceThePurchasesWindowHasClosed_IsWhatIsLeftOfTheLaterAddition()
    {
        var held = SeatAdditions.Replay([(December1, 10), (December1.AddDays(3), 15), (December1.AddDays(4), 12)]);

        var refundable = CancellationPolicy.Default.Refundable(held, 12, December1.AddDays(8));

        Assert.Equal([new RefundableSeats(2, December1.AddDays(10))], refundable.Details);
    }

    [Property]
    public bool Replay_AnyCounts_HoldsTheLastCountInAll(PositiveInt[] counts) =>
        SeatAdditions.Replay(counts.Select((c, i) => (December1.AddHours(i), c.Get))).Sum(a => a.Quantity) == (counts.Length == 0 ? 0 : counts[^1].Get);
}
