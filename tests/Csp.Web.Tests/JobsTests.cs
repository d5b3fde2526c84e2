using System.Net.Http.Json;
using Csp.Commerce.Renewals;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>
/// The renewal watch as a plain method, on the demo and its simulator with a clock that moves past term ends; SQLite and
/// PostgreSQL.
/// </summary>
public abstract class RenewalWatchTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    [Fact]
    public async Task Watch_RaisesEachRenewalAndEstDriftAlertOnceADay()
    {
        var inService = await App.WithDbAsync(db => db.Subscriptions.Where(s => s.Term != null && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended)).ToListAsync(Cancel));
        var est = EstPolicy.Default;

        var first = await WatchAsync(Today);
        var second = await WatchAsync(Today);
        var alerts = await App.CreateClient().GetFromJsonAsync<List<AlertView>>("/api/alerts?limit=500", Json, Cancel);

        foreach (var (days, kind) in new[] { (30, AlertKind.RenewalIn30Days), (7, AlertKind.RenewalIn7Days), (1, AlertKind.RenewalIn1Day) })
        {
            Assert.Equal(
                inService.Where(s => s.TermEndDate == Today.AddDays(days)).Select(s => s.Id).Order(),
                alerts!.Where(a => a.Kind == kind).Select(a => a.SubscriptionId).Order());
        }

        var drifting = inService.Where(s => s.TermEndDate >= Today && s.TermEndDate <= Today.AddDays(30) && est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate!.Value).DriftsIntoEst).ToList();
        Assert.Equal(drifting.Select(s => s.Id).Order(), alerts!.Where(a => a.Kind == AlertKind.EstDrift).Select(a => a.SubscriptionId).Order());
        Assert.Equal(3, alerts!.Count(a => a.Kind == AlertKind.WindowClosing)); // the demo's purchases and additions of the last week
        Assert.Equal(inService.Count(s => s.TermEndDate == Today.AddDays(30) || s.TermEndDate == Today.AddDays(7) || s.TermEndDate == Today.AddDays(1)) + drifting.Count + 3, first.AlertsRaised);
        Assert.Equal(first.AlertsRaised, alerts!.Count);
        Assert.Equal(0, second.AlertsRaised);
    }

    [Fact]
    public async Task Watch_AfterTermsEnd_RecordsTheRenewalAndTheEstEntryOnce()
    {
        var (renewing, drifting) = await App.WithDbAsync(async db =>
        {
            var soon = await db.Subscriptions.Where(s => s.Term != null && s.Status == SubscriptionStatus.Active && !s.IsTrial && s.TermEndDate >= Today && s.TermEndDate <= Today.AddDays(20)).OrderBy(s => s.TermEndDate).ThenBy(s => s.Id).ToListAsync(Cancel);
            return (
                soon.First(s => s.AutoRenewEnabled && s.EndOfTerm is null or EndOfTerm.Renew),
                soon.First(s => EstPolicy.Default.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate!.Value).DriftsIntoEst));
        });
        var last = new[] { renewing.TermEndDate!.Value, drifting.TermEndDate!.Value }.Max();

        // The job runs every day; Partner Center renews in the first hours after a term's last day.
        var runs = new List<RenewalWatchResult>();
        for (var day = Today.AddDays(1); day <= last.AddDays(1); day = day.AddDays(1))
        {
            Time.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero));
            runs.Add(await WatchAsync(day));
        }

        var run = new RenewalWatchResult(0, 0, runs.Sum(r => r.Renewed), runs.Sum(r => r.EnteredEst), 0, 0);
        var again = await WatchAsync(last.AddDays(1));
        var (renewed, inEst, events) = await App.WithDbAsync(async db => (
            await db.Subscriptions.SingleAsync(s => s.Id == renewing.Id, Cancel),
            await db.Subscriptions.SingleAsync(s => s.Id == drifting.Id, Cancel),
            await db.SubscriptionEvents.Where(e => (e.SubscriptionId == renewing.Id || e.SubscriptionId == drifting.Id) && e.Actor == RenewalWatch.Actor).ToListAsync(Cancel)));
        var alerts = await App.CreateClient().GetFromJsonAsync<List<AlertView>>("/api/alerts?limit=500", Json, Cancel);

        Assert.True(run.Renewed >= 1 && run.EnteredEst >= 1, run.ToString());
        Assert.Equal((0, 0, 0), (again.Renewed, again.EnteredEst, again.AlertsRaised));
        Assert.Equal(renewing.TermEndDate.Value.AddDays(1), renewed.TermStartDate);
        Assert.True(renewed.TermEndDate > renewing.TermEndDate);
        Assert.Equal(drifting.TermEndDate.Value.AddDays(1), inEst.TermStartDate);
        Assert.Equal(SubscriptionEventKind.Renewed, Assert.Single(events, e => e.SubscriptionId == renewing.Id).Kind);
        Assert.Equal(SubscriptionEventKind.EnteredExtendedServiceTerm, Assert.Single(events, e => e.SubscriptionId == drifting.Id).Kind);
        Assert.Contains(alerts!, a => a.Kind == AlertKind.Renewed && a.SubscriptionId == renewing.Id && a.ActBefore == new DateTimeOffset(renewed.TermStartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(168));
        Assert.Contains(alerts!, a => a.Kind == AlertKind.EnteredEst && a.SubscriptionId == drifting.Id);
    }

    [Fact]
    public async Task Alerts_ForAnotherReseller_AreNotShown()
    {
        await WatchAsync(Today);
        var alerts = await App.CreateClient().GetFromJsonAsync<List<AlertView>>("/api/alerts?limit=500", Json, Cancel);
        var partnerOf = await App.WithDbAsync(db => db.Subscriptions.ToDictionaryAsync(s => s.Id, s => s.PartnerId, Cancel));
        var reseller = partnerOf[alerts![0].SubscriptionId];
        var other = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller && p.Id != reseller).Select(p => p.Id).FirstAsync(Cancel));
        await using var asOther = new CommerceApp(Database, Time, other);

        var seen = await asOther.CreateClient().GetFromJsonAsync<List<AlertView>>("/api/alerts?limit=500", Json, Cancel);

        Assert.All(seen!, a => Assert.Equal(other, partnerOf[a.SubscriptionId]));
        Assert.DoesNotContain(seen!, a => partnerOf[a.SubscriptionId] == reseller);
    }

    /// <summary>
    /// A subscription bought coterminous with the month's end renews on the 1st; once the watch records the renewal, the
    /// shadow invoice still charges its short first term, and both months are invoiced as it says.
    /// </summary>
    [Fact]
    public async Task Watch_RenewalOfACoterminousFirstTerm_KeepsTheShadowInvoiceEqualToMicrosofts()
    {
        var customer = await App.WithDbAsync(db => db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel));
        var order = await PostWithKeyAsync(
            App.CreateClient(), $"/api/customers/{customer.Id}/subscriptions",
            new { catalogItemId = "CFQ7TTC0LH18:0001:CFQ7TTC0K971", term = "P1M", billingPlan = "monthly", quantity = 6, customTermEndDate = "2026-11-30" });
        Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync(Cancel));
        var bought = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.CustomerId == customer.Id && s.StartDate == Today && s.TermEndDate == new DateOnly(2026, 11, 30), Cancel));

        Time.Advance(TimeSpan.FromDays(6));
        var watched = await WatchAsync(new DateOnly(2026, 12, 2));
        var renewed = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == bought.Id, Cancel));
        Time.Advance(TimeSpan.FromDays(31));

        Assert.True(watched.Renewed >= 1);
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31)), (renewed.TermStartDate, renewed.TermEndDate!.Value));
        await AssertInvoicedAsShadowAsync(new DateOnly(2026, 11, 1), bought.MicrosoftSubscriptionId);
        await AssertInvoicedAsShadowAsync(new DateOnly(2026, 12, 1), bought.MicrosoftSubscriptionId);
    }

    /// <summary>The watch as the job runs it for the demo distributor, which holds the Partner Center account.</summary>
    /// <summary>A purchase whose window closes tomorrow, with seats added since: the alert says which seats stay reducible, and until when.</summary>
    [Fact]
    public async Task Watch_WindowClosing_SaysWhichSeatsItClosesForAndWhenTheOthersClose()
    {
        var bought = await BuyThroughPlatformAsync(5);
        Time.Advance(TimeSpan.FromDays(3));
        var addedAt = Time.GetUtcNow();
        await ActAsync<Csp.Commerce.Lifecycle.ActionOutcome>($"/api/subscriptions/{bought.Id}/seats", new { quantity = 9 });
        Time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(12));

        await WatchAsync(DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime));
        var alerts = await App.CreateClient().GetFromJsonAsync<List<AlertView>>("/api/alerts?kind=windowClosing", Json, Cancel);

        var alert = Assert.Single(alerts!, a => a.SubscriptionId == bought.Id);
        Assert.Contains("can be cancelled, and 5 of its 9 seats reduced, only until", alert.Message, StringComparison.Ordinal);
        Assert.Contains($"The 4 seats added since can be reduced until {addedAt.AddHours(168):yyyy-MM-dd HH:mm} UTC (4).", alert.Message, StringComparison.Ordinal);
    }

    private async Task<RenewalWatchResult> WatchAsync(DateOnly businessDate)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var partners = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new { p.Id, p.ParentPartnerId }).ToListAsync(Cancel);
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(partners.Single(p => p.ParentPartnerId == null).Id, partners.Select(p => (p.Id, p.ParentPartnerId)));
        return await scope.ServiceProvider.GetRequiredService<RenewalWatch>().RunAsync(businessDate, Cancel);
    }
}

