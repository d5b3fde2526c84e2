using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>
/// Demo mode: the host runs the simulator in-process, seeded from the same demo data, and talks to it through the
/// client; on SQLite and on PostgreSQL.
/// </summary>
public abstract class DemoSimulatorTests<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    private readonly TDatabase database = new();
    private CommerceApp app = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => app = await CommerceApp.WithSimulatorAsync(database, new FakeTimeProvider(CommerceApp.Now));

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task DemoMode_TheSimulatorHoldsThePlatformsCustomersAndSubscriptions()
    {
        var client = app.Services.GetRequiredService<PartnerCenterClient>();
        var platform = await app.WithDbAsync(async db => (
            Customers: (await db.Customers.Select(c => c.CustomerTenantId).ToListAsync(Cancel)).Select(id => id.ToString()).ToList(),
            Subscriptions: (await db.Subscriptions.Join(db.Customers, s => s.CustomerId, c => c.Id, (s, c) => new { c.CustomerTenantId, s.MicrosoftSubscriptionId, s.Quantity }).ToListAsync(Cancel))
                .Select(s => (Customer: s.CustomerTenantId.ToString(), Id: s.MicrosoftSubscriptionId.ToString(), s.Quantity)).ToList()));

        var customers = new List<string>();
        await foreach (var customer in client.ListCustomersAsync(25, Cancel))
        {
            customers.Add(customer.Id!);
        }

        var first = platform.Subscriptions.GroupBy(s => s.Customer).OrderByDescending(g => g.Count()).First();
        var simulated = await client.ListSubscriptionsAsync(first.Key, Cancel);

        Assert.Equal(60, customers.Count);
        Assert.Equal(platform.Customers.Order(), customers.Order());
        Assert.Equal(first.Select(s => (s.Id, s.Quantity)).Order(), simulated.Select(s => (s.Id, s.Quantity)).Order());
    }
}

public sealed class SqliteDemoSimulatorTests : DemoSimulatorTests<SqliteDatabase>;

public sealed class PostgresDemoSimulatorTests : DemoSimulatorTests<PostgresDatabase>;
