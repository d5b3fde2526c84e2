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
            .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning));

    /// <summary>Used by <c>dotnet ef migrations add</c> only; the connection string is never opened.</summary>
    public CommerceDb CreateDbContext(string[] args) =>
        new((DbContextOptions<CommerceDb>)Use(new DbContextOptionsBuilder<CommerceDb>(), "Data Source=design-time.db").Options, new PartnerScope());
}
