using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Csp.Data;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>Daily rated usage imports over HTTP, stored in bulk, on SQLite and on PostgreSQL.</summary>
public abstract class UsageApiTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Guid Customer = Guid.Parse("f3d6b8a0-1c2e-4b7a-9d3f-5e6a7b8c9d0e");
    private static readonly Guid[] Subscriptions = [Guid.Parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), Guid.Parse("1b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d5e")];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected DemoFixture<TDatabase> Fixture => fixture;

    /// <summary>A usage file of <paramref name="days"/> days, two subscriptions, three meters each, amounts to the millionth.</summary>
    private static string UsageFile(int days, string? replace = null)
    {
        var lines = new List<string> { string.Join(',', DailyRatedUsageFile.Columns) };
        for (var day = 1; day <= days; day++)
        {
            foreach (var subscription in Subscriptions)
            {
                for (var meter = 1; meter <= 3; meter++)
                {
                    var values = DailyRatedUsageFile.Columns.Select(c => c switch
                    {
                        "CustomerId" => Customer.ToString(),
                        "SubscriptionId" => subscription.ToString(),
                        "UsageDate" => $"03/{day:00}/2026",
                        "Quantity" => (meter * 1.5m).ToString(CultureInfo.InvariantCulture),
                        "BillingPreTaxTotal" => (day * 0.000001m + meter).ToString(CultureInfo.InvariantCulture),
                        "Tags" => "\"{\"\"env\"\":\"\"prod\"\"}\"",
                        _ => "",
                    });
                    lines.Add(string.Join(',', values));
                }
            }
        }

        var text = string.Join('\n', lines);
        return replace is null ? text : text.Replace("03/02/2026", replace, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ImportAsync(string file, HttpClient? client = null)
    {
        var response = await (client ?? fixture.App.CreateClient()).PostAsync("/api/usage-imports?fileName=march.csv", new StringContent(file, Encoding.UTF8, "text/csv"), Cancel);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Json, Cancel));
    }

    [Fact]
    public async Task Import_AUsageFile_StoresOneTotalPerSubscriptionAndDayAddingUpToTheFile()
    {
        var (status, body) = await ImportAsync(UsageFile(days: 5));
        var id = body.GetProperty("id").GetGuid();

        var stored = await fixture.App.WithDbAsync(db => db.DailyUsageTotals
            .Where(t => t.UsageImportId == id)
            .Join(db.UsageImportSubscriptions, t => new { t.UsageImportId, Number = t.SubscriptionNumber }, s => new { s.UsageImportId, s.Number }, (t, s) => new { s.CustomerTenantId, s.SubscriptionId, t.UsageDate, t.Quantity, t.BillingPreTaxTotal, t.Rows })
            .ToListAsync(Cancel));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal((30L, 10), (body.GetProperty("rows").GetInt64(), body.GetProperty("days").GetInt32()));
        Assert.Equal(10, stored.Count);
        Assert.Equal(body.GetProperty("billingPreTaxTotal").GetDecimal(), stored.Sum(t => t.BillingPreTaxTotal));
        Assert.Equal(60.00009m, stored.Sum(t => t.BillingPreTaxTotal));
        var first = stored.Single(t => t.SubscriptionId == Subscriptions[0] && t.UsageDate == new DateOnly(2026, 3, 1));
        Assert.Equal((Customer, 9m, 6.000003m, 3), (first.CustomerTenantId, first.Quantity, first.BillingPreTaxTotal, first.Rows));
    }

    // 62 totals: one whole statement of 32 rows on SQLite and one of the 30 left.
    [Fact]
    public async Task Import_MoreTotalsThanOneStatementHolds_StoresEachOnceWithItsOwnSums()
    {
        var (status, body) = await ImportAsync(UsageFile(days: 31));
        var id = body.GetProperty("id").GetGuid();

        var stored = await fixture.App.WithDbAsync(db => db.DailyUsageTotals
            .Where(t => t.UsageImportId == id)
            .Join(db.UsageImportSubscriptions, t => new { t.UsageImportId, Number = t.SubscriptionNumber }, s => new { s.UsageImportId, s.Number }, (t, s) => new { s.SubscriptionId, s.Number, t.UsageDate, t.BillingPreTaxTotal, t.Rows })
            .ToListAsync(Cancel));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(62, stored.Count);
        Assert.All(stored, t => Assert.Equal((6m + (t.UsageDate.Day * 0.000003m), 3), (t.BillingPreTaxTotal, t.Rows)));
        Assert.Equal(Subscriptions.SelectMany(s => Enumerable.Range(1, 31).Select(d => (s, new DateOnly(2026, 3, d)))).Order(), stored.Select(t => (t.SubscriptionId, t.UsageDate)).Order());
        Assert.Equal(Subscriptions.Order().Select((s, i) => (s, i + 1)), stored.Select(t => (t.SubscriptionId, t.Number)).Distinct().Order());
    }

    [Fact]
    public async Task Import_TheSameFileTwice_IsOneImport()
    {
        var file = UsageFile(days: 3);

        var first = await ImportAsync(file);
        var again = await ImportAsync(file);
        var id = first.Body.GetProperty("id").GetGuid();
        var count = await fixture.App.WithDbAsync(db => db.DailyUsageTotals.CountAsync(t => t.UsageImportId == id, Cancel));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.Status, again.Status));
        Assert.Equal(id, again.Body.GetProperty("id").GetGuid());
        Assert.Equal(6, count);
    }

    [Fact]
    public async Task Import_ABadDate_Is400NamingLineAndColumnAndStoresNothing()
    {
        var before = await fixture.App.WithDbAsync(db => db.UsageImports.CountAsync(Cancel));

        var (status, body) = await ImportAsync(UsageFile(days: 4, replace: "31/02/2026"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("file.invalid", "UsageDate", 8), (body.GetProperty("code").GetString(), body.GetProperty("column").GetString(), body.GetProperty("line").GetInt32()));
        Assert.Equal(before, await fixture.App.WithDbAsync(db => db.UsageImports.CountAsync(Cancel)));
    }

    [Fact]
    public async Task OtherReseller_GetsNotFoundForTheDistributorsImport()
    {
        var (_, body) = await ImportAsync(UsageFile(days: 2));
        var reseller = await fixture.App.WithDbAsync(db => Task.FromResult(db.Partners.First(p => p.ParentPartnerId != null).Id));

        var response = await fixture.ActingAs(reseller).CreateClient().GetAsync($"/api/usage-imports/{body.GetProperty("id").GetGuid()}", Cancel);
        var own = await fixture.App.CreateClient().GetAsync($"/api/usage-imports/{body.GetProperty("id").GetGuid()}", Cancel);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (response.StatusCode, own.StatusCode));
    }

    [Fact]
    public async Task Import_StoredRows_AreSeenByTheImportsPartnerOnly()
    {
        var (_, body) = await ImportAsync(UsageFile(days: 4));
        var id = body.GetProperty("id").GetGuid();

        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var partners = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ToListAsync(Cancel);
        var reseller = partners.First(p => p.ParentPartnerId != null);
        var all = (
            await db.DailyUsageTotals.IgnoreQueryFilters([CommerceDb.PartnerFilter]).CountAsync(t => t.UsageImportId == id, Cancel),
            await db.UsageImportSubscriptions.IgnoreQueryFilters([CommerceDb.PartnerFilter]).CountAsync(s => s.UsageImportId == id, Cancel));
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(reseller.Id, partners.Select(p => (p.Id, p.ParentPartnerId)));
        var seen = (
            await db.DailyUsageTotals.CountAsync(t => t.UsageImportId == id, Cancel),
            await db.UsageImportSubscriptions.CountAsync(s => s.UsageImportId == id, Cancel));

        Assert.Equal((8, 2), all);
        Assert.Equal((0, 0), seen);
    }

    [Fact]
    public async Task Import_RecordsTheFilesFirstAndLastUsageDay()
    {
        var (_, body) = await ImportAsync(UsageFile(days: 6));
        var id = body.GetProperty("id").GetGuid();

        var import = await fixture.App.WithDbAsync(db => db.UsageImports.SingleAsync(i => i.Id == id, Cancel));

        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 6)), (import.FirstUsageDate, import.LastUsageDate));
    }
}

public sealed class SqliteUsageApiTests(DemoFixture<SqliteDatabase> fixture) : UsageApiTests<SqliteDatabase>(fixture)
{
    /// <summary>EF Core cannot say WITHOUT ROWID: a later migration that rebuilt the table would lose it without a word.</summary>
    [Fact]
    public async Task DailyUsageTotals_OnSqlite_IsATableWithoutRowid()
    {
        var sql = await Fixture.App.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT sql AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'DailyUsageTotals'").SingleAsync(TestContext.Current.CancellationToken));

        Assert.EndsWith("WITHOUT ROWID", sql.TrimEnd(), StringComparison.Ordinal);
    }
}

public sealed class PostgresUsageApiTests(DemoFixture<PostgresDatabase> fixture) : UsageApiTests<PostgresDatabase>(fixture);
