using Csp.Data;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>What the host is configured to talk to: configuration given explicitly wins over demo mode, and the host says which Partner Center it uses.</summary>
public sealed class HostConfigurationTests : IAsyncLifetime
{
    private readonly SqliteDatabase database = new();

    [Fact]
    public async Task DemoMode_WithAPartnerCenterConfigured_TalksToTheConfiguredOneAndSaysSo()
    {
        var logs = new CapturedLogs();
        await using var app = App(logs, new() { ["Demo:Simulator"] = "true", ["PartnerCenter:BaseAddress"] = "https://partner-center.example/" });

        var used = app.Services.GetRequiredService<IOptions<PartnerCenterOptions>>().Value.BaseAddress;

        Assert.Equal(new Uri("https://partner-center.example/"), used);
        Assert.Contains(logs.Messages, m => m == "Partner Center: https://partner-center.example/");
        Assert.DoesNotContain(logs.AtLeast(LogLevel.Warning), l => l.Message.Contains("PRAGMA", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("simulator", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DemoMode_WithoutAPartnerCenterConfigured_TalksToItsSimulatorAndSaysSo()
    {
        var logs = new CapturedLogs();
        await using var app = App(logs, [], simulatorUrl: "http://127.0.0.1:0");

        var used = app.Services.GetRequiredService<IOptions<PartnerCenterOptions>>().Value.BaseAddress;

        Assert.Equal(new Uri("http://127.0.0.1:0"), used);
        Assert.Contains(logs.Messages, m => m.StartsWith("Partner Center: http://127.0.0.1:0", StringComparison.Ordinal) && m.Contains("simulator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Production_WithoutDemoSettings_SeedsNothingStartsNoSimulatorAndSaysItTalksToMicrosoft()
    {
        var logs = new CapturedLogs();
        await using var app = App(logs, [], environment: "Production");

        var partners = await PartnersAsync(app);
        var used = app.Services.GetRequiredService<IOptions<PartnerCenterOptions>>().Value.BaseAddress;

        Assert.Equal(0, partners);
        Assert.Equal(new Uri("https://api.partnercenter.microsoft.com"), used);
        Assert.Contains(logs.Messages, m => m == "Partner Center: https://api.partnercenter.microsoft.com/");
        Assert.DoesNotContain(logs.Messages, m => m.Contains("simulator", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Production_WithDemoModeSetExplicitly_SeedsTheDemoAndStartsItsSimulator()
    {
        var logs = new CapturedLogs();
        var demo = new Dictionary<string, string>
        {
            ["Demo:Seed"] = "true",
            ["Demo:Simulator"] = "true",
            ["Demo:SimulatorUrl"] = "http://127.0.0.1:0",
            ["Database:DataDirectory"] = Directory.CreateTempSubdirectory("csp-production-demo-").FullName,
        };
        await using var app = App(logs, demo, environment: "Production");

        var partners = await PartnersAsync(app);
        var signIn = await app.CreateAnonymousClient().GetAsync("/signin", TestContext.Current.CancellationToken);

        Assert.Equal(4, partners);
        Assert.Contains(logs.Messages, m => m.StartsWith("Partner Center: http://127.0.0.1:0", StringComparison.Ordinal) && m.Contains("simulator", StringComparison.Ordinal));

        // The demo's password-less sign-in never exists in Production, demo data or not.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, signIn.StatusCode);
    }

    [Fact]
    public async Task AnEmptyDatabase_WithoutDemoData_Answers401NotAnEmptyViewOrA500()
    {
        await using var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now)) { Settings = new Dictionary<string, string> { ["Demo:Seed"] = "false" } };

        var sync = await app.CreateAnonymousClient().PostAsync("/api/partner-center/sync", null, TestContext.Current.CancellationToken);
        var customers = await app.CreateAnonymousClient().GetAsync("/api/customers", TestContext.Current.CancellationToken);

        Assert.Equal((System.Net.HttpStatusCode.Unauthorized, System.Net.HttpStatusCode.Unauthorized), (sync.StatusCode, customers.StatusCode));
        Assert.Contains("auth.required", await customers.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_AfterTheHostMigratesIt_IsInWriteAheadLogMode()
    {
        await using var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now)) { Settings = new Dictionary<string, string> { ["Demo:Seed"] = "false" } };
        _ = app.Services;

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    // Every section is read into typed options validated as the host starts: a wrong setting stops it, naming the setting,
    // instead of failing on the first request that needs it (or never).
    [Theory]
    [InlineData("Csp:CancellationWindowHours", "0", "CancellationWindowHours")]
    [InlineData("Csp:Rounding", "Bankers", "Csp:Rounding")]
    [InlineData("Csp:Est:EligibleTermsStartingFrom", "2027-01-01", "Csp:Est:EligibleTermsStartingFrom")]
    [InlineData("Entra:Scope", "access as user", "Scope")]
    [InlineData("Jobs:RenewalWatch:Cron", "every hour", "Jobs:RenewalWatch:Cron")]
    [InlineData("Jobs:CheckinSeconds", "0", "CheckinSeconds")]
    [InlineData("Requests:MaxBodyBytes", "0", "MaxBodyBytes")]
    [InlineData("Database:Provider", "Oracle", "Database:Provider")]
    [InlineData("PartnerCenter:BaseAddress", "not a url", "PartnerCenter:BaseAddress")]
    public async Task AWrongSetting_StopsTheHostFromStartingAndNamesIt(string setting, string value, string named)
    {
        await using var app = App(new CapturedLogs(), new() { [setting] = value, ["Demo:Seed"] = "false" });

        var failure = Record.Exception(() => app.Services);

        Assert.NotNull(failure);
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A host on this test's database whose logs are <paramref name="logs"/>.</summary>
    private CommerceApp App(CapturedLogs logs, Dictionary<string, string> settings, string? environment = null, string? simulatorUrl = null) =>
        new(database, new FakeTimeProvider(CommerceApp.Now))
        {
            Settings = settings,
            EnvironmentName = environment,
            SimulatorUrl = simulatorUrl,
            MoreServices = services => services.AddSingleton<ILoggerProvider>(logs),
        };

    private static Task<int> PartnersAsync(CommerceApp app) =>
        app.WithDbAsync(db => db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).CountAsync(TestContext.Current.CancellationToken));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await database.DisposeAsync();
}
