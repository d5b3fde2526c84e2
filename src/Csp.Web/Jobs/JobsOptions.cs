using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Quartz;

namespace Csp.Web.Jobs;

/// <summary>
/// The scheduled jobs (section <c>Jobs</c>): on or off, the host's name in a cluster, and each job's schedule — Quartz
/// cron expressions in UTC.
/// </summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    public bool Enabled { get; set; } = true;

    /// <summary>This host's name among those sharing the database; generated when not set.</summary>
    [StringLength(200)]
    public string? InstanceName { get; set; }

    /// <summary>How often a host of a PostgreSQL cluster says it is alive; twice that without a word, its jobs are taken over.</summary>
    [Range(1, 3600)]
    public int CheckinSeconds { get; set; } = 15;

    [Required]
    public RenewalWatchSchedule RenewalWatch { get; set; } = new();

    [Required]
    public JobSchedule ForgetIdempotencyKeys { get; set; } = new() { Cron = "0 15 3 * * ?" };

    /// <summary>The billing run of the month before, for every partner with customers: the 5th of each month at 06:00 UTC.</summary>
    [Required]
    public JobSchedule MonthlyBilling { get; set; } = new() { Cron = "0 0 6 5 * ?" };
}

/// <summary>When a job runs: a Quartz cron expression, in UTC.</summary>
public class JobSchedule
{
    [Required]
    public string Cron { get; set; } = "";
}

/// <summary>The renewal watch: hourly at five past by default, and once as the host starts.</summary>
public sealed class RenewalWatchSchedule : JobSchedule
{
    public RenewalWatchSchedule() => Cron = "0 5 * * * ?";

    public bool AtStart { get; set; } = true;
}

/// <summary>Refuses to start with a schedule Quartz cannot read, naming the setting.</summary>
public sealed class ValidateJobsOptions : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var wrong = new (string Setting, string Cron)[] { ("Jobs:RenewalWatch:Cron", options.RenewalWatch.Cron), ("Jobs:ForgetIdempotencyKeys:Cron", options.ForgetIdempotencyKeys.Cron) }
            .Where(s => !Readable(s.Cron))
            .Select(s => $"{s.Setting} '{s.Cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]).")
            .ToList();
        return wrong.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(wrong);
    }

    private static bool Readable(string cron)
    {
        try
        {
            _ = new CronExpression(cron);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
