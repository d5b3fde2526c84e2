using System.Data.Common;
using System.Globalization;
using System.Text;
using Csp.Data;
using Csp.Domain.Reconciliation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Csp.Web.Data;

/// <summary>
/// Writes a usage import's subscriptions and daily totals in bulk inside the context's current transaction: binary COPY
/// on PostgreSQL, prepared INSERTs of many rows each, re-run through SQLite's own interface, on SQLite. Usage never goes through EF
/// change tracking (architecture, decision 7): a month of a large distributor is a million rows.
/// </summary>
/// <remarks>
/// Each customer and subscription is numbered once within the import (<see cref="UsageImportSubscription"/>) and the
/// totals name it by that number, written in the order of the totals' key (number, day), so each row lands at the end of
/// the key's index. On SQLite each value is bound as the UTF-8 text EF Core stores (GUIDs upper-case, dates yyyy-MM-dd,
/// decimals invariant), each day encoded once however many rows repeat it.
/// </remarks>
public static class UsageBulkInsert
{
    private const string SubscriptionColumns = "\"UsageImportId\", \"Number\", \"PartnerId\", \"CustomerTenantId\", \"SubscriptionId\"";

    /// <summary>
    /// Rows inserted by one statement: SQLite runs a statement of 32 rows in about half the time of 32 statements of one.
    /// </summary>
    private const int RowsPerStatement = 32;

    private const string TotalColumns = "\"UsageImportId\", \"SubscriptionNumber\", \"UsageDate\", \"Quantity\", \"BillingPreTaxTotal\", \"Rows\"";

    public static async Task WriteAsync(CommerceDb db, UsageImport import, DailyUsageTotals totals, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Usage totals are written inside the import's transaction.");
        }

        // Each subscription numbered as first met, then renumbered in (customer, subscription) order: one look-up per total.
        // The subscriptions, numbered as first met, renumbered in (customer, subscription) order.
        var subscriptions = totals.Subscriptions.ToArray();
        var met = new int[subscriptions.Length];
        for (var i = 0; i < met.Length; i++)
        {
            met[i] = i;
        }

        Array.Sort(subscriptions, met);
        var numbers = new long[met.Length];
        for (var i = 0; i < met.Length; i++)
        {
            numbers[met[i]] = i + 1;
        }

        // The key (number, day) as one long, so that the sort compares integers.
        var keys = new long[totals.Count];
        var sums = new DailyUsageSum[keys.Length];
        var n = 0;
        foreach (var day in totals.Days)
        {
            keys[n] = (numbers[day.Subscription] << 32) | (uint)day.UsageDate.DayNumber;
            sums[n++] = day.Sum;
        }

