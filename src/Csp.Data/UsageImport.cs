namespace Csp.Data;

/// <summary>
/// One of Microsoft's daily rated usage files, imported once (by its SHA-256) as daily totals per customer, subscription
/// and day. <see cref="BillingPreTaxTotal"/> is the file's own sum, kept to prove nothing was lost or doubled.
/// </summary>
public sealed class UsageImport
{
    public UsageImport(Guid id, Guid partnerId, string fileName, string fileSha256, DateTimeOffset importedAt, long rows, int days, decimal billingPreTaxTotal, DateOnly? firstUsageDate, DateOnly? lastUsageDate, string warnings = "")
    {
        Warnings = warnings;
        FirstUsageDate = firstUsageDate;
        LastUsageDate = lastUsageDate;
        Id = id;
        PartnerId = partnerId;
        FileName = fileName;
        FileSha256 = fileSha256;
        ImportedAt = importedAt;
        Rows = rows;
        Days = days;
        BillingPreTaxTotal = billingPreTaxTotal;
    }

    public Guid Id { get; private set; }

    public Guid PartnerId { get; private set; }

    public string FileName { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes: importing it again changes nothing.</summary>
    public string FileSha256 { get; private set; }

    public DateTimeOffset ImportedAt { get; private set; }

    /// <summary>Rows read from the file.</summary>
    public long Rows { get; private set; }

    /// <summary>Daily totals stored: one per customer, subscription and day.</summary>
    public int Days { get; private set; }

    /// <summary>Σ BillingPreTaxTotal of every row of the file, exact.</summary>
    public decimal BillingPreTaxTotal { get; private set; }

    /// <summary>The earliest usage day of the file; null for a file without rows. A month's reports read only the imports whose days reach into it.</summary>
    public DateOnly? FirstUsageDate { get; private set; }

    /// <summary>The latest usage day of the file; null for a file without rows.</summary>
    public DateOnly? LastUsageDate { get; private set; }

    /// <summary>What in the file was imported but looks wrong (rows dated outside any billing month, subscriptions the platform does not know), one sentence a line; empty when nothing does.</summary>
    public string Warnings { get; private set; }
}

/// <summary>
/// A subscription of one customer that a <see cref="UsageImport"/> has usage for, numbered within the import so that each
/// of the import's daily totals names it by a small integer instead of two GUIDs.
/// </summary>
/// <remarks>
/// A large distributor's month is a million daily totals for some tens of thousands of subscriptions: the ids once per
/// subscription here, and four bytes per total there, make the totals a fifth of the size they were with the ids in every
/// row, and the import's store a third of the time (README, Performance).
/// </remarks>
public sealed class UsageImportSubscription
{
    public UsageImportSubscription(Guid usageImportId, int number, Guid partnerId, Guid customerTenantId, Guid subscriptionId)
    {
        UsageImportId = usageImportId;
        Number = number;
        PartnerId = partnerId;
        CustomerTenantId = customerTenantId;
        SubscriptionId = subscriptionId;
    }

    public Guid UsageImportId { get; private set; }

    /// <summary>1, 2, … within the import, in the order of customer and subscription id.</summary>
    public int Number { get; private set; }

    public Guid PartnerId { get; private set; }

    /// <summary>Microsoft's customer tenant id, as the usage file writes it.</summary>
    public Guid CustomerTenantId { get; private set; }

    /// <summary>Microsoft's Azure plan subscription id.</summary>
    public Guid SubscriptionId { get; private set; }
}

/// <summary>
/// Azure usage of one subscription of one customer on one day, summed from a <see cref="UsageImport"/>. Written in bulk
/// (binary COPY on PostgreSQL, one prepared insert re-run per row on SQLite), never through change tracking; read by
/// reports, with <see cref="UsageImportSubscription"/> for the ids.
/// </summary>
public sealed class DailyUsageTotal
{
    public DailyUsageTotal(Guid usageImportId, int subscriptionNumber, DateOnly usageDate, decimal quantity, decimal billingPreTaxTotal, int rows)
    {
        UsageImportId = usageImportId;
        SubscriptionNumber = subscriptionNumber;
        UsageDate = usageDate;
        Quantity = quantity;
        BillingPreTaxTotal = billingPreTaxTotal;
        Rows = rows;
    }

    public Guid UsageImportId { get; private set; }

    /// <summary>The <see cref="UsageImportSubscription.Number"/> of the customer and subscription within the import.</summary>
    public int SubscriptionNumber { get; private set; }

    public DateOnly UsageDate { get; private set; }

    public decimal Quantity { get; private set; }

    public decimal BillingPreTaxTotal { get; private set; }

    /// <summary>How many of the file's rows this total sums.</summary>
    public int Rows { get; private set; }
}
