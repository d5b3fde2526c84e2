namespace Csp.PartnerCenter.Simulator.Http;

/// <summary>What a fault does to a request it matches.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>429 with <c>Retry-After</c>, as Microsoft throttles.</summary>
    Throttle,

    /// <summary>A server error (500, 502, 503 or 504) before anything happens.</summary>
    Error,

    /// <summary>The request waits before it is handled.</summary>
    Latency,

    /// <summary>The request is carried out and its response lost: the connection drops after the commit.</summary>
    LostResponse,
}

/// <summary>
/// A fault injected through <c>POST /_sim/faults</c>: requests whose method and path match suffer it, either the next
/// <see cref="Times"/> of them or each with <see cref="Probability"/> (drawn from a seeded generator, so runs repeat).
/// </summary>
public sealed record Fault(FaultKind Kind, string PathPrefix, string? Method = null, int? Times = 1, double? Probability = null, int Status = 503, int RetryAfterSeconds = 57, int LatencyMilliseconds = 0, int Seed = 1)
{
    /// <summary>What makes this fault one the simulator cannot inject, in words; null when it can.</summary>
    public string? Problem() =>
        !Enum.IsDefined(Kind) ? "kind must be Throttle, Error, Latency or LostResponse."
        : PathPrefix is not ['/', ..] || PathPrefix.Length > 500 ? "pathPrefix must be a path beginning with '/'."
        : Method is { Length: 0 or > 10 } ? "method must be an HTTP method."
        : Times is < 1 ? "times must be at least 1 (or null: every matching request)."
        : Probability is <= 0 or > 1 ? "probability must be above 0 and at most 1."
        : Kind == FaultKind.Error && Status is < 500 or > 599 ? "status must be a server error, 500 to 599."
        : RetryAfterSeconds is < 0 or > 3600 ? "retryAfterSeconds must be from 0 to 3600."
        : LatencyMilliseconds is < 0 or > 60_000 ? "latencyMilliseconds must be from 0 to 60000."
        : null;
}

/// <summary>
/// The faults in force, matched in the order they were added: first those of the configuration
/// (<c>Simulator:Faults</c>, in force from the start), then those posted to <c>/_sim/faults</c>.
/// </summary>
public sealed class SimulatorFaults
{
    private readonly Lock gate = new();
    private readonly List<(Fault Fault, Random Random, int Remaining)> faults = [];

    public SimulatorFaults(Microsoft.Extensions.Options.IOptions<SimulatorOptions> options)
    {
        foreach (var (fault, index) in options.Value.Faults.Select((f, i) => (f, i)))
        {
            Add(fault.Problem() is { } problem ? throw new InvalidOperationException($"Simulator:Faults:{index}: {problem}") : fault);
        }
    }

    public void Add(Fault fault)
    {
        lock (gate)
        {
            faults.Add((fault, new Random(fault.Seed), fault.Times ?? int.MaxValue));
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>The fault this request suffers, if any; a counted fault is used up by it.</summary>
    public Fault? Take(string method, string path)
    {
        lock (gate)
        {
            for (var i = 0; i < faults.Count; i++)
            {
                var (fault, random, remaining) = faults[i];
                if (!path.StartsWith(fault.PathPrefix, StringComparison.OrdinalIgnoreCase) || (fault.Method is { } m && !m.Equals(method, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                if (fault.Probability is { } p && random.NextDouble() >= p)
                {
                    continue;
                }

                if (remaining <= 1 && fault.Probability is null)
                {
                    faults.RemoveAt(i);
                }
                else
                {
                    faults[i] = (fault, random, remaining - 1);
                }

                return fault;
            }

            return null;
        }
    }
}
