using Csp.PartnerCenter.Api;
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
        await using var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now))
        {
            Settings = new Dictionary<string, string> { ["Demo:Simulator"] = "true", ["PartnerCenter:BaseAddress"] = "https://partner-center.example/" },
            MoreServices = services => services.AddSingleton<ILoggerProvider>(logs),
        };

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
        await using var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now))
        {
            SimulatorUrl = "http://127.0.0.1:0",
            MoreServices = services => services.AddSingleton<ILoggerProvider>(logs),
        };

        var used = app.Services.GetRequiredService<IOptions<PartnerCenterOptions>>().Value.BaseAddress;

        Assert.Equal(new Uri("http://127.0.0.1:0"), used);
        Assert.Contains(logs.Messages, m => m.StartsWith("Partner Center: http://127.0.0.1:0", StringComparison.Ordinal) && m.Contains("simulator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActingPartner_ThatIsNoPartner_StopsTheHostFromStartingAndSaysWhy()
    {
        await using var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now), Guid.NewGuid());

        var failure = Record.Exception(() => app.Services);

        Assert.NotNull(failure);
        Assert.Contains("Csp:ActingPartnerId", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyDatabase_WithoutDemoData_Answers403NotAnEmptyViewOrA500()
    {
        await using var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now)) { Settings = new Dictionary<string, string> { ["Demo:Seed"] = "false" } };

        var sync = await app.CreateClient().PostAsync("/api/partner-center/sync", null, TestContext.Current.CancellationToken);
        var customers = await app.CreateClient().GetAsync("/api/customers", TestContext.Current.CancellationToken);

        Assert.Equal((System.Net.HttpStatusCode.Forbidden, System.Net.HttpStatusCode.Forbidden), (sync.StatusCode, customers.StatusCode));
        Assert.Contains("partner.none", await customers.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await database.DisposeAsync();
}
