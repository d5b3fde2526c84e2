using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Csp.Cli;
using Csp.Commerce.Access;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// API keys: made by an admin and shown once, stored as a hash, each standing for its partner in its role, refused at
/// once when revoked, their use recorded; on SQLite and PostgreSQL.
/// </summary>
public abstract class ApiKeyTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    [Fact]
    public async Task Create_ShowsTheKeyOnce_AndTheDatabaseHoldsOnlyItsHashAndPrefix()
    {
        var created = await CreateAsync("nightly export", "billing");

        var listed = await App.CreateClient().GetStringAsync("/api/api-keys", Cancel);
        var stored = await App.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Id == created.ApiKey.Id, Cancel));
        var everywhere = await App.WithDbAsync(async db => (
            await db.IdempotencyRecords.Select(r => r.ResponseBody).ToListAsync(Cancel),
            (await db.AuditEntries.Select(e => e.Request).ToListAsync(Cancel)).Concat(await db.AccessEvents.Select(e => e.Detail).ToListAsync(Cancel))));
        var made = await App.WithDbAsync(db => db.AccessEvents.SingleAsync(e => e.Kind == AccessEventKind.KeyCreated && e.Detail.StartsWith(created.Key.Substring(0, 12)), Cancel));

        Assert.Matches("^csp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$", created.Key);
        Assert.Equal((created.Key[..12], AccessRole.Billing, "nightly export"), (stored.Prefix, stored.Role, stored.Name));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Key))), stored.Sha256);
        Assert.DoesNotContain(created.Key, listed, StringComparison.Ordinal);
        Assert.Contains(created.Key[..12], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(everywhere.Item1.Concat(everywhere.Item2), text => text?.Contains(created.Key, StringComparison.Ordinal) == true);
        Assert.Equal($"{created.Key[..12]}… \"nightly export\" (Billing)", made.Detail);
    }

    [Fact]
    public async Task AKey_IsItsPartner_AndSeesNothingOfAnyOther()
    {
        var (reseller, theirs, others) = await App.WithDbAsync(async db =>
        {
            var partner = await db.Partners.Where(p => p.Kind == PartnerKind.Reseller).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(Cancel);
            return (partner, await db.Customers.CountAsync(c => c.PartnerId == partner, Cancel), await db.Customers.Where(c => c.PartnerId != partner).Select(c => c.Id).FirstAsync(Cancel));
        });
        await using var asReseller = new CommerceApp(Database, Time, reseller);
        var key = (await (await asReseller.CreateClient().PostAsJsonAsync("/api/api-keys", new { name = "reseller script", role = "readOnly" }, Cancel)).Content.ReadFromJsonAsync<CreatedApiKey>(Json, Cancel))!.Key;

        var client = WithKey(key);
        var page = await client.GetFromJsonAsync<JsonElement>("/api/customers?pageSize=200", Cancel);
        var other = await client.GetAsync($"/api/customers/{others}", Cancel);

        Assert.Equal(theirs, page.GetProperty("totalCount").GetInt32());
        Assert.Equal((HttpStatusCode.NotFound, "customer.not_found"), (other.StatusCode, await CodeAsync(other)));
    }

    [Fact]
    public async Task ARole_AllowsItsRoutesOnly_AndTheAuditNamesTheKey()
    {
        var s = await BuyThroughPlatformAsync(3);
        var readOnly = WithKey((await CreateAsync("dashboard", "readOnly")).Key);
        var billing = WithKey((await CreateAsync("finance", "billing")).Key);
        var operations = await CreateAsync("provisioning", "operations");

        var preview = await readOnly.PostAsJsonAsync($"/api/subscriptions/{s.Id}/seats/preview", new { quantity = 5 }, Cancel);
        var refused = await SendAsync(readOnly, $"/api/subscriptions/{s.Id}/seats", new { quantity = 5 });
        var notBilling = await SendAsync(billing, $"/api/subscriptions/{s.Id}/seats", new { quantity = 5 });
        var keys = await SendAsync(billing, "/api/api-keys", new { name = "another", role = "admin" });
        var done = await SendAsync(WithKey(operations.Key), $"/api/subscriptions/{s.Id}/seats", new { quantity = 5 });
        var audit = await App.CreateClient().GetFromJsonAsync<List<AuditEntryView>>($"/api/subscriptions/{s.Id}/audit", Json, Cancel);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "auth.role_required"), (refused.StatusCode, await CodeAsync(refused)));
        Assert.Equal((HttpStatusCode.Forbidden, "auth.role_required"), (notBilling.StatusCode, await CodeAsync(notBilling)));
        Assert.Equal((HttpStatusCode.Forbidden, "auth.role_required"), (keys.StatusCode, await CodeAsync(keys)));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal($"key {operations.ApiKey.Prefix}", audit![0].Actor);
        Assert.Equal(5, (await App.WithDbAsync(db => db.Subscriptions.SingleAsync(x => x.Id == s.Id, Cancel))).Quantity);
    }

    [Fact]
    public async Task ARevokedUnknownOrMalformedKey_Is401AtOnce_AndAUseIsRecorded()
    {
        var created = await CreateAsync("to revoke", "readOnly");
        var before = await WithKey(created.Key).GetAsync("/api/customers", Cancel);
        var used = await App.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Id == created.ApiKey.Id, Cancel));
        var revoked = await App.CreateClient().PostAsync($"/api/api-keys/{created.ApiKey.Id}/revoke", null, Cancel);

        var after = await WithKey(created.Key).GetAsync("/api/customers", Cancel);
        var unknown = await WithKey(created.Key[..^1] + (created.Key[^1] == 'A' ? 'B' : 'A')).GetAsync("/api/customers", Cancel);
        var header = new HttpRequestMessage(HttpMethod.Get, "/api/customers");
        header.Headers.Add("X-Api-Key", "not-a-key");
        var malformed = await App.CreateClient().SendAsync(header, Cancel);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(CommerceApp.Now, used.LastUsedAt);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        foreach (var refused in new[] { after, unknown, malformed })
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "auth.invalid_key"), (refused.StatusCode, await CodeAsync(refused)));
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task TheCli_SendsItsApiKey()
    {
        var created = await CreateAsync("cli", "readOnly");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var withKey = CspCommand.Run(["subscriptions", "list", "--api", "http://localhost/", "--api-key", created.Key], output, error, App.Server.CreateHandler());
        var wrong = CspCommand.Run(["subscriptions", "list", "--api", "http://localhost/", "--api-key", "csp_00000000_nope"], output, error, App.Server.CreateHandler());

        Assert.Equal((0, 1), (withKey, wrong));
        Assert.StartsWith("csp: 401 auth.invalid_key:", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(CommerceApp.Now, (await App.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Id == created.ApiKey.Id, Cancel))).LastUsedAt);
    }

    [Fact]
    public async Task AKeyOverItsRequestsAMinute_Is429WithRetryAfter_AndOtherKeysAreNotHeldUp()
    {
        var busy = await CreateAsync("busy", "readOnly");
        var calm = await CreateAsync("calm", "readOnly");
        await using var limited = new CommerceApp(Database, Time) { Settings = new Dictionary<string, string> { ["Requests:PerCallerPerMinute"] = "3" } };
        HttpClient Client(string key)
        {
            var client = limited.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await Client(busy.Key).GetAsync("/api/customers?pageSize=1", Cancel));
        }

        var other = await Client(calm.Key).GetAsync("/api/customers?pageSize=1", Cancel);
        var none = await limited.CreateClient().GetAsync("/api/customers?pageSize=1", Cancel);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
        Assert.Equal("request.rate_limited", await CodeAsync(answers[3]));
        Assert.InRange(int.Parse(answers[3].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (other.StatusCode, none.StatusCode));
    }

    private async Task<CreatedApiKey> CreateAsync(string name, string role)
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/api-keys", new { name, role }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedApiKey>(Json, Cancel))!;
    }

    private HttpClient WithKey(string key) => App.CreateBearerClient(key);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(Csp.Web.Http.Idempotency.Header, Guid.NewGuid().ToString());
        return client.SendAsync(request, Cancel);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString();
}

