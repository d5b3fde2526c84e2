using System.Net;
using System.Net.Sockets;
using Csp.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>
/// The real host — migrations, demo seed, endpoints — on a test database, with a fake clock, acting as a
/// chosen partner (the demo distributor when none is given).
/// </summary>
public sealed class CommerceApp(TestDatabase database, FakeTimeProvider time, Guid? actingPartnerId = null) : WebApplicationFactory<Program>
{
    /// <summary>The instant every test app starts at: Thursday 26 November 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time => time;

    /// <summary>Where demo mode's in-process simulator listens; null (the default) runs no simulator.</summary>
    public string? SimulatorUrl { get; init; }

    /// <summary>The app in demo mode: the simulator in its process on a free loopback port, on the app's clock.</summary>
    public static async Task<CommerceApp> WithSimulatorAsync(TestDatabase database, FakeTimeProvider time, Guid? actingPartnerId = null)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var app = new CommerceApp(database, time, actingPartnerId) { SimulatorUrl = $"http://127.0.0.1:{port}" };
        await app.WithDbAsync(_ => Task.FromResult(0));
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", database.Provider);
        builder.UseSetting("ConnectionStrings:Commerce", database.ConnectionString);
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Demo:Simulator", SimulatorUrl is null ? "false" : "true");
        if (SimulatorUrl is not null)
        {
            builder.UseSetting("Demo:SimulatorUrl", SimulatorUrl);
            builder.UseSetting("Database:DataDirectory", Directory.CreateTempSubdirectory("csp-demo-simulator-").FullName);
        }

        if (actingPartnerId is { } partnerId)
        {
            builder.UseSetting("Csp:ActingPartnerId", partnerId.ToString());
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time));
    }

    /// <summary>Runs <paramref name="work"/> on a fresh context scoped to the root distributor, which sees every demo partner.</summary>
    public async Task<T> WithDbAsync<T>(Func<CommerceDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var partners = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new { p.Id, p.ParentPartnerId }).ToListAsync();
        if (partners.FirstOrDefault(p => p.ParentPartnerId is null) is { } root)
        {
            scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(root.Id, partners.Select(p => (p.Id, p.ParentPartnerId)));
        }

        return await work(db);
    }
}

/// <summary>One database and one demo host per test class; more hosts on the same database act as other partners.</summary>
public class DemoFixture<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    private readonly List<CommerceApp> apps = [];

    public TDatabase Database { get; } = new();

    public CommerceApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = Track(new CommerceApp(Database, new FakeTimeProvider(CommerceApp.Now)));
        await App.WithDbAsync(_ => Task.FromResult(0));
    }

    /// <summary>A second host on the same database whose caller is <paramref name="partnerId"/>.</summary>
    public CommerceApp ActingAs(Guid partnerId) => Track(new CommerceApp(Database, new FakeTimeProvider(CommerceApp.Now), partnerId));

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private CommerceApp Track(CommerceApp app)
    {
        apps.Add(app);
        return app;
    }
}
