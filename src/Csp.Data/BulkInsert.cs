using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal.Mapping;

namespace Csp.Data;

/// <summary>
/// New rows of an entity written in bulk from the model — its table, columns and each column's type mapping, so every value
/// is stored exactly as EF Core would store it — inside the context's current transaction,
/// without change tracking: EF Core builds every parameter of every row anew, and a month's billing run inserts hundreds of
/// thousands of rows.
/// </summary>
/// <remarks>
/// Only for entities that are whole when built (no generated values, no owned types) and that the caller does not track.
/// On SQLite one statement is prepared and run again with each row's values: SQLite finds each parameter by name among the
/// statement's (a linear search), so a statement of many rows costs the square of its parameters to bind, more than
/// running it once per row. On PostgreSQL the rows go by binary COPY, each value in its column's type, no statement to
/// parse or plan: a billing run of 20,000 customers wrote its 216,000 lines in 7.1 s instead of 15 s by INSERTs of 32 rows.
/// </remarks>
public static class BulkInsert
{
    public static async Task WriteAsync<T>(CommerceDb db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException($"{typeof(T).Name} rows are written in bulk inside a transaction only.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => (Property: p, Column: p.GetColumnName(table), Mapping: p.GetRelationalTypeMapping(), Getter: p.GetGetter()))
            .Where(c => c.Column is not null)
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var into = $"{sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column!)))})";
        object? ProviderValue(int column, T row)
        {
            var (_, _, mapping, getter) = columns[column];
            var value = getter.GetClrValueUsingContainingEntity(row);
            return value is null ? null : mapping.Converter?.ConvertToProvider(value) ?? value;
        }

        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection postgres)
        {
            // PostgreSQL's binary COPY, in the transaction: each value in the column's own type, no statement to parse.
            // Npgsql's own mappings name their type; EF Core's plain ones (uuid, integer, boolean) their store type.
            var types = columns.Select(c => (c.Mapping as NpgsqlTypeMapping)?.NpgsqlDbType).ToArray();
            var names = columns.Select(c => c.Mapping.StoreType.Split('(')[0]).ToArray();
            await using var copy = await postgres.BeginBinaryImportAsync($"COPY {into} FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in rows)
            {
                copy.StartRow();
                for (var c = 0; c < columns.Length; c++)
                {
                    if (ProviderValue(c, row) is not { } value)
                    {
                        copy.WriteNull();
                    }
                    else if (types[c] is { } type)
                    {
                        copy.Write(value, type);
                    }
                    else
                    {
                        copy.Write(value, names[c]);
                    }
                }
            }

            await copy.CompleteAsync(cancellationToken);
            return;
        }

        var insert = $"INSERT INTO {into} VALUES ";
        const int perStatement = 1;

        DbCommand Prepare(int count)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            var text = new StringBuilder(insert);
            for (var r = 0; r < count; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    var name = $"@p{(r * columns.Length) + c}";
                    text.Append(c == 0 ? name : $", {name}");
                    command.Parameters.Add(columns[c].Mapping.CreateParameter(command, name, null, columns[c].Property.IsNullable));
                }

                text.Append(')');
            }

            command.CommandText = text.ToString();
            command.Prepare();
            return command;
        }

        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                var command = count == perStatement ? full ??= Prepare(count) : Prepare(count);
                for (var r = 0; r < count; r++)
                {
                    for (var c = 0; c < columns.Length; c++)
                    {
                        command.Parameters[(r * columns.Length) + c].Value = ProviderValue(c, rows[start + r]) ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }
}
