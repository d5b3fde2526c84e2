using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Files;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>
/// The real host — migrations, demo seed, endpoints — on a test database, with a fake clock. Its clients call as a
/// chosen partner (the demo distributor when none is given) with an admin API key made for it through the platform's own
/// use case the first time a client is made; <see cref="CreateAnonymousClient"/> calls without credentials.
/// </summary>
public sealed class CommerceApp(TestDatabase database, FakeTimeProvider time, Guid? actingPartnerId = null) : WebApplicationFactory<Program>
{
    /// <summary>The instant every test app starts at: Thursday 26 November 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time => time;

    /// <summary>More settings for this host, e.g. <c>Jobs:Enabled</c>; scheduled jobs are off unless a test turns them on.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>More services for this host, registered after the host's own (a logger provider, say).</summary>
    public Action<IServiceCollection>? MoreServices { get; init; }

    /// <summary>Where demo mode's in-process simulator listens; null (the default) runs no simulator.</summary>
    public string? SimulatorUrl { get; init; }

    /// <summary>The host's data folder, where the in-process simulator keeps its store; a new empty folder when null.</summary>
    public string? DataDirectory { get; init; }

    private string? ownDataDirectory;

    private string? callerKey;

    private bool anonymous;

    /// <summary>The admin API key this host's clients call with, made for the acting partner on first use.</summary>
    public string CallerKey => callerKey ??= Task.Run(MakeCallerKeyAsync).GetAwaiter().GetResult();

    /// <summary>
    /// The host's environment; null (the default) is the test host's Development, in which the host is in demo mode and the
    /// simulator is left to <see cref="SimulatorUrl"/>. Any other is left with the host's own defaults for demo mode.
    /// </summary>
    public string? EnvironmentName { get; init; }

    /// <summary>The app in demo mode: the simulator in its process on a free loopback port, on the app's clock.</summary>
    /// <param name="kestrel">On Kestrel over loopback (<see cref="Address"/>), for a real browser, instead of the in-memory test server.</param>
    public static async Task<CommerceApp> WithSimulatorAsync(
        TestDatabase database, FakeTimeProvider time, Guid? actingPartnerId = null, string? dataDirectory = null, IReadOnlyDictionary<string, string>? settings = null, bool kestrel = false)
    {
        // The port is free when probed, but another host of the run may take it before the simulator binds it: try another.
        for (var attempt = 1; ; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var app = new CommerceApp(database, time, actingPartnerId) { SimulatorUrl = $"http://127.0.0.1:{port}", DataDirectory = dataDirectory, Settings = settings ?? new Dictionary<string, string>() };
            try
            {
                if (kestrel)
                {
                    app.UseKestrel();
                    app.StartServer();
                }

                await app.WithDbAsync(_ => Task.FromResult(0));
                return app;
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await app.DisposeAsync();
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", database.Provider);
        builder.UseSetting("ConnectionStrings:Commerce", database.ConnectionString);
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        if (EnvironmentName is null)
        {
            builder.UseSetting("Demo:Simulator", SimulatorUrl is null ? "false" : "true");
        }
        else
        {
            builder.UseEnvironment(EnvironmentName);
        }

        // The host's data folder (the simulator's store, the demo's API key file): never the repository's own.
        builder.UseSetting("Database:DataDirectory", DataDirectory ?? (ownDataDirectory ??= Directory.CreateTempSubdirectory("csp-test-data-").FullName));
        if (SimulatorUrl is not null)
        {
            builder.UseSetting("Demo:SimulatorUrl", SimulatorUrl);
        }

        builder.UseSetting("Jobs:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(time);
            MoreServices?.Invoke(services);
        });
    }

    /// <summary>Where the host listens when started on Kestrel (<c>http://127.0.0.1:port</c>).</summary>
    public string Address => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    /// <summary>A client that sends no credentials at all (but the cookies it is given, unless <paramref name="options"/> say otherwise).</summary>
    public HttpClient CreateAnonymousClient(WebApplicationFactoryClientOptions? options = null)
    {
        anonymous = true;
        try
        {
            return options is null ? CreateClient() : CreateClient(options);
        }
        finally
        {
            anonymous = false;
        }
    }

    /// <summary>A client that sends <paramref name="bearer"/> — an API key or an Entra token — and no other credentials.</summary>
    public HttpClient CreateBearerClient(string bearer)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (!anonymous)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CallerKey);
        }
    }

    private async Task<string> MakeCallerKeyAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var partnerId = actingPartnerId ?? await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync();
        var made = await Csp.Commerce.Access.CreateApiKey.RunAsync(db, partnerId, "test host", Csp.Data.AccessRole.Admin, "tests", Services.GetRequiredService<TimeProvider>(), CancellationToken.None);
        return made.Value.Key;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownDataDirectory is not null)
        {
            DataFolder.Delete(ownDataDirectory);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <paramref name="work"/> on a fresh context scoped to the root distributor, which sees every demo partner.</summary>
    public async Task<T> WithDbAsync<T>(Func<CommerceDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var partners = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new { p.Id, p.ParentPartnerId }).ToListAsync();
        if (partners.FirstOrDefault(p => p.ParentPartnerId is null) is { } root)
        {
            scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(root.Id, partners.Select(p => (p.Id, p.ParentPartnerId)));
        }

        return await work(db);
    }
}

