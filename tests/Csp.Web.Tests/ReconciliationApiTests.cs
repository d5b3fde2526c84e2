using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>The shadow invoice and reconciliation endpoints over HTTP, on the demo data, on SQLite and on PostgreSQL.</summary>
public abstract class ReconciliationApiTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<string[]> ShadowInvoiceAsync()
    {
        var response = await fixture.App.CreateClient().GetAsync("/api/shadow-invoice?month=2026-11", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("X-Parked-Subscriptions")));
        return (await response.Content.ReadAsStringAsync(Cancel)).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
    }

    private async Task<(HttpStatusCode Status, Reconciliation? Body, JsonElement Raw)> UploadAsync(IEnumerable<string> lines, HttpClient? client = null)
    {
        var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "text/csv");
        var response = await (client ?? fixture.App.CreateClient()).PostAsync("/api/reconciliations?fileName=november.csv", content, Cancel);
        var raw = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Cancel);
        return (response.StatusCode, response.IsSuccessStatusCode ? raw.Deserialize<Reconciliation>(Json) : null, raw);
    }

    [Fact]
    public async Task ShadowInvoice_November_IsMicrosoftsFileWithTheMonthsCharges()
    {
        var lines = await ShadowInvoiceAsync();

        Assert.Equal(string.Join(',', InvoiceReconFile.Columns), lines[0]);
        Assert.True(lines.Length > 100, $"{lines.Length} lines");
        var parsed = InvoiceReconFile.Read(new StringReader(string.Join('\n', lines)), "shadow.csv").ToList();
        Assert.All(parsed, l => Assert.Equal(11, l.OrderDate.Month));
        Assert.Contains(parsed, l => l.ChargeType == "renew");
        Assert.Contains(parsed, l => l.ChargeType == "cycleCharge");
    }

    [Fact]
    public async Task ShadowInvoice_WithoutAMonth_Is400NamingIt()
    {
        var response = await fixture.App.CreateClient().GetAsync("/api/shadow-invoice", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("month", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_TheShadowInvoiceItself_IsZeroDiscrepancyAndImportedOnce()
    {
        var lines = await ShadowInvoiceAsync();

        var first = await UploadAsync(lines);
        var again = await UploadAsync(lines);
        var stored = await fixture.App.CreateClient().GetFromJsonAsync<Reconciliation>($"/api/reconciliations/{first.Body!.Id}", Json, Cancel);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.Status, again.Status));
        Assert.Equal(first.Body.Id, again.Body!.Id);
        Assert.Equal((lines.Length - 1, lines.Length - 1, lines.Length - 1, true), (first.Body.BilledLines, first.Body.ExpectedLines, first.Body.Matched, first.Body.IsZeroDiscrepancy));
        Assert.Equal("2026-11", stored!.Month);
        Assert.Empty(stored.Differences);
    }

    [Fact]
    public async Task Upload_AChangedQuantityAndAMissingLine_StoresExactlyThoseDifferences()
    {
        var lines = (await ShadowInvoiceAsync()).ToList();
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        row[Array.IndexOf(header, "BillableQuantity")] = (int.Parse(row[Array.IndexOf(header, "BillableQuantity")], System.Globalization.CultureInfo.InvariantCulture) + 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
        lines[1] = string.Join(',', row);
        lines.RemoveAt(2);

        var (status, body, _) = await UploadAsync(lines);
        var client = fixture.App.CreateClient();
        var quantity = await client.GetFromJsonAsync<Paged<Difference>>($"/api/reconciliations/{body!.Id}/lines?kind=quantity", Json, Cancel);
        var all = await client.GetFromJsonAsync<Paged<Difference>>($"/api/reconciliations/{body.Id}/lines", Json, Cancel);
        var csv = await client.GetStringAsync($"/api/reconciliations/{body.Id}/lines.csv", Cancel);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.False(body.IsZeroDiscrepancy);
        Assert.Equal(new Dictionary<string, int> { ["missing"] = 1, ["quantity"] = 1 }, body.Differences);
        Assert.Equal(2L, Assert.Single(quantity!.Items).FileLine);
        Assert.Equal(2, all!.TotalCount);
        Assert.Equal(3, csv.TrimEnd().Split('\n').Length);
        Assert.Contains("quantity,2,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ABadValue_Is400NamingLineAndColumnAndKeepsNothing()
    {
        var lines = (await ShadowInvoiceAsync()).ToList();
        var header = lines[0].Split(',');
        var row = lines[3].Split(',');
        row[Array.IndexOf(header, "ChargeEndDate")] = "31/12/2026";
        lines[3] = string.Join(',', row);

        var (status, _, raw) = await UploadAsync(lines);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("file.invalid", raw.GetProperty("code").GetString());
        Assert.Equal((4, "ChargeEndDate", "31/12/2026"), (raw.GetProperty("line").GetInt32(), raw.GetProperty("column").GetString(), raw.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task OtherReseller_GetsNotFoundForTheDistributorsReconciliation()
    {
        var lines = (await ShadowInvoiceAsync()).ToList();
        lines.RemoveAt(lines.Count - 1);
        var (_, body, _) = await UploadAsync(lines);
        var reseller = await fixture.App.WithDbAsync(db => Task.FromResult(db.Partners.First(p => p.ParentPartnerId != null).Id));
        var client = fixture.ActingAs(reseller).CreateClient();

        foreach (var path in new[] { $"/api/reconciliations/{body!.Id}", $"/api/reconciliations/{body.Id}/lines", $"/api/reconciliations/{body.Id}/lines.csv" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path, Cancel)).StatusCode);
        }
    }

    // October's Azure plans: one billed to the cent in two meter lines, one billed 40 euros too much, one never billed.
    // The usage of the first came in twice, unbilled then billed: each day counts once, from the file imported last.
    [Fact]
    public async Task Upload_AzurePlanLines_AreMatchedToTheImportedUsageOfTheirSubscription()
    {
        var october = new DateOnly(2026, 10, 1);
        var plans = await fixture.App.WithDbAsync(db => db.Subscriptions.Where(s => s.Term == null)
            .Join(db.Customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.MicrosoftSubscriptionId, c.CustomerTenantId, s.Currency })
            .OrderBy(p => p.MicrosoftSubscriptionId).Take(3).ToListAsync(Cancel));
        DailyRatedUsageLine Used(int plan, int day, decimal total) => new(
            Guid.Empty, plans[plan].CustomerTenantId, "Customer", plans[plan].MicrosoftSubscriptionId, october.AddDays(day - 1), Guid.Parse("9e2a4c1b-7d3f-4e5a-8b6c-1d2e3f4a5b6c"),
            "Virtual Machines", "1 Hour", 0.5m, 0.5m, 2m * total, total, plans[plan].Currency, new Dictionary<string, string>());
        var unbilled = Enumerable.Range(1, 10).Select(d => Used(0, d, 9.99m));
        var billed = Enumerable.Range(1, 31).SelectMany(d => new[] { Used(0, d, 1.25m), Used(1, d, 2m), Used(2, d, 0.5m) });
        foreach (var usage in new[] { unbilled, billed })
        {
            fixture.App.Time.Advance(TimeSpan.FromMinutes(1));
            var text = new StringWriter();
            DailyRatedUsageFile.Write(usage, text);
            var imported = await fixture.App.CreateClient().PostAsync("/api/usage-imports", new StringContent(text.ToString(), Encoding.UTF8, "text/csv"), Cancel);
            Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        }

        var shadow = (await fixture.App.CreateClient().GetStringAsync("/api/shadow-invoice?month=2026-10", Cancel)).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        string Meter(int plan, decimal quantity, decimal subtotal) => string.Join(',', InvoiceReconFile.Columns.Select(c => c switch
        {
            "CustomerId" => plans[plan].CustomerTenantId.ToString(),
            "SubscriptionId" => plans[plan].MicrosoftSubscriptionId.ToString(),
            "SubscriptionDescription" => "Azure plan",
            "OrderDate" or "ChargeStartDate" => "10/1/2026",
            "ChargeEndDate" => "10/31/2026",
            "ChargeType" => "new",
            "UnitPrice" or "EffectiveUnitPrice" => "0.5",
            "Quantity" or "BillableQuantity" => quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Subtotal" or "Total" => subtotal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Currency" => plans[plan].Currency,
            _ => "",
        }));
        var file = shadow.Concat([Meter(0, 50m, 25m), Meter(0, 27.5m, 13.75m), Meter(1, 124m, 102m)]);

        var response = await fixture.App.CreateClient().PostAsync("/api/reconciliations?month=2026-10", new StringContent(string.Join('\n', file), Encoding.UTF8, "text/csv"), Cancel);
        var body = await response.Content.ReadFromJsonAsync<Reconciliation>(Json, Cancel);
        var lines = await fixture.App.CreateClient().GetFromJsonAsync<Paged<Difference>>($"/api/reconciliations/{body!.Id}/lines", Json, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(new Dictionary<string, int> { ["missing"] = 1, ["unitPrice"] = 1 }, body.Differences);
        Assert.Equal((shadow.Length - 1 + 3, shadow.Length - 1 + 3, shadow.Length - 1 + 2), (body.BilledLines, body.ExpectedLines, body.Matched));
        Assert.Equal(
            [("missing", plans[2].MicrosoftSubscriptionId.ToString(), "usage"), ("unitPrice", plans[1].MicrosoftSubscriptionId.ToString(), "new")],
            lines!.Items.Select(d => (d.Kind, d.SubscriptionId, d.ChargeType)).OrderBy(d => d.Kind));
    }

    public sealed record Reconciliation(Guid Id, string FileName, string Month, int BilledLines, int ExpectedLines, int Matched, bool IsZeroDiscrepancy, Dictionary<string, int> Differences);

    public sealed record Difference(string Kind, long? FileLine, string SubscriptionId, string ChargeType);

    public sealed record Paged<T>(List<T> Items, int Page, int PageSize, int TotalCount);
}

public sealed class SqliteReconciliationApiTests(DemoFixture<SqliteDatabase> fixture) : ReconciliationApiTests<SqliteDatabase>(fixture);

public sealed class PostgresReconciliationApiTests(DemoFixture<PostgresDatabase> fixture) : ReconciliationApiTests<PostgresDatabase>(fixture);