public sealed class SqliteRenewalWatchTests : RenewalWatchTests<SqliteDatabase>;

public sealed class PostgresRenewalWatchTests : RenewalWatchTests<PostgresDatabase>;

/// <summary>
/// Quartz.NET on its persistent store in the platform's database: on SQLite the job fires; on PostgreSQL two hosts share
/// one clustered store and every firing runs on exactly one of them. Quartz runs on the hosts' clock (the container's
/// <see cref="TimeProvider"/>), here one fake clock both hosts share, moved a second at a time.
/// </summary>
public sealed class SchedulerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Every2Seconds(string instance) => new()
    {
        ["Jobs:Enabled"] = "true",
        ["Jobs:RenewalWatch:Cron"] = "0/2 * * * * ?",
        ["Jobs:InstanceName"] = instance,
        ["Jobs:CheckinSeconds"] = "2",
        ["Jobs:RenewalWatch:AtStart"] = "false",

        // An empty platform: each firing runs the job for no partner, so what is measured is the scheduler alone.
        ["Demo:Seed"] = "false",
    };

    [Fact]
    public async Task Sqlite_OneHost_FiresTheRenewalWatchOnItsSchedule()
    {
        await using var database = new SqliteDatabase();
        var time = new FakeTimeProvider(CommerceApp.Now);
        await using var app = new CommerceApp(database, time) { Settings = Every2Seconds("only") };
        await app.WithDbAsync(_ => Task.FromResult(0));

        var runs = await RunsAsync(app, time, atLeast: 3);

        Assert.All(runs, r => Assert.Equal("only", r.Host));
        Assert.All(runs.Where(r => r.FinishedAt is not null), r => Assert.Equal(new DateOnly(2026, 11, 26), r.BusinessDate));
        Assert.Equal(runs.Count, runs.Select(r => r.ScheduledFor).Distinct().Count());
    }

    [Fact]
    public async Task Sqlite_AHostStarting_RunsTheRenewalWatchOnceWithoutWaitingForTheSchedule()
    {
        await using var database = new SqliteDatabase();
        var time = new FakeTimeProvider(CommerceApp.Now);
        var settings = new Dictionary<string, string>(Every2Seconds("starting")) { ["Jobs:RenewalWatch:AtStart"] = "true", ["Jobs:RenewalWatch:Cron"] = "0 0 0 1 1 ? 2099" };
        await using var app = new CommerceApp(database, time) { Settings = settings };
        await app.WithDbAsync(_ => Task.FromResult(0));

        var runs = await RunsAsync(app, time, atLeast: 1);
        time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(500, Cancel);

        Assert.Single(await app.WithDbAsync(db => db.JobRuns.ToListAsync(Cancel)));
        Assert.Equal("starting", Assert.Single(runs).Host);

    }

    [Fact]
    public async Task Sqlite_TheRenewalWatch_WorksOutEveryPartnersDashboardForTheDay()
    {
        await using var database = new SqliteDatabase();
        var time = new FakeTimeProvider(CommerceApp.Now);
        var directory = await SeededDemo.CopyToAsync(database);
        var settings = new Dictionary<string, string>(Every2Seconds("starting")) { ["Jobs:RenewalWatch:AtStart"] = "true", ["Jobs:RenewalWatch:Cron"] = "0 0 0 1 1 ? 2099", ["Demo:Seed"] = "true" };
        await using var app = await CommerceApp.WithSimulatorAsync(database, time, dataDirectory: directory, settings: settings);

        var run = Assert.Single(await RunsAsync(app, time, atLeast: 1));

        // The distributor's, and each reseller's in its own scope: a reseller's figures count only its own customers.
        var partners = await app.WithDbAsync(db => db.Partners.Select(p => new { p.Id, p.ParentPartnerId }).ToListAsync(Cancel));
        var customers = await app.WithDbAsync(db => db.Customers.GroupBy(c => c.PartnerId).Select(g => new { PartnerId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.PartnerId, g => g.Count, Cancel));
        var dashboards = await app.WithDbAsync(db => db.DashboardFigures.ToListAsync(Cancel));
        Assert.True(partners.Count > 1, $"{partners.Count} partners");
        Assert.Equal(partners.Select(p => p.Id).Order(), dashboards.Select(d => d.PartnerId).Order());
        Assert.All(dashboards, d => Assert.Equal(run.BusinessDate, d.BusinessDay));
        Assert.All(partners, p => Assert.Equal(
            p.ParentPartnerId is null ? customers.Values.Sum() : customers.GetValueOrDefault(p.Id),
            Csp.Commerce.Dashboard.RefreshDashboard.Read(dashboards.Single(d => d.PartnerId == p.Id).Figures)!.CustomersCount));
    }

    [Fact]
    public async Task Postgres_TwoHostsOnOneDatabase_RunEachFiringOnce()
    {
        await using var database = new PostgresDatabase();
        var time = new FakeTimeProvider(CommerceApp.Now);
        await using var first = new CommerceApp(database, time) { Settings = Every2Seconds("host-a") };
        await first.WithDbAsync(_ => Task.FromResult(0));
        await using var second = new CommerceApp(database, time) { Settings = Every2Seconds("host-b") };
        await second.WithDbAsync(_ => Task.FromResult(0));

        var runs = await RunsAsync(first, time, atLeast: 10);

        Assert.True(runs.Count == runs.Select(r => r.ScheduledFor).Distinct().Count(), string.Join("\n", runs.OrderBy(r => r.Id).Select(r => $"{r.Host} {r.ScheduledFor:HH:mm:ss.fff} {r.StartedAt:HH:mm:ss.fff} {r.FireInstanceId}")));
        Assert.Equal(runs.Count, runs.Select(r => r.FireInstanceId).Distinct().Count());
        Assert.All(runs, r => Assert.True(r.Host is "host-a" or "host-b", r.Host));
    }

    /// <summary>Moves the hosts' clock a second at a time until <paramref name="atLeast"/> firings have run and finished.</summary>
    private static async Task<List<JobRun>> RunsAsync(CommerceApp app, FakeTimeProvider time, int atLeast)
    {
        for (var step = 0; ; step++)
        {
            var runs = await app.WithDbAsync(db => db.JobRuns.Where(r => r.Job == RenewalWatchJob.Key.Name && r.FinishedAt != null).ToListAsync(Cancel));
            if (runs.Count >= atLeast || step == 600)
            {
                Assert.True(runs.Count >= atLeast, $"{runs.Count} firings ran in {step} seconds of the hosts' clock");
                return runs;
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100, Cancel);
        }
    }
}

