using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Csp.Data;
using Csp.Domain.Reconciliation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Csp.Commerce.Usage;

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
public static partial class UsageBulkInsert
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

        // The subscriptions, numbered as first met, renumbered in (customer, subscription) order.
        var subscriptions = totals.Subscriptions.ToArray();
        var met = new int[subscriptions.Length];
        for (var i = 0; i < met.Length; i++)
        {
            met[i] = i;
        }

        Array.Sort(subscriptions, met);
        var numbers = new int[met.Length];
        for (var i = 0; i < met.Length; i++)
        {
            numbers[met[i]] = i + 1;
        }

        // The totals in key order: placed by their subscription's number (a counting sort, which reads the totals in the
        // order they are kept rather than jumping about them), then each subscription's few days by date.
        var next = new int[met.Length + 1];
        var unordered = totals.CopyDays();
        foreach (var day in unordered)
        {
            next[numbers[day.Subscription]]++;
        }

        for (int number = 1, start = 0; number <= met.Length; number++)
        {
            (next[number], start) = (start, start + next[number]);
        }

        var days = new DailyUsageTotals.Day[unordered.Length];
        foreach (var day in unordered)
        {
            days[next[numbers[day.Subscription]]++] = day;
        }

        for (int number = 1, start = 0; number <= met.Length; number++)
        {
            days.AsSpan(start, next[number] - start).Sort(static (a, b) => a.UsageDate.CompareTo(b.UsageDate));
            start = next[number];
        }

        var ordered = new Ordered(import, subscriptions, numbers, days);
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
            for (var i = 0; i < rows.Days.Length; i++)
            {
                var sum = rows.Days[i].Sum;
                copy.StartRow();
                copy.Write(rows.Import.Id, NpgsqlDbType.Uuid);
                copy.Write(rows.Numbers[rows.Days[i].Subscription], NpgsqlDbType.Integer);
                copy.Write(rows.Days[i].UsageDate, NpgsqlDbType.Date);
                copy.Write(sum.Quantity, NpgsqlDbType.Numeric);
                copy.Write(sum.BillingPreTaxTotal, NpgsqlDbType.Numeric);
                copy.Write(sum.Rows, NpgsqlDbType.Integer);
            }

            await copy.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Values as EF Core's SQLite provider stores them: GUIDs as upper-case text, dates as yyyy-MM-dd, decimals as invariant
    /// text. The import's and partner's ids, the same in every row, are written into the statement rather than bound.
    /// </summary>
    private static void Insert(SqliteConnection connection, Ordered rows)
    {
        static byte[] Text(Guid id) => Encoding.ASCII.GetBytes(id.ToString().ToUpperInvariant());
        static string Literal(Guid id) => $"'{id.ToString().ToUpperInvariant()}'";
        var db = connection.Handle!;
        var (import, partner) = (Literal(rows.Import.Id), Literal(rows.Import.PartnerId));
        Insert(db, $"INSERT INTO \"UsageImportSubscriptions\" ({SubscriptionColumns})", $"({import}, ?, {partner}, ?, ?)", 3, rows.Subscriptions.Length, (statement, i, at) =>
        {
            BindInt(statement, at, i + 1);
            BindText(statement, at + 1, Text(rows.Subscriptions[i].Customer));
            BindText(statement, at + 2, Text(rows.Subscriptions[i].Subscription));
        });

        var days = new Dictionary<DateOnly, byte[]>();
        var number = new byte[64];
        Insert(db, $"INSERT INTO \"DailyUsageTotals\" ({TotalColumns})", $"({import}, ?, ?, ?, ?, ?)", 5, rows.Days.Length, (statement, i, at) =>
        {
            var (day, sum) = (rows.Days[i].UsageDate, rows.Days[i].Sum);
            BindInt(statement, at, rows.Numbers[rows.Days[i].Subscription]);
            BindText(statement, at + 1, days.TryGetValue(day, out var text) ? text : days[day] = Encoding.ASCII.GetBytes(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            sum.Quantity.TryFormat(number, out var quantity, default, CultureInfo.InvariantCulture);
            BindText(statement, at + 2, number.AsSpan(0, quantity));
            sum.BillingPreTaxTotal.TryFormat(number, out var amount, default, CultureInfo.InvariantCulture);
            BindText(statement, at + 3, number.AsSpan(0, amount));
            BindInt(statement, at + 4, sum.Rows);
        });
    }

    /// <summary>
    /// Inserts <paramref name="count"/> rows of <paramref name="values"/> (with <paramref name="width"/> parameters each),
    /// <see cref="RowsPerStatement"/> rows per statement; <paramref name="bind"/> binds row i's values from parameter <c>at</c> on.
    /// </summary>
    private static void Insert(sqlite3 db, string into, string values, int width, int count, Action<nint, int, int> bind)
    {
        var whole = count - (count % RowsPerStatement);
        foreach (var (from, to) in new[] { (0, whole), (whole, count) }.Where(part => part.Item2 > part.Item1))
        {
            var rowsEach = Math.Min(RowsPerStatement, to - from);
            Check(db, raw.sqlite3_prepare_v2(db, $"{into} VALUES {string.Join(", ", Enumerable.Repeat(values, rowsEach))}", out var statement));
            using (statement)
            {
                var handle = statement.DangerousGetHandle();
                for (var first = from; first < to; first += rowsEach)
                {
                    for (var row = 0; row < rowsEach; row++)
                    {
                        bind(handle, first + row, (row * width) + 1);
                    }

                    Step(db, statement);
                }
            }
        }
    }

    /// <summary>SQLite's own "copy the value now" destructor: the buffers are reused for the next row.</summary>
    private static readonly nint Transient = -1;

    private static void BindText(nint statement, int index, ReadOnlySpan<byte> text) => Check(sqlite3_bind_text(statement, index, text, text.Length, Transient));

    private static void BindInt(nint statement, int index, int value) => Check(sqlite3_bind_int(statement, index, value));

    private static void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite refused a value: {raw.sqlite3_errstr(result).utf8_to_string()}.", result);
        }
    }

    // Called directly, with the statement's address: through SQLitePCL each value cost two interlocked operations on the
    // statement's SafeHandle, measured at a sixth of the whole write.
    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_bind_text(nint statement, int index, ReadOnlySpan<byte> text, int length, nint destructor);

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_bind_int(nint statement, int index, int value);

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

    /// <summary>
    /// The import's subscriptions in number order (number = index + 1), each one's number by its index in the totals
    /// (<see cref="DailyUsageTotals.Day.Subscription"/>), and the totals in key order.
    /// </summary>
    private sealed record Ordered(UsageImport Import, (Guid Customer, Guid Subscription)[] Subscriptions, int[] Numbers, DailyUsageTotals.Day[] Days);
}
