namespace Csp.Data;

public enum SyncRunStatus
{
    /// <summary>Reading Partner Center and applying what it found, on <see cref="SyncRun.Host"/>.</summary>
    Running,

    /// <summary>Applied everything it found: the figures are set.</summary>
    Done,

    /// <summary>Applied nothing: Partner Center refused or did not answer, or another sync committed first.</summary>
    Failed,

    /// <summary>Applied nothing: its host stopped before it finished.</summary>
    Interrupted,
}

/// <summary>
/// One sync of a partner's Partner Center account, whoever started it (a person in the portal, a client of the API): kept
/// so that a sync left running can be come back to, and what each found read again. One runs at a time per partner.
/// </summary>
public sealed class SyncRun
{
    public const string InterruptedCode = "partner_center.sync_interrupted";

    public SyncRun(Guid id, Guid partnerId, string startedBy, DateTimeOffset startedAt, string host)
    {
        Id = id;
        PartnerId = partnerId;
        StartedBy = startedBy;
        StartedAt = startedAt;
        Host = host;
        Status = SyncRunStatus.Running;
    }

    public Guid Id { get; private set; }

    public Guid PartnerId { get; private set; }

    public string StartedBy { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The host (machine name) the sync runs on: only it can say how far it has got.</summary>
    public string Host { get; private set; }

    public SyncRunStatus Status { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>True when the run read the whole account (the first sync, or one after too long a gap).</summary>
    public bool? FirstImport { get; private set; }

    public int? CustomersImported { get; private set; }

    public int? SubscriptionsImported { get; private set; }

    public int? ChangesApplied { get; private set; }

    public int? Drift { get; private set; }

    public int? CatalogItemsImported { get; private set; }

    public int? PricesImported { get; private set; }

    /// <summary>The latest Partner Center operation applied after this run.</summary>
    public DateTimeOffset? AppliedThrough { get; private set; }

    /// <summary>Why nothing was applied: the error's code (<c>partner_center.unavailable</c>, …).</summary>
    public string? ErrorCode { get; private set; }

    /// <summary>Why nothing was applied, in words.</summary>
    public string? Error { get; private set; }

    public void Finished(
        DateTimeOffset at, bool firstImport, int customersImported, int subscriptionsImported, int changesApplied, int drift, int catalogItemsImported, int pricesImported, DateTimeOffset appliedThrough)
    {
        (Status, FinishedAt, FirstImport, CustomersImported, SubscriptionsImported) = (SyncRunStatus.Done, at, firstImport, customersImported, subscriptionsImported);
        (ChangesApplied, Drift, CatalogItemsImported, PricesImported, AppliedThrough) = (changesApplied, drift, catalogItemsImported, pricesImported, appliedThrough);
    }

    public void Failed(DateTimeOffset at, string code, string error) => (Status, FinishedAt, ErrorCode, Error) = (SyncRunStatus.Failed, at, code, error);

    public void Interrupted(DateTimeOffset at, string why) => (Status, FinishedAt, ErrorCode, Error) = (SyncRunStatus.Interrupted, at, InterruptedCode, why);

    /// <summary>Why a run its host stopped during applied nothing.</summary>
    public static string HostStopped(string host) => $"{host} stopped before the sync finished; nothing was applied.";
}