/// <summary>Old Idempotency-Keys are forgotten, never before they are a day old, never while their request runs; SQLite and PostgreSQL.</summary>
public abstract class ForgetIdempotencyKeysTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Forget_KeysTwoDaysOld_AreForgottenAndYesterdaysAndRunningOnesKept()
    {
        var today = new DateOnly(2026, 11, 26);
        var keys = new[] { ("done-3-days-ago", -3, true), ("done-2-days-ago", -2, true), ("done-yesterday-late", -1, true), ("running-3-days-ago", -3, false) };
        await fixture.App.WithDbAsync(async db =>
        {
            var partner = await db.Partners.Where(p => p.ParentPartnerId == null).Select(p => p.Id).SingleAsync(Cancel);
            foreach (var (key, days, _) in keys)
            {
                var at = new DateTimeOffset(today.AddDays(days).ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero);
                db.IdempotencyRecords.Add(new IdempotencyRecord(partner, key, "fingerprint", at, at.AddMinutes(5)));
            }

            await db.SaveChangesAsync(Cancel);
            var done = keys.Where(k => k.Item3).Select(k => k.Item1).ToList();
            return await db.IdempotencyRecords.Where(r => done.Contains(r.Key))
                .ExecuteUpdateAsync(r => r.SetProperty(x => x.CompletedAt, CommerceApp.Now).SetProperty(x => x.StatusCode, 200).SetProperty(x => x.ResponseBody, "{}"), Cancel);
        });

        var forgotten = await fixture.App.WithDbAsync(db => new ForgetIdempotencyKeys(db).RunAsync(today, Cancel));
        var left = await fixture.App.WithDbAsync(db => db.IdempotencyRecords.Select(r => r.Key).ToListAsync(Cancel));

        Assert.Equal(2, forgotten);
        Assert.Equal(["done-yesterday-late", "running-3-days-ago"], left.Where(k => keys.Any(x => x.Item1 == k)).Order());
    }
}

