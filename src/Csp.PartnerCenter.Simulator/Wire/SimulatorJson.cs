using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>The JSON of the simulator's own resources, generated at compile time: camelCase, nulls left out, as Microsoft's.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubscriptionResource))]
[JsonSerializable(typeof(SubscriptionPage))]
[JsonSerializable(typeof(NextTermInstructionsResource))]
[JsonSerializable(typeof(ErrorResource))]
[JsonSerializable(typeof(TransitionEligibilityPage))]
[JsonSerializable(typeof(TransitionResource))]
[JsonSerializable(typeof(TransitionRequest))]
[JsonSerializable(typeof(TransitionHistoryResource))]
[JsonSerializable(typeof(CustomerResource))]
[JsonSerializable(typeof(CustomerPage))]
[JsonSerializable(typeof(CustomerRequest))]
[JsonSerializable(typeof(AddressResource))]
[JsonSerializable(typeof(AuditRecordPage))]
[JsonSerializable(typeof(AuditRecordFilter))]
[JsonSerializable(typeof(AgreementResource))]
[JsonSerializable(typeof(AgreementPage))]
public sealed partial class SimulatorJson : JsonSerializerContext;