        Array.Sort(keys, sums);
        var ordered = new Ordered(import, subscriptions, keys, sums);
        switch (db.Database.GetDbConnection())
        {
            case NpgsqlConnection postgres:
                await CopyAsync(postgres, ordered, cancellationToken);
                break;
            case SqliteConnection sqlite:
                Insert(sqlite, ordered);
                break;
            case DbConnection other:
                throw new NotSupportedException($"No bulk insert for {other.GetType().Name}.");
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Ordered rows, CancellationToken cancellationToken)
    {
        // Written without awaiting each value: the rows are in memory, and an await per value costs more than the value.
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"UsageImportSubscriptions\" ({SubscriptionColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < rows.Subscriptions.Length; i++)
            {
                copy.StartRow();
                copy.Write(rows.Import.Id, NpgsqlDbType.Uuid);
                copy.Write(i + 1, NpgsqlDbType.Integer);
                copy.Write(rows.Import.PartnerId, NpgsqlDbType.Uuid);
                copy.Write(rows.Subscriptions[i].Customer, NpgsqlDbType.Uuid);
                copy.Write(rows.Subscriptions[i].Subscription, NpgsqlDbType.Uuid);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"DailyUsageTotals\" ({TotalColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < rows.Keys.Length; i++)
            {
                var sum = rows.Sums[i];
                copy.StartRow();
                copy.Write(rows.Import.Id, NpgsqlDbType.Uuid);
                copy.Write(Ordered.Number(rows.Keys[i]), NpgsqlDbType.Integer);
                copy.Write(Ordered.Day(rows.Keys[i]), NpgsqlDbType.Date);
                copy.Write(sum.Quantity, NpgsqlDbType.Numeric);
                copy.Write(sum.BillingPreTaxTotal, NpgsqlDbType.Numeric);
                copy.Write(sum.Rows, NpgsqlDbType.Integer);
            }

            await copy.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>Values as EF Core's SQLite provider stores them: GUIDs as upper-case text, dates as yyyy-MM-dd, decimals as invariant text.</summary>
    private static void Insert(SqliteConnection connection, Ordered rows)
    {
        static byte[] Text(Guid id) => Encoding.ASCII.GetBytes(id.ToString().ToUpperInvariant());
        var db = connection.Handle!;
        var (import, partner) = (Text(rows.Import.Id), Text(rows.Import.PartnerId));
        Insert(db, $"INSERT INTO \"UsageImportSubscriptions\" ({SubscriptionColumns})", 5, rows.Subscriptions.Length, (statement, i, at) =>
        {
            raw.sqlite3_bind_text(statement, at, import);
            raw.sqlite3_bind_int(statement, at + 1, i + 1);
            raw.sqlite3_bind_text(statement, at + 2, partner);
            raw.sqlite3_bind_text(statement, at + 3, Text(rows.Subscriptions[i].Customer));
            raw.sqlite3_bind_text(statement, at + 4, Text(rows.Subscriptions[i].Subscription));
        });

        var days = new Dictionary<DateOnly, byte[]>();
        var number = new byte[64];
        Insert(db, $"INSERT INTO \"DailyUsageTotals\" ({TotalColumns})", 6, rows.Keys.Length, (statement, i, at) =>
        {
            var (day, sum) = (Ordered.Day(rows.Keys[i]), rows.Sums[i]);
            raw.sqlite3_bind_text(statement, at, import);
            raw.sqlite3_bind_int(statement, at + 1, Ordered.Number(rows.Keys[i]));
            raw.sqlite3_bind_text(statement, at + 2, days.TryGetValue(day, out var text) ? text : days[day] = Encoding.ASCII.GetBytes(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            sum.Quantity.TryFormat(number, out var quantity, default, CultureInfo.InvariantCulture);
            raw.sqlite3_bind_text(statement, at + 3, number.AsSpan(0, quantity));
            sum.BillingPreTaxTotal.TryFormat(number, out var amount, default, CultureInfo.InvariantCulture);
            raw.sqlite3_bind_text(statement, at + 4, number.AsSpan(0, amount));
            raw.sqlite3_bind_int(statement, at + 5, sum.Rows);
        });
    }

    /// <summary>
    /// Inserts <paramref name="count"/> rows of <paramref name="width"/> values, <see cref="RowsPerStatement"/> rows per
    /// statement; <paramref name="bind"/> binds row i's values from parameter <c>at</c> on.
    /// </summary>
    private static void Insert(sqlite3 db, string into, int width, int count, Action<sqlite3_stmt, int, int> bind)
    {
        var whole = count - (count % RowsPerStatement);
        foreach (var (from, to) in new[] { (0, whole), (whole, count) }.Where(part => part.Item2 > part.Item1))
        {
            var rowsEach = Math.Min(RowsPerStatement, to - from);
            var values = $"({string.Join(", ", Enumerable.Repeat("?", width))})";
            Check(db, raw.sqlite3_prepare_v2(db, $"{into} VALUES {string.Join(", ", Enumerable.Repeat(values, rowsEach))}", out var statement));
            using (statement)
            {
                for (var first = from; first < to; first += rowsEach)
                {
                    for (var row = 0; row < rowsEach; row++)
                    {
                        bind(statement, first + row, (row * width) + 1);
                    }

                    Step(db, statement);
                }
            }
        }
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
        {
            Check(db, raw.sqlite3_reset(statement));
        }

        raw.sqlite3_reset(statement);
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), result);
        }
    }

    /// <summary>The import's subscriptions in number order (number = index + 1), and its totals in key order.</summary>
    /// <param name="Keys">Each total's subscription number in the high 32 bits, its day's <see cref="DateOnly.DayNumber"/> in the low.</param>
    private sealed record Ordered(UsageImport Import, (Guid Customer, Guid Subscription)[] Subscriptions, long[] Keys, DailyUsageSum[] Sums)
    {
        public static int Number(long key) => (int)(key >> 32);

        public static DateOnly Day(long key) => DateOnly.FromDayNumber((int)(key & uint.MaxValue));
    }
}