public sealed class SqliteForgetIdempotencyKeysTests(DemoFixture<SqliteDatabase> fixture) : ForgetIdempotencyKeysTests<SqliteDatabase>(fixture);

public sealed class PostgresForgetIdempotencyKeysTests(DemoFixture<PostgresDatabase> fixture) : ForgetIdempotencyKeysTests<PostgresDatabase>(fixture);

/// <summary>The monthly billing job on its schedule: last month billed for every partner with customers, once, however often it fires.</summary>
public sealed class MonthlyBillingJobTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MonthlyBilling_FiringTwice_BillsLastMonthForEveryResellerOnce()
    {
        await using var database = new SqliteDatabase();
        var directory = await SeededDemo.CopyToAsync(database);
        var time = new FakeTimeProvider(CommerceApp.Now);
        await using var app = new CommerceApp(database, time)
        {
            DataDirectory = directory,
            Settings = new Dictionary<string, string>
            {
                ["Jobs:Enabled"] = "true",
                ["Jobs:MonthlyBilling:Cron"] = "0/2 * * * * ?",
                ["Jobs:RenewalWatch:Cron"] = "0 0 0 1 1 ? 2099",
                ["Jobs:RenewalWatch:AtStart"] = "false",
            },
        };
        await app.WithDbAsync(_ => Task.FromResult(0));

        for (var step = 0; step < 600 && (await app.WithDbAsync(db => db.JobRuns.CountAsync(r => r.Job == MonthlyBillingJob.Key.Name && r.FinishedAt != null, Cancel))) < 2; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100, Cancel);
        }

        var (runs, months, lines, resellers) = await app.WithDbAsync(async db => (
            await db.JobRuns.Where(r => r.Job == MonthlyBillingJob.Key.Name && r.FinishedAt != null).OrderBy(r => r.Id).ToListAsync(Cancel),
            await db.Invoices.Select(i => i.Month).Distinct().ToListAsync(Cancel),
            await db.InvoiceLines.ToListAsync(Cancel),
            await db.Partners.Where(p => p.Kind == PartnerKind.Reseller).Select(p => p.Id).ToListAsync(Cancel)));
        Assert.True(runs.Count >= 2, $"{runs.Count} firings");
        Assert.Equal([new DateOnly(2026, 10, 1)], months);
        Assert.Equal(resellers.Order(), lines.Select(l => l.PartnerId).Distinct().Order());
        Assert.Equal(lines.Count, lines.Select(l => l.ChargeKey).Distinct().Count());
        Assert.StartsWith("2026-10: ", runs[1].Outcome, StringComparison.Ordinal);
        Assert.Equal(resellers.Count, runs[1].Outcome!.Split("; ").Count(o => o.EndsWith(": 0 lines added, 0 unpriced", StringComparison.Ordinal)));
        DataFolder.Delete(directory);
    }
}
