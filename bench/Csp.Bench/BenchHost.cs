using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Bench;

/// <summary>
/// The real host on Kestrel over loopback, with the demo seeded and its admin API key on the client, in a data folder of its
/// own, on SQLite or on PostgreSQL (a database of its own, created here and dropped on disposal).
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Csp.Web.Http.RequestLimits> factory;
    private readonly DirectoryInfo directory;
    private readonly string? postgres;
    private readonly string? database;

    private BenchHost(WebApplicationFactory<Csp.Web.Http.RequestLimits> factory, DirectoryInfo directory, string? postgres, string? database, HttpClient client)
    {
        this.factory = factory;
        this.directory = directory;
        this.postgres = postgres;
        this.database = database;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => factory.Services;

    public string Store => postgres is null ? "SQLite" : "PostgreSQL";

    /// <summary>The run's own folder, deleted on disposal.</summary>
    public string Directory => directory.FullName;

    /// <param name="pooledSqlite">Whether SQLite's connections are pooled, as they are by default in the product.</param>
    public static async Task<BenchHost> StartAsync(string? postgres, bool pooledSqlite, IReadOnlyDictionary<string, string>? more = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("csp-bench-host-");
        string? database = null;
        var settings = new Dictionary<string, string>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Demo:Seed"] = "true",
            ["Demo:Simulator"] = "false",
            ["Jobs:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",

            // The host's data folder — where the demo writes its admin API key, which requests are sent with — is the
            // run's own, never the repository's.
            ["Database:DataDirectory"] = directory.FullName,
        };
        if (postgres is null)
        {
            settings["Database:Provider"] = "Sqlite";
            settings["ConnectionStrings:Commerce"] = $"Data Source={Path.Combine(directory.FullName, "csp.db")};Pooling={pooledSqlite}";
        }
        else
        {
            database = $"csp_bench_{Guid.NewGuid():N}";
            await using (var admin = new Npgsql.NpgsqlConnection(postgres))
            {
                await admin.OpenAsync();
                await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
                await create.ExecuteNonQueryAsync();
            }

            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Commerce"] = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ToString();
        }

        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var factory = new WebApplicationFactory<Csp.Web.Http.RequestLimits>().WithWebHostBuilder(web =>
        {
            web.UseSolutionRelativeContentRoot("src/Csp.Web", "*.slnx");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        var client = new HttpClient
        {
            BaseAddress = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
            Timeout = TimeSpan.FromMinutes(10),
        };
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await File.ReadAllTextAsync(Path.Combine(directory.FullName, "demo-api-key.txt"))).Trim());
        return new BenchHost(factory, directory, postgres, database, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null)
        {
            directory.Delete(recursive: true);
        }

        if (database is not null && Environment.GetEnvironmentVariable("BENCH_KEEP") is null)
        {
            await using var admin = new Npgsql.NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
