using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

[assembly: AssemblyFixture(typeof(Csp.Web.Tests.SeededDemo))]

namespace Csp.Web.Tests;

/// <summary>
/// The demo as the host seeds it at <see cref="CommerceApp.Now"/> — the platform's database and the in-process simulator's
/// store — made once per provider and test run by the real host (migrations, demo seed, simulator seed), so that each
/// test starts from a copy in milliseconds instead of migrating and seeding its own, which took most of its time.
/// </summary>
public sealed class SeededDemo : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<Type, Lazy<Task<Template>>> Templates = new();

    /// <summary>
    /// Makes <paramref name="database"/> (empty) a copy of the seeded demo on its provider, and answers a new data folder
    /// holding a copy of the simulator's store seeded with it.
    /// </summary>
    public static async Task<string> CopyToAsync(TestDatabase database)
    {
        var template = await Templates.GetOrAdd(database.GetType(), type => new Lazy<Task<Template>>(() => SeedAsync((TestDatabase)Activator.CreateInstance(type)!))).Value;
        await database.CopyFromAsync(template.Database);
        var directory = Directory.CreateTempSubdirectory("csp-demo-simulator-").FullName;
        foreach (var file in Directory.GetFiles(template.DataDirectory))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        return directory;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var template in Templates.Values.Where(t => t.IsValueCreated && t.Value.IsCompletedSuccessfully).Select(t => t.Value.Result))
        {
            await template.Database.DisposeAsync();
            DataFolder.Delete(template.DataDirectory);
        }
    }

    private static async Task<Template> SeedAsync(TestDatabase database)
    {
        var directory = Directory.CreateTempSubdirectory("csp-demo-template-").FullName;
        // Without the demo's invoices: tests bill months of their own; DemoBillingTests seeds them.
        var app = await CommerceApp.WithSimulatorAsync(database, new FakeTimeProvider(CommerceApp.Now), dataDirectory: directory, settings: new Dictionary<string, string> { ["Demo:Invoices"] = "false" });
        await app.DisposeAsync();

        // The simulator's pooled connections closed, so that its store is whole in its file, without a write-ahead log.
        SqliteConnection.ClearAllPools();
        if (database is PostgresDatabase postgres)
        {
            await postgres.SealAsync();
        }

        return new Template(database, directory);
    }

    private sealed record Template(TestDatabase Database, string DataDirectory);
}
