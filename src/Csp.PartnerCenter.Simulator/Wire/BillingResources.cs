using System.Text.Json.Serialization;

namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// An export's operation as Graph's reference writes it (partners-billing-operation-get): its <c>@odata.type</c>
/// (<c>runningOperation</c>, <c>exportSuccessOperation</c>, <c>failedOperation</c>) and, once succeeded, the link to its
/// manifest; the manifest itself too, as Partner Center's billed-invoice-reconciliation page shows it.
/// </summary>
public sealed record BillingOperationResource(
    [property: JsonPropertyName("@odata.type")] string ODataType,
    string Id,
    string Status,
    DateTimeOffset CreatedDateTime,
    DateTimeOffset LastActionDateTime,
    [property: JsonPropertyName("resourceLocation@odata.navigationLink")] string? ResourceLocationLink = null,
    BillingManifestResource? ResourceLocation = null);

/// <summary>Graph's manifest (partners-billing-manifest-get): where the export's blobs are and the token that reads them.</summary>
public sealed record BillingManifestResource(
    string Id,
    string SchemaVersion,
    string DataFormat,
    DateTimeOffset CreatedDateTime,
    string ETag,
    string PartnerTenantId,
    string RootDirectory,
    string SasToken,
    string PartitionType,
    int BlobCount,
    IReadOnlyList<BillingBlobResource> Blobs);

public sealed record BillingBlobResource(string Name, string PartitionValue);

/// <summary>
/// An export request as Graph's reference writes it: <c>{ invoiceId, attributeSet }</c> for what an invoice billed,
/// <c>{ currencyCode, billingPeriod, attributeSet }</c> for usage not yet billed (<c>current</c> or <c>last</c>).
/// </summary>
public sealed record BillingExportRequestResource(string? InvoiceId, string? AttributeSet, string? CurrencyCode, string? BillingPeriod);
