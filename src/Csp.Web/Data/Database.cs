using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Migrations.Postgres;
using Csp.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Data;

/// <summary>Which database the host uses (<see cref="DatabaseOptions"/>): SQLite in the data folder unless told otherwise.</summary>
public static class Database
{
    public static IServiceCollection AddCommerceDb(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Worked out once per host, not for every DbContext a request creates.
        services.AddSingleton(provider => CommerceConnection.From(provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>()));
        return services.AddScoped<PartnerScope>().AddDbContext<CommerceDb>((provider, options) => Use(options, provider.GetRequiredService<CommerceConnection>()));
    }

    /// <summary>The data folder, created when missing.</summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment) =>
        Directory.CreateDirectory(Path.GetFullPath(configuration.Settings<DatabaseOptions>(DatabaseOptions.Section).DataDirectory, environment.ContentRootPath)).FullName;

    private static void Use(DbContextOptionsBuilder options, CommerceConnection connection)
    {
        if (connection.Provider == DatabaseProvider.Postgres)
        {
            PostgresCommerceDb.Use(options, connection.ConnectionString);
        }
        else
        {
            SqliteCommerceDb.Use(options, connection.ConnectionString);
        }
    }

    /// <summary>
    /// Applies every pending migration (the schema is never created any other way outside tests), with SQLite's write-ahead
    /// log on, works out the margin report's totals where lines were billed before they were kept, then refreshes the
    /// planner's statistics.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        await db.UseWriteAheadLogAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await SalesTotals.RebuildIfMissingAsync(db, cancellationToken);
        await db.RefreshStatisticsAsync(cancellationToken);
    }
}

/// <summary>The database the host is configured with: the provider, and the connection string (for SQLite without one, the data folder's <c>csp.db</c>).</summary>
public sealed record CommerceConnection(DatabaseProvider Provider, string ConnectionString)
{
    public static CommerceConnection From(IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration.Settings<DatabaseOptions>(DatabaseOptions.Section).Provider;
        var connectionString = configuration.GetConnectionString("Commerce")
            ?? (provider == DatabaseProvider.Sqlite
                ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(Database.DataDirectory(configuration, environment), "csp.db") }.ToString()
                : throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Commerce is not set."));
        return new CommerceConnection(provider, connectionString);
    }
}
