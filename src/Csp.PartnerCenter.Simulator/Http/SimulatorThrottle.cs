namespace Csp.PartnerCenter.Simulator.Http;

/// <summary>
/// Microsoft's throttling of the subscription, customer and order resources: so many requests per minute per partner
/// tenant (docs/microsoft/api-platform.md), counted per minute of the simulator's clock.
/// </summary>
public sealed class SimulatorThrottle
{
    private readonly Lock gate = new();
    private long minute = -1;
    private int count;

    /// <summary>Counts a request; when over the limit, the seconds until the next minute begins, else null.</summary>
    public int? Count(DateTimeOffset now, int perMinute)
    {
        var current = now.ToUnixTimeSeconds() / 60;
        lock (gate)
        {
            if (current != minute)
            {
                (minute, count) = (current, 0);
            }

            count++;
            return count <= perMinute ? null : (int)(60 - (now.ToUnixTimeSeconds() % 60));
        }
    }
}