public sealed class SqliteApiKeyTests : ApiKeyTests<SqliteDatabase>;

public sealed class PostgresApiKeyTests : ApiKeyTests<PostgresDatabase>;

/// <summary>
/// The demo's API key: made on the demo's first start, written to the data folder, working at once, made once; on SQLite
/// and PostgreSQL.
/// </summary>
public abstract class DemoApiKeyTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    [Fact]
    public async Task TheDemosFirstStart_WritesAnAdminKeyThatWorks_AndALaterStartMakesNoOther()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var database = new TDatabase();
        var data = Directory.CreateTempSubdirectory("csp-demo-key-").FullName;
        try
        {
            await using (var first = new CommerceApp(database, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(CommerceApp.Now)) { DataDirectory = data })
            {
                await first.WithDbAsync(_ => Task.FromResult(0));
            }

            var key = (await File.ReadAllTextAsync(Path.Combine(data, "demo-api-key.txt"), cancel)).Trim();
            await using var second = new CommerceApp(database, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(CommerceApp.Now)) { DataDirectory = data };
            var client = second.CreateBearerClient(key);
            var keys = await client.GetFromJsonAsync<JsonElement>("/api/api-keys", cancel);

            Assert.StartsWith("csp_", key, StringComparison.Ordinal);
            var only = Assert.Single(keys.EnumerateArray());
            Assert.Equal(("demo", "admin"), (only.GetProperty("name").GetString(), only.GetProperty("role").GetString()));
        }
        finally
        {
            DataFolder.Delete(data);
        }
    }
}

public sealed class SqliteDemoApiKeyTests : DemoApiKeyTests<SqliteDatabase>;

public sealed class PostgresDemoApiKeyTests : DemoApiKeyTests<PostgresDatabase>;
