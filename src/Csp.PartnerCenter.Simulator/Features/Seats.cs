using System.Text.Json;
using System.Text.Json.Serialization;
using Csp.Domain.Subscriptions;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>A subscription's seat additions, stored as JSON: what the cancellation window still lets the partner reduce.</summary>
public static class Seats
{
    public static string Write(IReadOnlyList<SeatAddition> additions) => JsonSerializer.Serialize(additions.ToList(), SeatJson.Default.ListSeatAddition);

    public static List<SeatAddition> Read(string json) => JsonSerializer.Deserialize(json, SeatJson.Default.ListSeatAddition) ?? [];
}

[JsonSerializable(typeof(List<SeatAddition>))]
internal sealed partial class SeatJson : JsonSerializerContext;
