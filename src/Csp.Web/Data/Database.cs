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
        return services.AddScoped<PartnerScope>().AddDbContext<CommerceDb>((provider, options) =>
            Configure(options, provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>()));
    }

    /// <summary>The configured connection string; for SQLite without one, the data folder's <c>csp.db</c>.</summary>
    public static string? ConnectionString(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetConnectionString("Commerce")
        ?? (configuration.Settings<DatabaseOptions>(DatabaseOptions.Section).Provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory(configuration, environment), "csp.db") }.ToString()
            : null);

    /// <summary>The data folder, created when missing.</summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment) =>
        Directory.CreateDirectory(Path.GetFullPath(configuration.Settings<DatabaseOptions>(DatabaseOptions.Section).DataDirectory, environment.ContentRootPath)).FullName;

    private static void Configure(DbContextOptionsBuilder options, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = ConnectionString(configuration, environment);
        if (configuration.Settings<DatabaseOptions>(DatabaseOptions.Section).Provider == DatabaseProvider.Postgres)
        {
            PostgresCommerceDb.Use(options, connectionString
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Commerce is not set."));
        }
        else
        {
            SqliteCommerceDb.Use(options, connectionString!);
        }
    }

    /// <summary>Applies every pending migration; the schema is never created any other way outside tests.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
