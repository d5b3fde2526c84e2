using Csp.Data;
using Csp.Migrations.Postgres;
using Csp.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Data;

/// <summary>Which database the host uses, read from configuration: SQLite in a data folder unless told otherwise.</summary>
/// <remarks>
/// <c>Database:Provider</c> is <c>Sqlite</c> (default) or <c>Postgres</c>; <c>ConnectionStrings:Commerce</c> is the
/// connection string; without one, SQLite lives in <c>Database:DataDirectory</c> (default <c>data</c>, relative to
/// the content root) as <c>csp.db</c>. Environment variables override both: <c>Database__Provider</c>,
/// <c>ConnectionStrings__Commerce</c>.
/// </remarks>
public static class Database
{
    public static IServiceCollection AddCommerceDb(this IServiceCollection services) =>
        services.AddScoped<PartnerScope>().AddDbContext<CommerceDb>((provider, options) =>
            Configure(options, provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>()));

    /// <summary>The configured connection string; for SQLite without one, the data folder's <c>csp.db</c>.</summary>
    public static string? ConnectionString(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetConnectionString("Commerce")
        ?? ((configuration["Database:Provider"] ?? "Sqlite").Equals("Sqlite", StringComparison.OrdinalIgnoreCase) ? DefaultSqlite(configuration, environment) : null);

    private static void Configure(DbContextOptionsBuilder options, IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";
        var connectionString = ConnectionString(configuration, environment);

        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            PostgresCommerceDb.Use(options, connectionString
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Commerce is not set."));
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            SqliteCommerceDb.Use(options, connectionString!);
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider '{provider}' is not supported; use Sqlite or Postgres.");
        }
    }

    /// <summary>Applies every pending migration; the schema is never created any other way outside tests.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        await db.Database.MigrateAsync(cancellationToken);
    }

    private static string DefaultSqlite(IConfiguration configuration, IHostEnvironment environment)
    {
        var directory = Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "csp.db") }.ToString();
    }
}
