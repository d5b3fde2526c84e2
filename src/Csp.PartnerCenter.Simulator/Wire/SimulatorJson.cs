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
[JsonSerializable(typeof(CartRequest))]
[JsonSerializable(typeof(IReadOnlyList<CartLineRequest>))]
[JsonSerializable(typeof(CartResource))]
[JsonSerializable(typeof(CartCheckoutResultResource))]
[JsonSerializable(typeof(OrderResource))]
[JsonSerializable(typeof(OrderPage))]
[JsonSerializable(typeof(IReadOnlyList<Data.SimOrderLine>))]
[JsonSerializable(typeof(Data.AuditedOrder))]
[JsonSerializable(typeof(InvoiceResource))]
[JsonSerializable(typeof(InvoicePage))]
[JsonSerializable(typeof(CollectionResource<ProductResource>))]
[JsonSerializable(typeof(CollectionResource<SkuResource>))]
[JsonSerializable(typeof(CollectionResource<AvailabilityResource>))]
public sealed partial class SimulatorJson : JsonSerializerContext;
