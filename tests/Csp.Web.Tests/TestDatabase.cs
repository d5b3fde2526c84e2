using Npgsql;

namespace Csp.Web.Tests;

/// <summary>A database of its own for one test class, on one of the two providers, removed afterwards.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>The value of <c>Database:Provider</c>.</summary>
    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    public abstract ValueTask DisposeAsync();
}

public sealed class SqliteDatabase : TestDatabase
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"csp-test-{Guid.NewGuid():N}.db");

    public override string Provider => "Sqlite";

    public override string ConnectionString => $"Data Source={path};Pooling=False";

    public override ValueTask DisposeAsync()
    {
        File.Delete(path);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A fresh PostgreSQL database on the server named by <c>CSP_TEST_POSTGRES</c> (./test.sh sets it). Without that
/// variable the test fails: PostgreSQL is the production store and its tests never skip.
/// </summary>
public sealed class PostgresDatabase : TestDatabase
{
    private readonly string name = $"csp_test_{Guid.NewGuid():N}";
    private readonly string server;

    public PostgresDatabase()
    {
        server = Environment.GetEnvironmentVariable("CSP_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "CSP_TEST_POSTGRES is not set. Run ./test.sh, which installs and starts PostgreSQL, or set it to an Npgsql connection string of a server where the user may create databases.");
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        create.ExecuteNonQuery();
    }

    public override string Provider => "Postgres";

    public override string ConnectionString => new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ToString();

    public override async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // A server process of another role (an autovacuum worker) is in the database: it leaves within moments.
                await Task.Delay(250);
            }
        }
    }
}
