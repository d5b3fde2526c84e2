using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csp.PartnerCenter.Api;

/// <summary>The JSON of Partner Center's resources, generated at compile time: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(ResourcePage<Customer>))]
[JsonSerializable(typeof(Agreement))]
[JsonSerializable(typeof(ResourcePage<Agreement>))]
[JsonSerializable(typeof(ResourcePage<Product>))]
[JsonSerializable(typeof(ResourcePage<Sku>))]
[JsonSerializable(typeof(ResourcePage<Availability>))]
[JsonSerializable(typeof(Cart))]
[JsonSerializable(typeof(CartCheckoutResult))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(ResourcePage<Order>))]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(ResourcePage<Subscription>))]
[JsonSerializable(typeof(ResourcePage<TransitionEligibility>))]
[JsonSerializable(typeof(Transition))]
[JsonSerializable(typeof(TransitionHistory))]
[JsonSerializable(typeof(ScheduledNextTermInstructions))]
[JsonSerializable(typeof(ResourcePage<AuditRecord>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(ResourcePage<Invoice>))]
[JsonSerializable(typeof(BillingExportRequest))]
[JsonSerializable(typeof(BillingOperation))]
[JsonSerializable(typeof(BillingManifest))]
[JsonSerializable(typeof(ResourcePage<CustomTermEndDate>))]
[JsonSerializable(typeof(Promotion))]
[JsonSerializable(typeof(ResourcePage<Promotion>))]
public sealed partial class PartnerCenterJson : JsonSerializerContext;
