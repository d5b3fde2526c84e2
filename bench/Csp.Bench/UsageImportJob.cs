using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.Data;
using DuckDB.NET.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Bench;

/// <summary>
/// The usage import as a user runs it: Microsoft's daily rated usage file uploaded to <c>POST /api/usage-imports</c> of the
/// real host, on Kestrel over loopback HTTP, until its daily totals are stored (201) — against DuckDB doing the same job:
/// read the file, sum per customer, subscription and day, check the sums add up to the file exactly, and store them in a
/// persistent database with the same tables and keys. Alternately in one process, median of the runs, on SQLite or on
/// PostgreSQL (a database of its own, created and dropped). The first rounds warm up, both sides alike, and are shown but
/// not counted: the host compiles its code in tiers as it runs, and until the hot paths are compiled the processor time
/// goes to the compiler, which a long-running host pays once, not at every import.
/// </summary>
public static class UsageImportJob
{
    public static async Task<bool> RunAsync(string path, int runs, int warmups, string? postgres)
    {
        await using var host = await BenchHost.StartAsync(postgres, pooledSqlite: false);
        var (client, store, directory) = (host.Client, host.Store, host.Directory);
        var size = new FileInfo(path).Length;
        var ours = new List<double>();
        var duck = new List<double>();
        var (oursWarming, duckWarming) = (new List<double>(), new List<double>());
        (long Rows, int Days, decimal Total) stored = default;
        (long Groups, decimal Total, bool Conserved) duckResult = default;
        var agree = true;
        for (var run = -warmups; run < runs; run++)
        {
            await ForgetImportsAsync(host.Services);
            Measure.WarmPageCache(path);
            var clock = Stopwatch.StartNew();
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            {
                using var content = new StreamContent(file, 1 << 20);
                content.Headers.ContentType = new("text/csv");
                using var response = await client.PostAsync($"api/usage-imports?fileName={Path.GetFileName(path)}", content);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                var import = await response.Content.ReadFromJsonAsync<JsonElement>();
                stored = (import.GetProperty("rows").GetInt64(), import.GetProperty("days").GetInt32(), import.GetProperty("billingPreTaxTotal").GetDecimal());
            }

            (run < 0 ? oursWarming : ours).Add(clock.Elapsed.TotalSeconds);
            agree &= await StoredAsync(host.Services) == (stored.Days, stored.Total);

            Measure.WarmPageCache(path);
            var duckFile = Path.Combine(directory, $"duck-{run + warmups}.duckdb");
            clock.Restart();
            duckResult = DuckDbJob(path, duckFile);
            (run < 0 ? duckWarming : duck).Add(clock.Elapsed.TotalSeconds);
            File.Delete(duckFile);
        }

        agree &= duckResult.Conserved && duckResult.Groups == stored.Days && duckResult.Total == stored.Total;
        var median = Measure.Median(ours);
        var perMillion = median / stored.Rows * 1_000_000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage import through the API into {store}: {stored.Rows:N0} rows, {size / 1e6:N1} MB → {stored.Days:N0} daily totals, total {stored.Total}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  csp  POST /api/usage-imports, upload to stored totals   median {median:0.000} s   runs {string.Join(" ", ours.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}   {perMillion:0.00} s per million rows"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  DuckDB read_csv + GROUP BY + check + INSERT (same tables and keys), threads=2   median {Measure.Median(duck):0.000} s   runs {string.Join(" ", duck.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm-up rounds, not counted: csp {string.Join(" ", oursWarming.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}   DuckDB {string.Join(" ", duckWarming.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  speed vs DuckDB: {Measure.Median(duck) / median:0.00}×   targets: ≤ 5 s per million rows {(perMillion <= 5 ? "met" : "NOT met")}, at least DuckDB's speed {(median <= Measure.Median(duck) ? "met" : "NOT met")}"));
        Console.WriteLine($"  stored totals add up to the file, and DuckDB agrees on groups and total: {agree}");
        return agree;
    }

    /// <summary>Removes the earlier run's import, so that the same file is a new one (not timed).</summary>
    private static async Task ForgetImportsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        await db.DailyUsageTotals.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ExecuteDeleteAsync();
        await db.UsageImportSubscriptions.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ExecuteDeleteAsync();
        await db.UsageImports.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ExecuteDeleteAsync();
    }

    /// <summary>The daily totals stored, read back: how many, and their sum.</summary>
    private static async Task<(int Days, decimal Total)> StoredAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var totals = await db.DailyUsageTotals.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(t => t.BillingPreTaxTotal).ToListAsync();
        return (totals.Count, totals.Sum());
    }

    /// <summary>
    /// DuckDB's whole job: one pass over the file giving each (customer, subscription, day) sum and, as a grouping set of
    /// its own, the file's total; stored as the platform stores them, in a new database file: the customers and
    /// subscriptions numbered, the totals keyed by number and day; the stored sums checked against the file's total.
    /// </summary>
    private static (long Groups, decimal Total, bool Conserved) DuckDbJob(string path, string database)
    {
        using var connection = new DuckDBConnection($"DataSource={database}");
        connection.Open();
        Execute(connection, "SET threads = 2");
        Execute(connection, """
            CREATE TABLE usage_import_subscriptions (
              usage_import_id UUID, number INTEGER, partner_id UUID, customer_tenant_id UUID, subscription_id UUID,
              PRIMARY KEY (usage_import_id, number));
            CREATE TABLE daily_usage_totals (
              usage_import_id UUID, subscription_number INTEGER, usage_date DATE,
              quantity DECIMAL(19,6), billing_pre_tax_total DECIMAL(19,6), rows INTEGER,
              PRIMARY KEY (usage_import_id, subscription_number, usage_date));
            """);
        Execute(connection, $"""
            CREATE TEMP TABLE sums AS
            SELECT CustomerId, SubscriptionId, UsageDate, sum(Quantity) AS quantity, sum(BillingPreTaxTotal) AS total, count(*) AS n, grouping(CustomerId) AS whole_file
            FROM read_csv('{path.Replace("'", "''", StringComparison.Ordinal)}', header = true, dateformat = '%m/%d/%Y',
                 types = {"{"}'CustomerId': 'UUID', 'SubscriptionId': 'UUID', 'UsageDate': 'DATE', 'Quantity': 'DECIMAL(18,6)', 'BillingPreTaxTotal': 'DECIMAL(18,6)'{"}"})
            GROUP BY GROUPING SETS ((CustomerId, SubscriptionId, UsageDate), ())
            """);
        var (import, partner) = (Guid.NewGuid(), Guid.NewGuid());
        Execute(connection, $"""
            BEGIN;
            CREATE TEMP TABLE numbered AS
            SELECT CustomerId, SubscriptionId, row_number() OVER (ORDER BY CustomerId, SubscriptionId) AS number
            FROM (SELECT DISTINCT CustomerId, SubscriptionId FROM sums WHERE whole_file = 0);
            INSERT INTO usage_import_subscriptions SELECT '{import}', number, '{partner}', CustomerId, SubscriptionId FROM numbered;
            INSERT INTO daily_usage_totals
            SELECT '{import}', n.number, s.UsageDate, s.quantity, s.total, s.n
            FROM sums s JOIN numbered n ON n.CustomerId = s.CustomerId AND n.SubscriptionId = s.SubscriptionId
            WHERE s.whole_file = 0;
            COMMIT;
            """);
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT (SELECT count(*) FROM daily_usage_totals), (SELECT sum(billing_pre_tax_total) FROM daily_usage_totals), (SELECT total FROM sums WHERE whole_file = 1)";
        using var reader = check.ExecuteReader();
        reader.Read();
        var (groups, stored, file) = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToDecimal(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToDecimal(reader.GetValue(2), CultureInfo.InvariantCulture));
        return (groups, stored, stored == file);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
