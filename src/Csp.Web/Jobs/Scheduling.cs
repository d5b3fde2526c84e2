using Csp.Data;
using Csp.Domain;
using Csp.Web.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Csp.Web.Jobs;

/// <summary>
/// The scheduled jobs, on Quartz.NET's persistent job store in the platform's own database — SQLite for one host,
/// PostgreSQL (clustered) for many — so that every firing runs on exactly one host. Quartz creates and owns its
/// <c>qrtz_</c> tables; the platform's migrations do not touch them.
/// </summary>
/// <remarks>
/// Settings: <c>Jobs:Enabled</c> (true), <c>Jobs:RenewalWatch:Cron</c> (Quartz cron, UTC; every hour at minute 5),
/// <c>Jobs:InstanceName</c> (this host's name in the cluster; the machine name and a unique suffix by default).
/// </remarks>
public static class Scheduling
{
    public const string SchedulerName = "csp-commerce";

    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddScoped<RenewalWatch>();
        if (!configuration.GetValue("Jobs:Enabled", true))
        {
            return services;
        }

        var provider = configuration["Database:Provider"] ?? "Sqlite";
        var postgres = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
        services.AddQuartz(SchedulerName, quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                if (configuration["Jobs:InstanceName"] is { } instance)
                {
                    scheduler.InstanceId = instance;
                }
                else
                {
                    scheduler.GenerateInstanceId = true;
                }
            });
            quartz.UsePersistentStore(store =>
            {
                var connectionString = Database.ConnectionString(configuration, environment)
                    ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Commerce is not set.");
                if (postgres)
                {
                    store.UsePostgres(connectionString);
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = TimeSpan.FromSeconds(configuration.GetValue("Jobs:CheckinSeconds", 15));
                        cluster.CheckinMisfireThreshold = TimeSpan.FromSeconds(configuration.GetValue("Jobs:CheckinSeconds", 15) * 2);
                    });
                }
                else
                {
                    store.UseSqlite(connectionString);
                }

                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            quartz.AddJob<RenewalWatchJob>(job => job.WithIdentity(RenewalWatchJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(RenewalWatchJob.Key)
                .WithIdentity("renewal-watch-schedule")
                .WithCronSchedule(configuration["Jobs:RenewalWatch:Cron"] ?? "0 5 * * * ?", cron => cron.InTimeZone(TimeZoneInfo.Utc)));
        });

        // Every host declares the schedule when it starts, replacing the stored one (so a changed setting applies) but
        // counting from the replaced trigger's last firing, so that a host joining the cluster never fires again what
        // another host has already run.
        services.Configure<QuartzOptions>(SchedulerName, options => options.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        services.AddQuartzHostedService(SchedulerName, hosted => hosted.WaitForJobsToComplete = true);
        return services;
    }
}

/// <summary>
/// The Quartz side of <see cref="RenewalWatch"/>: one firing runs it for every partner that holds a Partner Center
/// account, each in its own scope, and records the firing as a <see cref="JobRun"/>.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RenewalWatchJob(IServiceProvider services, TimeProvider time, ILogger<RenewalWatchJob> log) : IJob
{
    public static readonly JobKey Key = new("renewal-watch");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var businessDate = BillingClock.DateIn(time.GetUtcNow(), null);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var run = db.JobRuns.Add(new JobRun(Key.Name, context.FireInstanceId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, time.GetUtcNow(), context.Scheduler.SchedulerInstanceId, businessDate)).Entity;
        await db.SaveChangesAsync(cancellationToken);

        // The job crosses partners: it finds the partners holding a Partner Center account without a scope, then runs
        // each one inside that partner's own scope.
        var hierarchy = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new { p.Id, p.ParentPartnerId, p.Kind }).ToListAsync(cancellationToken);
        var outcomes = new List<string>();
        foreach (var account in hierarchy.Where(p => p.Kind != PartnerKind.Reseller))
        {
            await using var partnerScope = services.CreateAsyncScope();
            partnerScope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(account.Id, hierarchy.Select(p => (p.Id, p.ParentPartnerId)));
            try
            {
                var result = await partnerScope.ServiceProvider.GetRequiredService<RenewalWatch>().RunAsync(businessDate, cancellationToken);
                outcomes.Add($"{account.Id}: {result}");
            }
            catch (Exception e) when (e is Csp.PartnerCenter.Api.PartnerCenterException or HttpRequestException or DbUpdateException)
            {
                // One partner's failure (Partner Center down, a conflict) must not stop the others; the next firing retries.
                log.LogWarning(e, "Renewal watch for partner {PartnerId} failed; the next run retries", account.Id);
                outcomes.Add($"{account.Id}: failed: {e.Message}");
            }
        }

        var outcome = string.Join("; ", outcomes);
        run.Finish(time.GetUtcNow(), outcome.Length > 2000 ? outcome[..2000] : outcome);
        await db.SaveChangesAsync(cancellationToken);
    }
}
