namespace Csp.Data;

/// <summary>
/// A partner's link to its Partner Center account, as sync left it: when everything was first imported, and the latest
/// operation of Partner Center's audit records applied since, from which the next sync continues.
/// </summary>
public sealed class PartnerCenterSync
{
    public PartnerCenterSync(Guid partnerId, DateTimeOffset importedAt, DateTimeOffset appliedThrough)
    {
        PartnerId = partnerId;
        ImportedAt = importedAt;
        AppliedThrough = appliedThrough;
        LastRunAt = importedAt;
    }

    /// <summary>The partner that holds the Partner Center relationship (a distributor or a direct-bill partner).</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>
    /// When sync last read the whole account — the first sync, or one after too long a gap: every operation of Partner
    /// Center's audit records up to then is in what it read, so later syncs apply only operations after it.
    /// </summary>
    public DateTimeOffset ImportedAt { get; private set; }

    /// <summary>
    /// The operation date of the latest audit record applied. The next sync reads from that day on: Microsoft's
    /// <c>startDate</c> is a date, and records already applied are known by <see cref="PartnerCenterChange.AuditKey"/>.
    /// </summary>
    public DateTimeOffset AppliedThrough { get; private set; }

    public DateTimeOffset LastRunAt { get; private set; }

    /// <summary>The first day of the month whose catalog and price lists were last imported: Microsoft updates them monthly.</summary>
    public DateOnly? CatalogMonth { get; private set; }

    public void CatalogImported(DateOnly month) => CatalogMonth = month;

    public void ReadInFull(DateTimeOffset at) => ImportedAt = at;

    public void Ran(DateTimeOffset at, DateTimeOffset appliedThrough)
    {
        LastRunAt = at;
        AppliedThrough = appliedThrough > AppliedThrough ? appliedThrough : AppliedThrough;
    }
}

/// <summary>
/// One operation found in Partner Center by sync and what the platform made of it. It is drift when Partner Center
/// holds what the platform did not order: a subscription it did not know, or seats, status or an end-of-term decision it
/// did not set.
/// </summary>
public sealed class PartnerCenterChange
{
    public PartnerCenterChange(
        Guid partnerId, string auditKey, DateTimeOffset operationDate, string operationType, Guid? customerId, Guid? subscriptionId, bool isDrift, string description, DateTimeOffset foundAt)
    {
        PartnerId = partnerId;
        AuditKey = auditKey;
        OperationDate = operationDate;
        OperationType = operationType;
        CustomerId = customerId;
        SubscriptionId = subscriptionId;
        IsDrift = isDrift;
        Description = description;
        FoundAt = foundAt;
    }

    public long Id { get; private set; }

    /// <summary>The partner whose account the operation was on.</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>SHA-256 of the audit record (hex): the same record read again by a later sync is known by it.</summary>
    public string AuditKey { get; private set; }

    /// <summary>When Partner Center carried the operation out (UTC).</summary>
    public DateTimeOffset OperationDate { get; private set; }

    /// <summary>Microsoft's <c>operationType</c>: <c>add_customer</c>, <c>create_order</c>, <c>update_subscription</c>, …</summary>
    public string OperationType { get; private set; }

    /// <summary>The platform's customer and subscription it concerned, once known to the platform.</summary>
    public Guid? CustomerId { get; private set; }

    public Guid? SubscriptionId { get; private set; }

    public bool IsDrift { get; private set; }

    /// <summary>What was found and done, in words: "quantity 10 → 12 (not ordered by the platform)".</summary>
    public string Description { get; private set; }

    public DateTimeOffset FoundAt { get; private set; }
}
