using System.Diagnostics;
using System.Globalization;
using Csp.Bench;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using DuckDB.NET.Data;
using static Csp.Bench.Measure;

// The benchmarks; the first four against DuckDB on the same data, alternately in one process, median of the runs:
//   usage: daily rated usage ingest — our streaming reader and daily totals vs read_csv + GROUP BY;
//   recon: an invoice reconciliation file matched against its shadow invoice — ours vs read_csv + FULL OUTER JOIN;
//   store: a month of usage stored in the database in bulk and reconciled (SQLite, or PostgreSQL with --postgres);
//   import: the whole usage import through the host's API, upload to stored totals, vs DuckDB doing the same job and
//           storing in the same tables with the same keys (SQLite, and PostgreSQL too with --postgres), after --warmup
//           rounds of both (2 unless told) that are shown but not counted;
//   billing: a month's billing run through the host's API for --customers customers of 8 subscriptions each (50,000 unless
//           told), again (adding nothing), and one customer's invoice preview --previews times (SQLite, and PostgreSQL
//           with --postgres; PostgreSQL only, each in a process of its own, with --postgres-only as well).
// Usage: dotnet run -c Release --project bench/Csp.Bench -- [--only usage|recon|store|import|billing|portal] [--rows N] [--runs N] [--warmup N] [--file PATH] [--postgres CONNECTION [--postgres-only]] [--customers N] [--previews N] [--renders N]
var rows = Argument("--rows", 1_000_000);
var runs = Argument("--runs", 5);
var only = ArgumentText("--only");
var ok = true;
if (only is null or "usage")
{
    ok &= Usage(ArgumentText("--file") ?? Path.Combine(Path.GetTempPath(), $"csp-bench-dru-{rows}.csv"));
}

if (only is null or "recon")
{
    ok &= await ReconAsync();
}

if (only is null or "store")
{
    var usage = ArgumentText("--file") ?? Path.Combine(Path.GetTempPath(), $"csp-bench-dru-{rows}.csv");
    if (!File.Exists(usage))
    {
        DailyUsageGenerator.Write(usage, rows);
    }

    ok &= await UsageMonth.RunAsync(usage, ArgumentText("--postgres"));
}

if (only is null or "import")
{
    var usage = ArgumentText("--file") ?? Path.Combine(Path.GetTempPath(), $"csp-bench-dru-{rows}.csv");
    if (!File.Exists(usage))
    {
        DailyUsageGenerator.Write(usage, rows);
    }

    ok &= await UsageImportJob.RunAsync(usage, runs, Argument("--warmup", 2), null);
    if (ArgumentText("--postgres") is { } postgres)
    {
        ok &= await UsageImportJob.RunAsync(usage, runs, Argument("--warmup", 2), postgres);
    }
}

if (only is null or "billing")
{
    if (!args.Contains("--postgres-only"))
    {
        ok &= await BillingRunJob.RunAsync(Argument("--customers", 50_000), Argument("--previews", 200), null);
    }

    if (ArgumentText("--postgres") is { } postgres)
    {
        ok &= await BillingRunJob.RunAsync(Argument("--customers", 50_000), Argument("--previews", 200), postgres);
    }
}

if (only is null or "portal")
{
    if (!args.Contains("--postgres-only"))
    {
        ok &= await PortalPagesJob.RunAsync(Argument("--customers", 50_000), Argument("--renders", 20), null);
    }

    if (ArgumentText("--postgres") is { } postgres)
    {
        ok &= await PortalPagesJob.RunAsync(Argument("--customers", 50_000), Argument("--renders", 20), postgres);
    }
}

return ok ? 0 : 1;

bool Usage(string path)
{

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
    var agree = duckResult.Groups == totals.Count && duckResult.Total == totals.RowTotal;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"daily rated usage: {totals.Rows:N0} rows, {size / 1e6:N1} MB, {totals.Count:N0} (customer, subscription, day) groups, total {totals.RowTotal}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  csp  (Sep, 1 thread)           median {Median(ours):0.000} s   runs {string.Join(" ", ours.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}   {totals.Rows / Median(ours) / 1e3:N0} k rows/s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  DuckDB read_csv, threads=2      median {Median(duck):0.000} s   runs {string.Join(" ", duck.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  speed vs DuckDB: {Median(duck) / Median(ours):0.00}×   peak working set after our first run: {oursPeak / 1e6:N0} MB"));
    Console.WriteLine($"  money conserved (Σ groups == Σ rows, exact): {conserved}; DuckDB agrees on groups and total: {agree}");
    return conserved && agree;
}

