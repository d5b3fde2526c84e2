using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>
/// Demo mode: the host runs the simulator in-process, seeded from the same demo data, and talks to it through the
/// client; on SQLite and on PostgreSQL.
/// </summary>
public abstract class DemoSimulatorTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    [Fact]
    public async Task DemoMode_TheSimulatorHoldsThePlatformsCustomersAndSubscriptions()
    {
        var client = App.Services.GetRequiredService<PartnerCenterClient>();
        var platform = await App.WithDbAsync(async db => (
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

    /// <summary>
    /// Last month as "Microsoft" invoiced it — the simulator, billing the demo's history — and as the platform expects it:
    /// every licence line matches, to the cent.
    /// </summary>
    [Fact]
    public async Task DemoMode_LastMonthsInvoicesMatchTheShadowInvoiceLineForLine()
    {
        var client = App.Services.GetRequiredService<PartnerCenterClient>();
        var billed = new List<ReconLine>();
        foreach (var invoice in (await client.ListInvoicesAsync(Cancel)).Where(i => i.BillingPeriodStartDate == new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)))
        {
            await foreach (var line in client.ListInvoiceLineItemsAsync(invoice.Id, 2000, Cancel))
            {
                billed.Add(line);
            }
        }

        var response = await App.CreateClient().GetAsync("/api/shadow-invoice?month=2026-10", Cancel);
        var expected = InvoiceReconFile.Read(new StringReader(await response.Content.ReadAsStringAsync(Cancel)), "shadow-invoice.csv").ToList();
        var licences = billed.Where(l => l.ProductName != "Azure plan").ToList();
        var result = ReconMatcher.Match(expected, licences);

        Assert.Equal("0", response.Headers.GetValues("X-Parked-Subscriptions").Single());
        Assert.Equal(319, expected.Count); // the demo's licence lines of October
        Assert.Empty(result.Differences);
        Assert.Equal(expected.Count, result.Matched);
        Assert.Contains(billed, l => l.ProductName == "Azure plan");
    }
}

public sealed class SqliteDemoSimulatorTests : DemoSimulatorTests<SqliteDatabase>;

public sealed class PostgresDemoSimulatorTests : DemoSimulatorTests<PostgresDatabase>;
