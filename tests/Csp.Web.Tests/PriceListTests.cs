using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Csp.Web.Tests;

/// <summary>Microsoft's price list over time on the demo (a list from April 2025, the next from April 2026): in force, and what changed; SQLite and PostgreSQL.</summary>
public abstract class PriceListTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await fixture.App.CreateClient().GetAsync(path, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    [Fact]
    public async Task Changes_AcrossTheAprilList_AreEveryPriceUpByTheListsIncrease()
    {
        var changes = await GetAsync("/api/price-lists/changes?from=2026-03&to=2026-04&market=GB&pageSize=1000");

        var items = changes.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, changes.GetProperty("totalCount").GetInt32());
        Assert.All(items, c =>
        {
            Assert.Equal(("up", "GB", "GBP"), (c.GetProperty("change").GetString(), c.GetProperty("market").GetString(), c.GetProperty("currency").GetString()));
            var (before, after) = (c.GetProperty("before").GetDecimal(), c.GetProperty("after").GetDecimal());
            Assert.Equal(after - before, c.GetProperty("amount").GetDecimal());
            Assert.Equal(Math.Round((after - before) / before * 100m, 2, MidpointRounding.AwayFromZero), c.GetProperty("percent").GetDecimal());
            Assert.InRange(c.GetProperty("percent").GetDecimal(), 5.0m, 5.5m);
        });
        Assert.Contains(items, c => c.GetProperty("skuTitle").GetString()!.Length > 0);
    }

    [Fact]
    public async Task Changes_IntoTheFirstList_AreNew_AndMonthsWithoutAChange_Nothing()
    {
        var first = await GetAsync("/api/price-lists/changes?from=2025-03&to=2025-04&currency=EUR");
        var none = await GetAsync("/api/price-lists/changes?from=2026-05&to=2026-11");

        Assert.All(first.GetProperty("items").EnumerateArray(), c => Assert.Equal((JsonValueKind.Null, "new"), (c.GetProperty("before").ValueKind, c.GetProperty("change").GetString())));
        Assert.True(first.GetProperty("totalCount").GetInt32() > 0);
        Assert.Equal(0, none.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task InForce_AMonth_IsTheListOfThatMonth()
    {
        var now = await GetAsync("/api/price-lists?month=2026-11&market=GB&pageSize=1000");
        var before = await GetAsync("/api/price-lists?month=2026-03&market=gb&productId=CFQ7TTC0LDPB");

        Assert.All(now.GetProperty("items").EnumerateArray(), p => Assert.Equal("2026-04-01", p.GetProperty("effectiveFrom").GetString()));
        Assert.All(before.GetProperty("items").EnumerateArray(), p => Assert.Equal(("2025-04-01", "2026-03-31", "CFQ7TTC0LDPB"), (p.GetProperty("effectiveFrom").GetString(), p.GetProperty("effectiveTo").GetString(), p.GetProperty("productId").GetString())));
        Assert.Contains(now.GetProperty("items").EnumerateArray(), p => p.GetProperty("erpPrice").GetDecimal() > p.GetProperty("unitPrice").GetDecimal());
    }

    [Theory]
    [InlineData("/api/price-lists/changes?from=2026-04&to=2026-03", "to")]
    [InlineData("/api/price-lists/changes?from=2026-04", "to")]
    [InlineData("/api/price-lists?market=GBR", "market")]
    [InlineData("/api/price-lists?currency=E1R", "currency")]
    public async Task BadQuery_Is400NamingTheParameter(string path, string parameter)
    {
        var response = await fixture.App.CreateClient().GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
    }
}

public sealed class SqlitePriceListTests(DemoFixture<SqliteDatabase> fixture) : PriceListTests<SqliteDatabase>(fixture);

public sealed class PostgresPriceListTests(DemoFixture<PostgresDatabase> fixture) : PriceListTests<PostgresDatabase>(fixture);
