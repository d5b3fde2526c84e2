using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Csp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>
/// Setting up an empty platform from the host's <c>Setup</c> settings: the first partner, its Entra tenant, its first
/// admin and an admin key printed once, in one go; a later start changes nothing; a wrong setting stops the host,
/// naming it. On SQLite and PostgreSQL.
/// </summary>
public abstract class PlatformSetupTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private static readonly Guid Tenant = new("5e7a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c");

    private static readonly Guid AdminAccount = new("9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEmptyPlatform_IsSetUpOnce_WithAnAdminWhoseKeyWorks()
    {
        await using var database = new TDatabase();
        var logs = new CapturedLogs();
        await using var first = Host(database, logs, Setup());

        var key = Regex.Match(string.Join('\n', logs.Messages), "shown this once: (csp_\\S+)").Groups[1].Value;
        var client = first.CreateBearerClient(key);
        var customers = await client.GetFromJsonAsync<JsonElement>("/api/customers", Cancel);
        var users = await client.GetFromJsonAsync<JsonElement>("/api/users", Cancel);
        var tenants = await client.GetFromJsonAsync<JsonElement>("/api/partner-tenants", Cancel);

        var again = new CapturedLogs();
        await using var second = Host(database, again, Setup());
        var partners = await second.WithDbAsync(db => db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new { p.Name, p.Kind, p.BillingCurrency }).ToListAsync(Cancel));

        Assert.StartsWith("csp_", key, StringComparison.Ordinal);
        Assert.Equal(0, customers.GetProperty("totalCount").GetInt32());
        var admin = Assert.Single(users.EnumerateArray());
        Assert.Equal((Tenant.ToString(), AdminAccount.ToString(), "admin"), (admin.GetProperty("tenantId").GetString(), admin.GetProperty("objectId").GetString(), admin.GetProperty("role").GetString()));
        Assert.Equal(Tenant.ToString(), Assert.Single(tenants.EnumerateArray()).GetProperty("tenantId").GetString());
        Assert.Equal(new { Name = "Contoso Distribution", Kind = PartnerKind.Distributor, BillingCurrency = "EUR" }, Assert.Single(partners));
        Assert.Contains(again.Messages, m => m.Contains("set up already", StringComparison.Ordinal));
        Assert.DoesNotContain(again.Messages, m => m.Contains("csp_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Setup:Country", "Ireland")]
    [InlineData("Setup:Kind", "Reseller")]
    [InlineData("Setup:TimeZone", "Dublin time")]
    public async Task AWrongSetting_StopsTheHost_NamingIt_AndSetsUpNothing(string setting, string value)
    {
        await using var database = new TDatabase();
        var settings = Setup();
        settings[setting] = value;
        await using var app = Host(database, new CapturedLogs(), settings, start: false);

        var failure = Record.Exception(() => app.Services);

        Assert.NotNull(failure);
        Assert.Contains(setting, failure.ToString(), StringComparison.Ordinal);
        await using var after = Host(database, new CapturedLogs(), new() { ["Demo:Seed"] = "false" });
        Assert.Equal(0, await after.WithDbAsync(db => db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).CountAsync(Cancel)));
    }

    private static Dictionary<string, string> Setup() => new()
    {
        ["Demo:Seed"] = "false",
        ["Setup:PartnerName"] = "Contoso Distribution",
        ["Setup:Kind"] = "Distributor",
        ["Setup:Country"] = "IE",
        ["Setup:Currency"] = "EUR",
        ["Setup:TimeZone"] = "Europe/Dublin",
        ["Setup:TenantId"] = Tenant.ToString(),
        ["Setup:AdminObjectId"] = AdminAccount.ToString(),
        ["Setup:AdminName"] = "Ada Admin",
    };

    private static CommerceApp Host(TDatabase database, CapturedLogs logs, Dictionary<string, string> settings, bool start = true)
    {
        var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now)) { Settings = settings, MoreServices = services => services.AddSingleton<ILoggerProvider>(logs) };
        if (start)
        {
            _ = app.Services;
        }

        return app;
    }
}

public sealed class SqlitePlatformSetupTests : PlatformSetupTests<SqliteDatabase>;

public sealed class PostgresPlatformSetupTests : PlatformSetupTests<PostgresDatabase>;
