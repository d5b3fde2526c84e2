namespace Csp.Data;

/// <summary>
/// One of Microsoft's daily rated usage files, imported once (by its SHA-256) as daily totals per customer, subscription
/// and day. <see cref="BillingPreTaxTotal"/> is the file's own sum, kept to prove nothing was lost or doubled.
/// </summary>
public sealed class UsageImport
{
    public UsageImport(Guid id, Guid partnerId, string fileName, string fileSha256, DateTimeOffset importedAt, long rows, int days, decimal billingPreTaxTotal, string warnings = "")
    {
        Warnings = warnings;
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

    /// <summary>What in the file was imported but looks wrong (rows dated outside any billing month, subscriptions the platform does not know), one sentence a line; empty when nothing does.</summary>
    public string Warnings { get; private set; }
}

/// <summary>
/// Azure usage of one subscription of one customer on one day, summed from a <see cref="UsageImport"/>. Written in bulk
/// (binary COPY on PostgreSQL, prepared batched inserts on SQLite), never through change tracking; read by reports.
/// </summary>
public sealed class DailyUsageTotal
{
    public DailyUsageTotal(Guid usageImportId, Guid partnerId, Guid customerTenantId, Guid subscriptionId, DateOnly usageDate, decimal quantity, decimal billingPreTaxTotal, int rows)
    {
        UsageImportId = usageImportId;
        PartnerId = partnerId;
        CustomerTenantId = customerTenantId;
        SubscriptionId = subscriptionId;
        UsageDate = usageDate;
        Quantity = quantity;
        BillingPreTaxTotal = billingPreTaxTotal;
        Rows = rows;
    }

    public Guid UsageImportId { get; private set; }

    public Guid PartnerId { get; private set; }

    /// <summary>Microsoft's customer tenant id, as the usage file writes it.</summary>
    public Guid CustomerTenantId { get; private set; }

    /// <summary>Microsoft's Azure plan subscription id.</summary>
    public Guid SubscriptionId { get; private set; }

    public DateOnly UsageDate { get; private set; }

    public decimal Quantity { get; private set; }

    public decimal BillingPreTaxTotal { get; private set; }

    /// <summary>How many of the file's rows this total sums.</summary>
    public int Rows { get; private set; }
}