/// <summary>A test host's data folder, which holds the simulator's SQLite store and the demo's API key.</summary>
internal static class DataFolder
{
    /// <summary>Removes the folder, once the pooled connections that hold the simulator's store open are closed.</summary>
    public static void Delete(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}

/// <summary>
/// One database, a copy of the <see cref="SeededDemo"/>, and one demo host per test class; more hosts on the same database
/// act as other partners.
/// </summary>
public class DemoFixture<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    private readonly List<CommerceApp> apps = [];

    public TDatabase Database { get; } = new();

    public CommerceApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await SeededDemo.CopyToAsync(Database);
        App = Track(new CommerceApp(Database, new FakeTimeProvider(CommerceApp.Now)));
        await App.WithDbAsync(_ => Task.FromResult(0));
    }

    /// <summary>A second host on the same database whose caller is <paramref name="partnerId"/>.</summary>
    public CommerceApp ActingAs(Guid partnerId) => Track(new CommerceApp(Database, new FakeTimeProvider(CommerceApp.Now), partnerId));

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private CommerceApp Track(CommerceApp app)
    {
        apps.Add(app);
        return app;
    }
}

/// <summary>
/// A test class whose every test gets a fresh database and a demo host with its in-process simulator, on a fake clock the
/// test moves; the database and the simulator's store start as copies of the <see cref="SeededDemo"/>.
/// </summary>
public abstract class SimulatorAppTests<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    protected TDatabase Database { get; } = new();

    protected FakeTimeProvider Time { get; } = new(CommerceApp.Now);

    protected CommerceApp App { get; private set; } = null!;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The host's Partner Center client, pointed at its simulator.</summary>
    protected PartnerCenterClient Client => App.Services.GetRequiredService<PartnerCenterClient>();

    private string? dataDirectory;

    /// <summary>Settings the host starts with besides the tests' own.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public async ValueTask InitializeAsync()
    {
        dataDirectory = await SeededDemo.CopyToAsync(Database);
        App = await CommerceApp.WithSimulatorAsync(Database, Time, dataDirectory: dataDirectory, settings: Settings);
    }

    /// <summary>
    /// Microsoft's invoice for the month (the simulator's, once the month has ended) holds exactly the lines the shadow
    /// invoice expects for these subscriptions, to the cent.
    /// </summary>
    protected async Task AssertInvoicedAsShadowAsync(DateOnly month, params Guid[] subscriptions)
    {
        var ids = subscriptions.Select(id => id.ToString()).ToHashSet();
        var billed = new List<ReconLine>();
        foreach (var invoice in (await Client.ListInvoicesAsync(Cancel)).Where(i => i.BillingPeriodStartDate == new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))
        {
            await foreach (var line in Client.ListInvoiceLineItemsAsync(invoice.Id, 2000, Cancel))
            {
                if (ids.Contains(line.SubscriptionId))
                {
                    billed.Add(line);
                }
            }
        }

        var response = await App.CreateClient().GetAsync($"/api/shadow-invoice?month={month:yyyy-MM}", Cancel);
        var expected = InvoiceReconFile.Read(new StringReader(await response.Content.ReadAsStringAsync(Cancel)), "shadow-invoice.csv").Where(l => ids.Contains(l.SubscriptionId)).ToList();
        var result = ReconMatcher.Match(expected, billed);

        Assert.NotEmpty(billed);
        Assert.Empty(result.Differences);
        Assert.Equal((billed.Count, billed.Count), (expected.Count, result.Matched));
        Assert.Equal(billed.Sum(l => l.Subtotal), expected.Sum(l => l.Subtotal));
    }

    /// <summary>Every table's row count and the writes Partner Center received: what a request that changes nothing leaves as it was.</summary>
    protected async Task<string> TableCountsAsync()
    {
        var counts = await App.WithDbAsync(async db =>
        {
            var tables = db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).Select(e => e.GetTableName()!).Distinct().Order(StringComparer.Ordinal).ToList();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(Cancel);
            var text = new StringBuilder();
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                text.Append(CultureInfo.InvariantCulture, $"{table}={await command.ExecuteScalarAsync(Cancel)} ");
            }

            return text.ToString();
        });
        using var simulator = new HttpClient { BaseAddress = new Uri(App.SimulatorUrl!) };
        var received = await simulator.GetFromJsonAsync<JsonElement>("/_sim/requests", Cancel);
        return $"{counts}PartnerCenterWrites={received.EnumerateArray().Count(r => r.GetProperty("method").GetString() != "GET")}";
    }

    /// <summary>A POST of <paramref name="body"/> as JSON under <paramref name="key"/>, or a new Idempotency-Key.</summary>
    protected static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(body, options: Json) };
        request.Headers.Add(Csp.Web.Http.Idempotency.Header, key ?? Guid.NewGuid().ToString());
        return client.SendAsync(request, Cancel);
    }

    /// <summary>A preview that must answer 200: what the action would do.</summary>
    protected async Task<ActionPreview> PreviewAsync(string path, object body)
    {
        var response = await App.CreateClient().PostAsJsonAsync(path, body, Json, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<ActionPreview>(Json, Cancel))!;
    }

    /// <summary>An action that must succeed, under <paramref name="key"/> or a new Idempotency-Key.</summary>
    protected async Task<T> ActAsync<T>(string path, object body, string? key = null)
    {
        var response = await PostAsync(path, body, key);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<T>(Json, Cancel))!;
    }

    /// <summary>A POST under <paramref name="key"/>, a new Idempotency-Key when null, or none when empty.</summary>
    protected Task<HttpResponseMessage> PostAsync(string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(body, options: Json) };
        if (key != "")
        {
            request.Headers.Add(Csp.Web.Http.Idempotency.Header, key ?? Guid.NewGuid().ToString());
        }

        return App.CreateClient().SendAsync(request, Cancel);
    }

    /// <summary>A demo customer and a catalog item its market's price list sells for one year, billed monthly or annually.</summary>
    protected Task<(Csp.Data.Customer Customer, string Tenant, string CatalogItemId)> OfferAsync() =>
        App.WithDbAsync(async db =>
        {
            var customer = await db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel);
            var price = await db.Prices
                .Where(p => p.Market == customer.Country && p.Currency == customer.Currency && p.Term == Csp.Domain.Terms.Term.P1Y && p.BillingPlan == Csp.Domain.Terms.BillingPlan.Annual && p.EffectiveTo == null && p.ProductId == "CFQ7TTC0LFLZ")
                .FirstAsync(Cancel);
            return (customer, customer.CustomerTenantId.ToString(), CatalogItem.Id(price.ProductId, price.SkuId, price.AvailabilityId));
        });

    /// <summary>The customer's tenant id in Partner Center.</summary>
    protected Task<string> TenantAsync(Guid customerId) =>
        App.WithDbAsync(async db => (await db.Customers.Where(c => c.Id == customerId).Select(c => c.CustomerTenantId).SingleAsync(Cancel)).ToString());

    /// <summary>A subscription bought through the platform's API for this test, one year billed monthly, and provisioned a minute later.</summary>
    protected async Task<Csp.Data.Subscription> BuyThroughPlatformAsync(int quantity)
    {
        var (customer, _, catalogItemId) = await OfferAsync();
        var outcome = await ActAsync<OrderOutcome>($"/api/customers/{customer.Id}/subscriptions", new { catalogItemId, term = "P1Y", billingPlan = "monthly", quantity });
        Time.Advance(TimeSpan.FromMinutes(1));
        return await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == outcome.Subscription.Id, Cancel));
    }

    /// <summary>
    /// Real ids for a test over every route to aim at (<see cref="HostRoutes.Subject"/>): a subscription bought for it, its
    /// customer and catalog item, the owner's Entra tenant and a reseller below it; a reconciliation, a usage import, an API
    /// key and a user (unless <paramref name="imports"/> is false).
    /// </summary>
    protected async Task<Dictionary<string, string>> RouteSubjectsAsync(bool imports = true)
    {
        var s = await BuyThroughPlatformAsync(3);
        var (tenant, reseller) = await App.WithDbAsync(async db =>
        {
            var root = await db.Partners.Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel);
            return (
                await db.PartnerTenants.Where(t => t.PartnerId == root).Select(t => t.TenantId).FirstAsync(Cancel),
                await db.Partners.Where(p => p.ParentPartnerId == root).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel));
        });
        var subjects = new Dictionary<string, string>
        {
            ["subscription"] = s.Id.ToString(),
            ["customer"] = s.CustomerId.ToString(),
            ["catalogItem"] = s.CatalogItemId,
            ["tenant"] = tenant.ToString(),
            ["reseller"] = reseller.ToString(),
            ["partner"] = (await App.WithDbAsync(db => db.Customers.Where(c => c.Id == s.CustomerId).Select(c => c.PartnerId).SingleAsync(Cancel))).ToString(),
            ["seats1"] = $"{s.Quantity + 1}",
            ["seats2"] = $"{s.Quantity + 2}",
        };

        // A subscription of the demo's customer user, for the customer portal's pages.
        subjects["mySubscription"] = (await App.WithDbAsync(db => db.Users.Where(u => u.CreatedBy == "demo" && u.CustomerId != null)
            .Join(db.Subscriptions, u => u.CustomerId, s => s.CustomerId, (u, s) => s.Id).OrderBy(id => id).FirstAsync(Cancel))).ToString();

        // A customer's request for one seat more on the subscription, waiting for its seller.
        subjects["request"] = (await App.WithDbAsync(async db =>
        {
            var request = new ChangeRequest(Guid.CreateVersion7(Time.GetUtcNow()), s.PartnerId, s.CustomerId, s.Id, ChangeRequestKind.Seats, s.Quantity + 1, null, "route-subject", "a customer's user", Time.GetUtcNow());
            db.ChangeRequests.Add(request);
            await db.SaveChangesAsync(Cancel);
            return request.Id;
        })).ToString();

        // A sync of the account that Partner Center refused: finished, so that it stands in no sync's way.
        subjects["sync"] = (await App.WithDbAsync(async db =>
        {
            var root = await db.Partners.Where(p => p.Id == reseller).Select(p => p.ParentPartnerId!.Value).SingleAsync(Cancel);
            var run = new SyncRun(Guid.CreateVersion7(Time.GetUtcNow()), root, "route-subject", Time.GetUtcNow(), "another host");
            run.Failed(Time.GetUtcNow(), "partner_center.unavailable", "Partner Center answered 503.");
            db.SyncRuns.Add(run);
            await db.SaveChangesAsync(Cancel);
            return run.Id;
        })).ToString();

        if (!imports)
        {
            return subjects;
        }

        var client = App.CreateClient();
        var shadow = await client.GetStringAsync($"/api/shadow-invoice?month=2026-11", Cancel);
        var reconciliation = await client.PostAsync("/api/reconciliations?fileName=sweep.csv", new StringContent(shadow, System.Text.Encoding.UTF8, "text/csv"), Cancel);
        var usage = string.Join(',', DailyRatedUsageFile.Columns) + "\n" + string.Join(',', DailyRatedUsageFile.Columns.Select(c => c switch
        {
            "CustomerId" => Guid.NewGuid().ToString(),
            "SubscriptionId" => Guid.NewGuid().ToString(),
            "UsageDate" => "11/02/2026",
            "Quantity" => "1.5",
            "BillingPreTaxTotal" => "2.25",
            _ => "",
        }));
        var import = await client.PostAsync("/api/usage-imports?fileName=sweep.csv", new StringContent(usage, System.Text.Encoding.UTF8, "text/csv"), Cancel);
        Assert.Equal(HttpStatusCode.Created, reconciliation.StatusCode);
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        subjects["reconciliation"] = (await reconciliation.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;
        subjects["usageImport"] = (await import.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;
        var key = await client.PostAsJsonAsync("/api/api-keys", new { name = "route subject", role = "readOnly" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        subjects["apiKey"] = (await key.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("apiKey").GetProperty("id").GetString()!;
        var user = await client.PostAsJsonAsync("/api/users", new { tenantId = tenant, objectId = Guid.NewGuid(), displayName = "Route Subject", role = "readOnly" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        subjects["user"] = (await user.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

        // Two of the owner's draft invoices of the month: one issued (to read, pay or credit), one left a draft (to issue).
        var run = await PostWithKeyAsync(client, "/api/billing-runs", new { partnerId = subjects["partner"], month = "2026-11" });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var drafts = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == Guid.Parse(subjects["partner"]) && i.Status == InvoiceStatus.Draft && i.LineCount > 0).OrderBy(i => i.Id).Select(i => i.Id).Take(2).ToListAsync(Cancel));
        Assert.Equal(2, drafts.Count);
        var issued = await PostWithKeyAsync(client, $"/api/invoices/{drafts[0]}/issue", new { dueInDays = 30 });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        subjects["invoice"] = drafts[0].ToString();
        subjects["draftInvoice"] = drafts[1].ToString();


        return subjects;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
        if (dataDirectory is not null)
        {
            DataFolder.Delete(dataDirectory);
        }

        GC.SuppressFinalize(this);
    }
}
