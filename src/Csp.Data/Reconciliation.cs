using Csp.Domain.Reconciliation;

namespace Csp.Data;

/// <summary>
/// One of Microsoft's reconciliation files matched against what the platform expected for a billing month. Imported
/// once: the same file (by its SHA-256) for the same partner is the same reconciliation.
/// </summary>
public sealed class Reconciliation
{
    public Reconciliation(Guid id, Guid partnerId, string fileName, string fileSha256, DateOnly month, DateTimeOffset importedAt, int billedLines, int expectedLines, int matched, bool isZeroDiscrepancy)
    {
        Id = id;
        PartnerId = partnerId;
        FileName = fileName;
        FileSha256 = fileSha256;
        Month = month;
        ImportedAt = importedAt;
        BilledLines = billedLines;
        ExpectedLines = expectedLines;
        Matched = matched;
        IsZeroDiscrepancy = isZeroDiscrepancy;
    }

    public Guid Id { get; private set; }

    public Guid PartnerId { get; private set; }

    public string FileName { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes: what makes importing it twice change nothing.</summary>
    public string FileSha256 { get; private set; }

    /// <summary>The first day of the billing month (a calendar month, Microsoft's billing period).</summary>
    public DateOnly Month { get; private set; }

    public DateTimeOffset ImportedAt { get; private set; }

    /// <summary>Lines in Microsoft's file for the month.</summary>
    public int BilledLines { get; private set; }

    /// <summary>Lines the platform expected for the month: the shadow invoice's, and one per Azure plan with usage imported.</summary>
    public int ExpectedLines { get; private set; }

    public int Matched { get; private set; }

    public bool IsZeroDiscrepancy { get; private set; }
}

/// <summary>One difference of a <see cref="Reconciliation"/>: an expected line, a billed line, or both, and what differs.</summary>
public sealed class ReconciliationDifference
{
    public ReconciliationDifference(Guid reconciliationId, Guid partnerId, Discrepancy difference)
    {
        var line = difference.Actual ?? difference.Expected!;
        ReconciliationId = reconciliationId;
        PartnerId = partnerId;
        Kind = difference.Kind;
        FileLine = difference.Actual?.LineNumber;
        SubscriptionId = line.SubscriptionId;
        ChargeType = line.ChargeType;
        ChargeStartDate = line.ChargeStartDate;
        ChargeEndDate = line.ChargeEndDate;
        ExpectedQuantity = difference.Expected?.BillableQuantity;
        BilledQuantity = difference.Actual?.BillableQuantity;
        ExpectedSubtotal = difference.Expected?.Subtotal;
        BilledSubtotal = difference.Actual?.Subtotal;
        Currency = line.Currency;
        Detail = difference.Detail;
    }

    private ReconciliationDifference()
    {
        SubscriptionId = ChargeType = Currency = Detail = "";
    }

    /// <summary>Increasing in the order differences were found.</summary>
    public long Id { get; private set; }

    public Guid ReconciliationId { get; private set; }

    public Guid PartnerId { get; private set; }

    public DiscrepancyKind Kind { get; private set; }

    /// <summary>The line of Microsoft's file, when the difference concerns a billed line.</summary>
    public long? FileLine { get; private set; }

    public string SubscriptionId { get; private set; }

    public string ChargeType { get; private set; }

    public DateOnly ChargeStartDate { get; private set; }

    public DateOnly ChargeEndDate { get; private set; }

    public decimal? ExpectedQuantity { get; private set; }

    public decimal? BilledQuantity { get; private set; }

    public decimal? ExpectedSubtotal { get; private set; }

    public decimal? BilledSubtotal { get; private set; }

    public string Currency { get; private set; }

    public string Detail { get; private set; }
}
