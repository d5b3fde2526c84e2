using System.Diagnostics;
using System.Globalization;
using Csp.Bench;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using DuckDB.NET.Data;

// Daily rated usage ingest — our streaming reader and daily totals against DuckDB's read_csv + GROUP BY on the same
// file, alternately, in one process. Usage: dotnet run -c Release --project bench/Csp.Bench -- [--rows N] [--runs N] [--file PATH]
var rows = Argument("--rows", 1_000_000);
var runs = Argument("--runs", 5);
var path = ArgumentText("--file") ?? Path.Combine(Path.GetTempPath(), $"csp-bench-dru-{rows}.csv");

if (!File.Exists(path))
{
    var generating = Stopwatch.StartNew();
    DailyUsageGenerator.Write(path, rows);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {path} in {generating.Elapsed.TotalSeconds:0.0} s"));
}

WarmPageCache(path);
var size = new FileInfo(path).Length;
var ours = new List<double>();
var duck = new List<double>();
DailyUsageTotals? totals = null;
(long Groups, decimal Total) duckResult = default;
long oursPeak = 0;

for (var run = 0; run < runs; run++)
{
    var clock = Stopwatch.StartNew();
    using (var text = new StreamReader(path, new FileStreamOptions { BufferSize = 1 << 20 }))
    {
        totals = DailyRatedUsageFile.Total(text, Path.GetFileName(path));
    }

    ours.Add(clock.Elapsed.TotalSeconds);
    if (run == 0)
    {
        oursPeak = Process.GetCurrentProcess().PeakWorkingSet64;
    }

    clock.Restart();
    duckResult = DuckDb(path);
    duck.Add(clock.Elapsed.TotalSeconds);
}

var conserved = totals!.IsConserved;
var agree = duckResult.Groups == totals.Groups.Count && duckResult.Total == totals.RowTotal;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"daily rated usage: {totals.Rows:N0} rows, {size / 1e6:N1} MB, {totals.Groups.Count:N0} (customer, subscription, day) groups, total {totals.RowTotal}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  csp  (Sep, 1 thread)           median {Median(ours):0.000} s   runs {string.Join(" ", ours.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}   {totals.Rows / Median(ours) / 1e3:N0} k rows/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  DuckDB read_csv, threads=2      median {Median(duck):0.000} s   runs {string.Join(" ", duck.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  speed vs DuckDB: {Median(duck) / Median(ours):0.00}×   peak working set after our first run: {oursPeak / 1e6:N0} MB"));
Console.WriteLine($"  money conserved (Σ groups == Σ rows, exact): {conserved}; DuckDB agrees on groups and total: {agree}");
return conserved && agree ? 0 : 1;

static (long Groups, decimal Total) DuckDb(string path)
{
    using var connection = new DuckDBConnection("DataSource=:memory:");
    connection.Open();
    using var threads = connection.CreateCommand();
    threads.CommandText = "SET threads = 2";
    threads.ExecuteNonQuery();
    using var query = connection.CreateCommand();
    query.CommandText = $"""
        SELECT count(*), sum(total) FROM (
          SELECT CustomerId, SubscriptionId, UsageDate, sum(BillingPreTaxTotal) AS total, sum(Quantity) AS quantity
          FROM read_csv('{path.Replace("'", "''", StringComparison.Ordinal)}', header = true, dateformat = '%m/%d/%Y',
               types = {"{"}'UsageDate': 'DATE', 'Quantity': 'DECIMAL(18,6)', 'BillingPreTaxTotal': 'DECIMAL(18,6)'{"}"})
          GROUP BY ALL)
        """;
    using var reader = query.ExecuteReader();
    reader.Read();
    return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToDecimal(reader.GetValue(1), CultureInfo.InvariantCulture));
}

static void WarmPageCache(string path)
{
    using var file = File.OpenRead(path);
    var buffer = new byte[1 << 20];
    while (file.Read(buffer, 0, buffer.Length) > 0)
    {
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

int Argument(string name, int fallback) =>
    ArgumentText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? ArgumentText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
