using System.Data.Common;
using System.Globalization;
using System.Text;
using Csp.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Csp.Web.Data;

/// <summary>
/// Writes daily usage totals in bulk inside the context's current transaction: binary COPY on PostgreSQL, one prepared
/// INSERT re-run per row through SQLite's own interface on SQLite. Usage never goes through EF change tracking
/// (architecture, decision 7): a month of a large distributor is a million rows.
/// </summary>
/// <remarks>
/// The totals are written in the order of the table's key (the ids as text, as both databases order them), so each row
/// lands at the end of the key's index instead of somewhere in its middle: on SQLite that halves the time of a month's
/// million rows. On SQLite each value is bound as the UTF-8 text EF Core stores (GUIDs upper-case, dates yyyy-MM-dd,
/// decimals invariant), each id and day encoded once however many rows repeat it.
/// </remarks>
public static class UsageBulkInsert
{
    private const string Columns = "\"UsageImportId\", \"PartnerId\", \"CustomerTenantId\", \"SubscriptionId\", \"UsageDate\", \"Quantity\", \"BillingPreTaxTotal\", \"Rows\"";

    public static async Task WriteAsync(CommerceDb db, IEnumerable<DailyUsageTotal> totals, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Usage totals are written inside the import's transaction.");
        }

        var ids = new Dictionary<Guid, byte[]>();
        byte[] Text(Guid id) => ids.TryGetValue(id, out var text) ? text : ids[id] = Encoding.ASCII.GetBytes(id.ToString().ToUpperInvariant());
        var ordered = totals.Select(t => new Keyed(Text(t.CustomerTenantId), Text(t.SubscriptionId), t)).ToArray();
        Array.Sort(ordered, KeyOrder.Instance);
        switch (db.Database.GetDbConnection())
        {
            case NpgsqlConnection postgres:
                await CopyAsync(postgres, ordered, cancellationToken);
                break;
            case SqliteConnection sqlite:
                Insert(sqlite, ordered, Text);
                break;
            case DbConnection other:
                throw new NotSupportedException($"No bulk insert for {other.GetType().Name}.");
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Keyed[] totals, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY \"DailyUsageTotals\" ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);

        // Written without awaiting each value: the rows are in memory, and an await per value costs more than the value.
        foreach (var (_, _, t) in totals)
        {
            copy.StartRow();
            copy.Write(t.UsageImportId, NpgsqlDbType.Uuid);
            copy.Write(t.PartnerId, NpgsqlDbType.Uuid);
            copy.Write(t.CustomerTenantId, NpgsqlDbType.Uuid);
            copy.Write(t.SubscriptionId, NpgsqlDbType.Uuid);
            copy.Write(t.UsageDate, NpgsqlDbType.Date);
            copy.Write(t.Quantity, NpgsqlDbType.Numeric);
            copy.Write(t.BillingPreTaxTotal, NpgsqlDbType.Numeric);
            copy.Write(t.Rows, NpgsqlDbType.Integer);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>Values as EF Core's SQLite provider stores them: GUIDs as upper-case text, dates as yyyy-MM-dd, decimals as invariant text.</summary>
    private static void Insert(SqliteConnection connection, Keyed[] totals, Func<Guid, byte[]> text)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, $"INSERT INTO \"DailyUsageTotals\" ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", out var insert));
        using (insert)
        {
            var days = new Dictionary<DateOnly, byte[]>();
            var number = new byte[64];
            foreach (var (customer, subscription, t) in totals)
            {
                raw.sqlite3_bind_text(insert, 1, text(t.UsageImportId));
                raw.sqlite3_bind_text(insert, 2, text(t.PartnerId));
                raw.sqlite3_bind_text(insert, 3, customer);
                raw.sqlite3_bind_text(insert, 4, subscription);
                raw.sqlite3_bind_text(insert, 5, days.TryGetValue(t.UsageDate, out var day) ? day : days[t.UsageDate] = Encoding.ASCII.GetBytes(t.UsageDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                t.Quantity.TryFormat(number, out var quantity, default, CultureInfo.InvariantCulture);
                raw.sqlite3_bind_text(insert, 6, number.AsSpan(0, quantity));
                t.BillingPreTaxTotal.TryFormat(number, out var total, default, CultureInfo.InvariantCulture);
                raw.sqlite3_bind_text(insert, 7, number.AsSpan(0, total));
                raw.sqlite3_bind_int(insert, 8, t.Rows);
                if (raw.sqlite3_step(insert) != raw.SQLITE_DONE)
                {
                    Check(db, raw.sqlite3_reset(insert));
                }

                raw.sqlite3_reset(insert);
            }
        }
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), result);
        }
    }

    /// <summary>A total with its customer and subscription ids as the text both databases order them by.</summary>
    private readonly record struct Keyed(byte[] Customer, byte[] Subscription, DailyUsageTotal Total);

    /// <summary>The table's key order: customer, subscription, day (the import is the same for all).</summary>
    private sealed class KeyOrder : IComparer<Keyed>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(Keyed x, Keyed y)
        {
            var byCustomer = x.Customer.AsSpan().SequenceCompareTo(y.Customer);
            if (byCustomer != 0)
            {
                return byCustomer;
            }

            var bySubscription = x.Subscription.AsSpan().SequenceCompareTo(y.Subscription);
            return bySubscription != 0 ? bySubscription : x.Total.UsageDate.CompareTo(y.Total.UsageDate);
        }
    }
}
