using System.Diagnostics;
using System.Globalization;
using Csp.Commerce.Usage;
using Csp.Data;
using Csp.Migrations.Postgres;
using Csp.Migrations.Sqlite;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Bench;

/// <summary>
/// A month of daily rated usage stored and reconciled: the file streamed into daily totals, written in bulk by the host's
/// own <see cref="UsageBulkInsert"/> in one transaction, then read back and checked to add up to the file to the last
/// 10⁻⁶. SQLite in a temporary folder, or PostgreSQL when a connection string is given.
/// </summary>
public static class UsageMonth
{
    public static async Task<bool> RunAsync(string path, string? postgres)
    {
        var directory = Directory.CreateTempSubdirectory("csp-bench-store-");
        var options = new DbContextOptionsBuilder<CommerceDb>();
        var database = postgres is null ? "SQLite" : "PostgreSQL";
        string? dropDatabase = null;
        if (postgres is null)
        {
            SqliteCommerceDb.Use(options, $"Data Source={Path.Combine(directory.FullName, "bench.db")};Pooling=False");
        }
        else
        {
            var name = $"csp_bench_{Guid.NewGuid():N}";
            await using (var admin = new Npgsql.NpgsqlConnection(postgres))
            {
                await admin.OpenAsync();
                await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync();
            }

            dropDatabase = name;
            PostgresCommerceDb.Use(options, new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = name }.ToString());
        }

        try
        {
            var partnerId = Guid.NewGuid();
            await using (var setup = new CommerceDb(options.Options, new PartnerScope()))
            {
                await setup.Database.MigrateAsync();
                setup.Partners.Add(new Partner(partnerId, "Benchmark Distribution", PartnerKind.Distributor, null, "IE", "EUR", "Europe/Dublin", DateTimeOffset.UnixEpoch));
                await setup.SaveChangesAsync();
            }

            var clock = Stopwatch.StartNew();
            var scope = new PartnerScope();
            scope.Enter(partnerId, [(partnerId, null)]);
            await using var db = new CommerceDb(options.Options, scope);
            Csp.Domain.Reconciliation.DailyUsageTotals totals;
            using (var text = new StreamReader(path, new FileStreamOptions { BufferSize = 1 << 20 }))
            {
                totals = DailyRatedUsageFile.Total(text, Path.GetFileName(path));
            }

            var parsed = clock.Elapsed.TotalSeconds;
            var import = new UsageImport(Guid.NewGuid(), partnerId, Path.GetFileName(path), "bench", DateTimeOffset.UnixEpoch, totals.Rows, totals.Count, totals.RowTotal, totals.FirstUsageDate, totals.LastUsageDate);
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                db.UsageImports.Add(import);
                await db.SaveChangesAsync();
                await UsageBulkInsert.WriteAsync(db, import, totals, CancellationToken.None);
                await transaction.CommitAsync();
            }

            var stored = clock.Elapsed.TotalSeconds;
            var storedTotal = 0m;
            var storedRows = 0L;
            await foreach (var t in db.DailyUsageTotals.AsNoTracking().Where(t => t.UsageImportId == import.Id).Select(t => new { t.BillingPreTaxTotal, t.Rows }).AsAsyncEnumerable())
            {
                storedTotal += t.BillingPreTaxTotal;
                storedRows += t.Rows;
            }

            var reconciled = clock.Elapsed.TotalSeconds;
            var ok = totals.IsConserved && storedTotal == totals.RowTotal && storedRows == totals.Rows;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage month stored in {database}: {totals.Rows:N0} rows → {totals.Count:N0} daily totals, total {totals.RowTotal}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  parse + aggregate {parsed:0.00} s, bulk store {stored - parsed:0.00} s, read back and reconcile {reconciled - stored:0.00} s: {reconciled:0.00} s in all (target ≤ 60 s for 5M rows)"));
            Console.WriteLine($"  the database adds up to the file exactly: {ok}");
            return ok;
        }
        finally
        {
            if (dropDatabase is not null)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await using var admin = new Npgsql.NpgsqlConnection(postgres);
                await admin.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{dropDatabase}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
