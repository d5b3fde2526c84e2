using Csp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Csp.Migrations.Sqlite;

/// <summary>How the host and the EF tools point <see cref="CommerceDb"/> at SQLite with this assembly's migrations.</summary>
public sealed class SqliteCommerceDb : IDesignTimeDbContextFactory<CommerceDb>
{
    public static DbContextOptionsBuilder Use(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteCommerceDb).Assembly.GetName().Name));

    /// <summary>Used by <c>dotnet ef migrations add</c> only; the connection string is never opened.</summary>
    public CommerceDb CreateDbContext(string[] args) =>
        new((DbContextOptions<CommerceDb>)Use(new DbContextOptionsBuilder<CommerceDb>(), "Data Source=design-time.db").Options, new PartnerScope());
}