async Task<bool> ReconAsync()
{
    var expected = InvoiceReconGenerator.Expected(rows);
    var directory = Directory.CreateTempSubdirectory("csp-bench-recon-");
    var expectedPath = Path.Combine(directory.FullName, "expected.csv");
    var billedPath = Path.Combine(directory.FullName, "billed.csv");
    using (var file = new StreamWriter(expectedPath))
    {
        InvoiceReconFile.Write(expected, file);
    }

    var (billedCount, injected) = WriteBilled(expected, billedPath);
    WarmPageCache(billedPath);
    using var connection = new DuckDBConnection("DataSource=:memory:");
    connection.Open();
    Execute(connection, "SET threads = 2");
    Execute(connection, $"CREATE TABLE expected AS SELECT *, row_number() OVER (PARTITION BY SubscriptionId, ChargeType, ChargeStartDate, ChargeEndDate, sign(Subtotal), BillableQuantity) AS n FROM {ReconCsv(expectedPath)}");
    GC.Collect();
    var before = Process.GetCurrentProcess().WorkingSet64;

    var ours = new List<double>();
    var duck = new List<double>();
    ReconResult? result = null;
    long duckDifferences = 0;
    long oursAllocated = 0, oursAfter = 0;
    for (var run = 0; run < runs; run++)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        result = await InvoiceReconFile.MatchAsync(() => new StreamReader(billedPath, new FileStreamOptions { BufferSize = 1 << 20 }), "billed.csv", expected);

        ours.Add(clock.Elapsed.TotalSeconds);
        if (run == 0)
        {
            oursAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            oursAfter = Process.GetCurrentProcess().WorkingSet64;
        }

        clock.Restart();
        using var query = connection.CreateCommand();
        query.CommandText = $"""
            SELECT count(*) FILTER (WHERE e.SubscriptionId IS NULL OR b.SubscriptionId IS NULL OR e.Subtotal <> b.Subtotal OR e.UnitPrice <> b.UnitPrice)
            FROM expected e FULL OUTER JOIN (
              SELECT *, row_number() OVER (PARTITION BY SubscriptionId, ChargeType, ChargeStartDate, ChargeEndDate, sign(Subtotal), BillableQuantity) AS n
              FROM {ReconCsv(billedPath)}) b
            USING (SubscriptionId, ChargeType, ChargeStartDate, ChargeEndDate, BillableQuantity, n)
            """;
        duckDifferences = Convert.ToInt64(query.ExecuteScalar(), CultureInfo.InvariantCulture);
        duck.Add(clock.Elapsed.TotalSeconds);
    }

    directory.Delete(recursive: true);
    var found = Enum.GetValues<DiscrepancyKind>().Where(k => result!.Count(k) > 0).ToDictionary(k => k, k => result!.Count(k));
    var exact = found.Count == injected.Count && injected.All(i => found.GetValueOrDefault(i.Key) == i.Value);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"invoice reconciliation: {billedCount:N0} billed lines against {expected.Count:N0} expected, {result!.Matched:N0} matched"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  csp  (Sep + streaming matcher, {Environment.ProcessorCount} partitions)  median {Median(ours):0.000} s   runs {string.Join(" ", ours.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  DuckDB read_csv + FULL OUTER JOIN, threads=2  median {Median(duck):0.000} s   runs {string.Join(" ", duck.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  speed vs DuckDB: {Median(duck) / Median(ours):0.00}×   working set with the shadow invoice (and DuckDB's expected table) loaded {before / 1e6:N0} MB, after our first run {oursAfter / 1e6:N0} MB, allocated by it {oursAllocated / 1e6:N0} MB"));
    Console.WriteLine($"  found exactly the injected differences ({string.Join(", ", found.Select(f => $"{f.Key} {f.Value}"))}): {exact}; DuckDB rows differing: {duckDifferences:N0}");
    return exact;
}

// Microsoft's file: the expected lines with, every 10,000 lines, a seat count, a unit price and a subscription id changed
// (the last is one line missing and one unexpected); kept in memory only while it is written.
static (int Lines, Dictionary<DiscrepancyKind, int> Injected) WriteBilled(List<ReconLine> expected, string path)
{
    var billed = expected.ToList();
    var injected = new Dictionary<DiscrepancyKind, int>();
    for (var i = 1_000; i + 2 < billed.Count; i += 10_000)
    {
        billed[i] = billed[i] with { BillableQuantity = billed[i].BillableQuantity + 1, Quantity = billed[i].Quantity + 1 };
        billed[i + 1] = billed[i + 1] with { UnitPrice = billed[i + 1].UnitPrice + 1 };
        billed[i + 2] = billed[i + 2] with { SubscriptionId = "not-ours-" + i };
        injected[DiscrepancyKind.Quantity] = injected.GetValueOrDefault(DiscrepancyKind.Quantity) + 1;
        injected[DiscrepancyKind.UnitPrice] = injected.GetValueOrDefault(DiscrepancyKind.UnitPrice) + 1;
        injected[DiscrepancyKind.Missing] = injected.GetValueOrDefault(DiscrepancyKind.Missing) + 1;
        injected[DiscrepancyKind.Unexpected] = injected.GetValueOrDefault(DiscrepancyKind.Unexpected) + 1;
    }

    using var file = new StreamWriter(path);
    InvoiceReconFile.Write(billed, file);
    return (billed.Count, injected);
}

static string ReconCsv(string path) =>
    $"read_csv('{path.Replace("'", "''", StringComparison.Ordinal)}', header = true, types = {{'SubscriptionId': 'VARCHAR', 'ChargeType': 'VARCHAR', 'ChargeStartDate': 'VARCHAR', 'ChargeEndDate': 'VARCHAR', 'BillableQuantity': 'INTEGER', 'Subtotal': 'DECIMAL(18,6)', 'UnitPrice': 'DECIMAL(18,6)'}})";

static void Execute(DuckDBConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

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


int Argument(string name, int fallback) =>
    ArgumentText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? ArgumentText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
