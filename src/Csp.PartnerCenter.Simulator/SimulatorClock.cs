namespace Csp.PartnerCenter.Simulator;

/// <summary>
/// The simulator's "now": the host's clock moved forward by whatever <c>POST /_sim/clock</c> asked, so that terms end,
/// renewals run and windows close in seconds. It only ever moves forward.
/// </summary>
public sealed class SimulatorClock(TimeProvider host) : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => host.GetUtcNow() + Offset;

    public override long GetTimestamp() => host.GetTimestamp();

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }
}
