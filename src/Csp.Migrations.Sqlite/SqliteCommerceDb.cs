using System.Data.Common;
using Csp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Csp.Migrations.Sqlite;

/// <summary>How the host and the EF tools point <see cref="CommerceDb"/> at SQLite with this assembly's migrations.</summary>
public sealed class SqliteCommerceDb : IDesignTimeDbContextFactory<CommerceDb>
{
    /// <summary>
    /// SQLite in its multi-thread mode, set once before the first connection opens: ADO.NET never lets two threads use one
    /// connection at once, so the lock SQLite's default (serialized) mode takes around every call on a connection only
    /// costs — a tenth of a usage import's bulk write, where every value is a call. Refused (and left serialized) if SQLite
    /// was started before this class was first used.
    /// </summary>
    static SqliteCommerceDb()
    {
        SQLitePCL.Batteries_V2.Init();
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
    }

    /// <remarks>
    /// SQLite cannot alter a column, so EF Core rebuilds the table, turning foreign keys off around it with a PRAGMA that
    /// cannot run inside the migration's transaction; EF warns of it at every first start. That is how every SQLite
    /// rebuild is made, not a fault of this database, so the warning is not shown.
    /// </remarks>
    public static DbContextOptionsBuilder Use(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteCommerceDb).Assembly.GetName().Name))
            .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning))
            .AddInterceptors(PageCache.Instance);

    /// <summary>
    /// Each connection keeps up to 64 MiB of the database's pages (SQLite's default is 2 MiB) and reads the file through a
    /// memory map of up to 256 MiB, shared with every other connection through the operating system's page cache. A month's
    /// billing run writes hundreds of thousands of lines into four indexes at scattered places; with 2 MiB the pages it
    /// changes are written out and read back many times within one transaction.
    /// </summary>
    private sealed class PageCache : DbConnectionInterceptor
    {
        public static readonly PageCache Instance = new();

        private const string Pragmas = "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;";

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Used by <c>dotnet ef migrations add</c> only; the connection string is never opened.</summary>
    public CommerceDb CreateDbContext(string[] args) =>
        new((DbContextOptions<CommerceDb>)Use(new DbContextOptionsBuilder<CommerceDb>(), "Data Source=design-time.db").Options, new PartnerScope());
}
