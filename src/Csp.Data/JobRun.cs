namespace Csp.Data;

/// <summary>
/// One firing of a scheduled job, on whichever host of the cluster ran it: kept so that "each firing ran once" can be
/// seen, and what each run found.
/// </summary>
public sealed class JobRun
{
    public JobRun(string job, string fireInstanceId, DateTimeOffset scheduledFor, DateTimeOffset startedAt, string host, DateOnly businessDate)
    {
        Job = job;
        FireInstanceId = fireInstanceId;
        ScheduledFor = scheduledFor;
        StartedAt = startedAt;
        Host = host;
        BusinessDate = businessDate;
    }

    public long Id { get; private set; }

    public string Job { get; private set; }

    /// <summary>Quartz's id of the firing, unique across the cluster.</summary>
    public string FireInstanceId { get; private set; }

    /// <summary>The instant the trigger was scheduled to fire (UTC).</summary>
    public DateTimeOffset ScheduledFor { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The scheduler instance (host) that ran it.</summary>
    public string Host { get; private set; }

    /// <summary>The business day the run worked for; a job is idempotent per business day.</summary>
    public DateOnly BusinessDate { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>What the run did, in words, or why it failed.</summary>
    public string? Outcome { get; private set; }

    public void Finish(DateTimeOffset at, string outcome) => (FinishedAt, Outcome) = (at, outcome);
}
