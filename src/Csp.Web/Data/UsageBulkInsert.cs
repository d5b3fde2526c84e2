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
/// on PostgreSQL, one prepared INSERT re-run per row through SQLite's own interface on SQLite. Usage never goes through EF
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

    private const string TotalColumns = "\"UsageImportId\", \"SubscriptionNumber\", \"UsageDate\", \"Quantity\", \"BillingPreTaxTotal\", \"Rows\"";

    public static async Task WriteAsync(CommerceDb db, UsageImport import, DailyUsageTotals totals, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Usage totals are written inside the import's transaction.");
        }

        var numbers = new Dictionary<(Guid Customer, Guid Subscription), int>();
        foreach (var key in totals.Groups.Keys)
        {
            numbers.TryAdd((key.CustomerId, key.SubscriptionId), 0);
        }

        var subscriptions = numbers.Keys.ToArray();
        Array.Sort(subscriptions);
        for (var i = 0; i < subscriptions.Length; i++)
        {
            numbers[subscriptions[i]] = i + 1;
        }

        // The key (number, day) as one long, so that the sort compares integers.
        var keys = new long[totals.Groups.Count];
        var sums = new DailyUsageSum[keys.Length];
        var n = 0;
        foreach (var (key, sum) in totals.Groups)
        {
            keys[n] = ((long)numbers[(key.CustomerId, key.SubscriptionId)] << 32) | (uint)key.UsageDate.DayNumber;
            sums[n++] = sum;
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
        var import = Text(rows.Import.Id);
        Check(db, raw.sqlite3_prepare_v2(db, $"INSERT INTO \"UsageImportSubscriptions\" ({SubscriptionColumns}) VALUES (?1, ?2, ?3, ?4, ?5)", out var subscription));
        using (subscription)
        {
            var partner = Text(rows.Import.PartnerId);
            for (var i = 0; i < rows.Subscriptions.Length; i++)
            {
                raw.sqlite3_bind_text(subscription, 1, import);
                raw.sqlite3_bind_int(subscription, 2, i + 1);
                raw.sqlite3_bind_text(subscription, 3, partner);
                raw.sqlite3_bind_text(subscription, 4, Text(rows.Subscriptions[i].Customer));
                raw.sqlite3_bind_text(subscription, 5, Text(rows.Subscriptions[i].Subscription));
                Step(db, subscription);
            }
        }

        Check(db, raw.sqlite3_prepare_v2(db, $"INSERT INTO \"DailyUsageTotals\" ({TotalColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", out var total));
        using (total)
        {
            var days = new Dictionary<DateOnly, byte[]>();
            var number = new byte[64];
            for (var i = 0; i < rows.Keys.Length; i++)
            {
                var (day, sum) = (Ordered.Day(rows.Keys[i]), rows.Sums[i]);
                raw.sqlite3_bind_text(total, 1, import);
                raw.sqlite3_bind_int(total, 2, Ordered.Number(rows.Keys[i]));
                raw.sqlite3_bind_text(total, 3, days.TryGetValue(day, out var text) ? text : days[day] = Encoding.ASCII.GetBytes(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                sum.Quantity.TryFormat(number, out var quantity, default, CultureInfo.InvariantCulture);
                raw.sqlite3_bind_text(total, 4, number.AsSpan(0, quantity));
                sum.BillingPreTaxTotal.TryFormat(number, out var amount, default, CultureInfo.InvariantCulture);
                raw.sqlite3_bind_text(total, 5, number.AsSpan(0, amount));
                raw.sqlite3_bind_int(total, 6, sum.Rows);
                Step(db, total);
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
