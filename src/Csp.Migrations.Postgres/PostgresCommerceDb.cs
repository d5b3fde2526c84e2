using Csp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Csp.Migrations.Postgres;

/// <summary>How the host and the EF tools point <see cref="CommerceDb"/> at PostgreSQL with this assembly's migrations.</summary>
public sealed class PostgresCommerceDb : IDesignTimeDbContextFactory<CommerceDb>
{
    public static DbContextOptionsBuilder Use(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PostgresCommerceDb).Assembly.GetName().Name));

    /// <summary>Used by <c>dotnet ef migrations add</c> only; the connection string is never opened.</summary>
    public CommerceDb CreateDbContext(string[] args) =>
        new((DbContextOptions<CommerceDb>)Use(new DbContextOptionsBuilder<CommerceDb>(), "Host=localhost;Database=csp_design_time").Options, new PartnerScope());
}
