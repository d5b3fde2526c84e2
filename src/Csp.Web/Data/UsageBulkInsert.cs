using System.Data.Common;
using System.Globalization;
using Csp.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Csp.Web.Data;

/// <summary>
/// Writes daily usage totals in bulk inside the context's current transaction: binary COPY on PostgreSQL, one prepared
/// INSERT re-run per row on SQLite. Usage never goes through EF change tracking (architecture, decision 7): a month of a
/// large distributor is a million rows.
/// </summary>
public static class UsageBulkInsert
{
    private static readonly string[] ParameterNames = ["$import", "$partner", "$customer", "$subscription", "$date", "$quantity", "$total", "$rows"];

    private const string Columns = "\"UsageImportId\", \"PartnerId\", \"CustomerTenantId\", \"SubscriptionId\", \"UsageDate\", \"Quantity\", \"BillingPreTaxTotal\", \"Rows\"";

    /// <remarks>
    /// The totals are written in the order of the table's key (the ids as text, as both databases order them), so each
    /// row lands at the end of the key's index instead of somewhere in its middle: on SQLite that halves the time of a
    /// month's million rows.
    /// </remarks>
    public static async Task WriteAsync(CommerceDb db, IEnumerable<DailyUsageTotal> totals, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Usage totals are written inside the import's transaction.");
        var ids = new Dictionary<Guid, string>();
        string Text(Guid id) => ids.TryGetValue(id, out var text) ? text : ids[id] = id.ToString().ToUpperInvariant();
        totals = totals.Select(t => (Total: t, Customer: Text(t.CustomerTenantId), Subscription: Text(t.SubscriptionId)))
            .OrderBy(t => t.Customer, StringComparer.Ordinal)
            .ThenBy(t => t.Subscription, StringComparer.Ordinal)
            .ThenBy(t => t.Total.UsageDate)
            .Select(t => t.Total)
            .ToList();
        switch (db.Database.GetDbConnection())
        {
            case NpgsqlConnection postgres:
                await CopyAsync(postgres, totals, cancellationToken);
                break;
            case SqliteConnection sqlite:
                Insert(sqlite, (SqliteTransaction)transaction, totals, Text);
                break;
            case DbConnection other:
                throw new NotSupportedException($"No bulk insert for {other.GetType().Name}.");
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IEnumerable<DailyUsageTotal> totals, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY \"DailyUsageTotals\" ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var t in totals)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(t.UsageImportId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(t.PartnerId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(t.CustomerTenantId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(t.SubscriptionId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(t.UsageDate, NpgsqlDbType.Date, cancellationToken);
            await copy.WriteAsync(t.Quantity, NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(t.BillingPreTaxTotal, NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(t.Rows, NpgsqlDbType.Integer, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>Values as EF Core's SQLite provider stores them: GUIDs as upper-case text, dates as yyyy-MM-dd, decimals as invariant text.</summary>
    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<DailyUsageTotal> totals, Func<Guid, string> text)
    {
        var days = new Dictionary<DateOnly, string>();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"DailyUsageTotals\" ({Columns}) VALUES ($import, $partner, $customer, $subscription, $date, $quantity, $total, $rows)";
        var parameters = ParameterNames
            .Select(name => insert.Parameters.Add(name, name == "$rows" ? SqliteType.Integer : SqliteType.Text))
            .ToArray();
        insert.Prepare();
        foreach (var t in totals)
        {
            parameters[0].Value = text(t.UsageImportId);
            parameters[1].Value = text(t.PartnerId);
            parameters[2].Value = text(t.CustomerTenantId);
            parameters[3].Value = text(t.SubscriptionId);
            parameters[4].Value = days.TryGetValue(t.UsageDate, out var day) ? day : days[t.UsageDate] = t.UsageDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            parameters[5].Value = t.Quantity.ToString(CultureInfo.InvariantCulture);
            parameters[6].Value = t.BillingPreTaxTotal.ToString(CultureInfo.InvariantCulture);
            parameters[7].Value = t.Rows;
            insert.ExecuteNonQuery();
        }
    }
}
