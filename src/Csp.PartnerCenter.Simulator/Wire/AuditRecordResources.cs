namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// One record of <c>GET /v1/auditrecords</c> as Microsoft's sample writes it ("Get a record of Partner Center
/// activity"): the resource before and after as the API's JSON, in text. <see cref="OriginalCorrelationId"/> is the
/// simulator's addition: the MS-CorrelationId of the request that made the change (conformance.md).
/// </summary>
public sealed record AuditRecordResource(
    string PartnerId,
    string? CustomerId,
    string? CustomerName,
    string UserPrincipalName,
    string ApplicationId,
    string ResourceType,
    string? ResourceOldValue,
    string? ResourceNewValue,
    string OperationType,
    DateTimeOffset OperationDate,
    string OperationStatus,
    IReadOnlyList<AuditDetailResource> CustomizedData,
    string? OriginalCorrelationId,
    AttributesResource Attributes);

public sealed record AuditDetailResource(string Key, string? Value);

public sealed record AuditRecordPage(int TotalCount, IReadOnlyList<AuditRecordResource> Items, AuditRecordPageLinks Links, AttributesResource Attributes);

public sealed record AuditRecordPageLinks(LinkResource Self, LinkResource? Next = null);

/// <summary>The <c>filter</c> query parameter: <c>{"Field":"CustomerId","Value":"…","Operator":"equals"}</c>, its names in any case.</summary>
public sealed record AuditRecordFilter(string? Field, string? Value, string? Operator);
