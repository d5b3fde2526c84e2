using Npgsql;

namespace Csp.Web.Tests;

/// <summary>A database of its own for one test class, on one of the two providers, removed afterwards.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>The value of <c>Database:Provider</c>.</summary>
    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    /// <summary>Replaces this database, not yet used, by a copy of <paramref name="template"/>, of the same provider and in use by no one.</summary>
    public abstract Task CopyFromAsync(TestDatabase template);

    public abstract ValueTask DisposeAsync();
}

public sealed class SqliteDatabase : TestDatabase
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"csp-test-{Guid.NewGuid():N}.db");

    public override string Provider => "Sqlite";

    public override string ConnectionString => $"Data Source={path};Pooling=False";

    public override Task CopyFromAsync(TestDatabase template)
    {
        File.Copy(((SqliteDatabase)template).path, path, overwrite: true);
        return Task.CompletedTask;
    }

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

    /// <summary>Pooled, as in production: a new physical connection per query (a server process and a password exchange) would be most of a test's time.</summary>
    public override string ConnectionString => new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();

    public override async ValueTask DisposeAsync()
    {
        await DropAsync();
    }

    public override async Task CopyFromAsync(TestDatabase template)
    {
        var source = (PostgresDatabase)template;
        await DropAsync();

        // Nothing may be connected to a template while it is copied.
        await OnServerAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{source.name}\"", source.ConnectionString);
    }

    /// <summary>Makes this database a template, which no one connects to again: not even autovacuum, which would hold up its copies.</summary>
    public Task SealAsync() => OnServerAsync($"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false", ConnectionString);

    // The hosts' idle pooled connections to the database go with it (FORCE); the pool is not used again.
    private Task DropAsync() => OnServerAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", ConnectionString);

    /// <summary>Runs <paramref name="sql"/> on the server once the idle pooled connections to <paramref name="closing"/> are closed.</summary>
    private async Task OnServerAsync(string sql, string closing)
    {
        await using (var pooled = new NpgsqlConnection(closing))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // A server process of another role (an autovacuum worker) is in the database: it leaves within moments.
                await Task.Delay(250);
            }
        }
    }
}
