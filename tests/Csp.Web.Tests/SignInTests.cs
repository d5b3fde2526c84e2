using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Csp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>A copy of the demo, and a host with its simulator that accepts Microsoft Entra tokens from a <see cref="LocalIssuer"/>.</summary>
public sealed class SignInFixture<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    public LocalIssuer Issuer { get; private set; } = null!;

    public TDatabase Database { get; } = new();

    public CommerceApp App { get; private set; } = null!;

    private readonly Dictionary<AccessRole, string> keys = [];

    private string? dataDirectory;

    /// <summary>An API key of the demo distributor in <paramref name="role"/>, made once per fixture.</summary>
    public async Task<string> KeyAsync(AccessRole role)
    {
        if (!keys.TryGetValue(role, out var key))
        {
            var distributor = await App.WithDbAsync(db => db.Partners.Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync());
            key = await App.WithDbAsync(async db => (await Csp.Commerce.Access.CreateApiKey.RunAsync(db, distributor, $"{role} key", role, "tests", App.Time, CancellationToken.None)).Value.Key);
            keys[role] = key;
        }

        return key;
    }

    public async ValueTask InitializeAsync()
    {
        Issuer = await LocalIssuer.StartAsync();
        dataDirectory = await SeededDemo.CopyToAsync(Database);
        App = await CommerceApp.WithSimulatorAsync(Database, new FakeTimeProvider(CommerceApp.Now), dataDirectory: dataDirectory, settings: Issuer.HostSettings);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
        if (dataDirectory is not null)
        {
            DataFolder.Delete(dataDirectory);
        }
    }
}

/// <summary>
/// Signing in with Microsoft Entra ID: access tokens validated for real (keys and issuer from the local issuer's discovery
/// document), a user known by tenant and object id in a role of one organisation, a customer user confined to its customer,
/// and the demo's sign-in page; on SQLite and PostgreSQL.
/// </summary>
public abstract class SignInTests<TDatabase>(SignInFixture<TDatabase> fixture) : IClassFixture<SignInFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CommerceApp App => fixture.App;

    private LocalIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task AnAccessToken_OfTheDistributorsAdmin_SeesTheDistributorsWholeTree()
    {
        var admin = await DemoUserAsync(u => u.Role == AccessRole.Admin);
        var all = await App.WithDbAsync(db => db.Customers.CountAsync(Cancel));

        var page = await WithToken(Token(admin)).GetFromJsonAsync<JsonElement>("/api/customers?pageSize=200", Cancel);

        Assert.Equal(all, page.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("wrong audience")]
    [InlineData("wrong issuer")]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    [InlineData("alg none")]
    [InlineData("another key")]
    [InlineData("an ID token")]
    public async Task AFlawedToken_Is401_AndSaysTheTokenIsInvalid(string flaw)
    {
        var admin = await DemoUserAsync(u => u.Role == AccessRole.Admin);
        var now = App.Time.GetUtcNow();
        var token = Token(admin);
        token = flaw switch
        {
            "wrong audience" => token with { Audience = "api://another-application" },
            "wrong issuer" => token with { IssuerTenantId = Guid.NewGuid() },
            "expired" => token with { IssuedAt = now.AddHours(-2) },
            "not yet valid" => token with { IssuedAt = now.AddHours(1) },
            "alg none" => token with { AlgNone = true },
            "another key" => token with { OtherKey = true },
            "an ID token" => token with { Scope = null },
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };

        var response = await WithToken(token).GetAsync("/api/customers", Cancel);

        Assert.Equal((HttpStatusCode.Unauthorized, "auth.invalid_token"), (response.StatusCode, await CodeAsync(response)));
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValidToken_FromATenantThePlatformDoesNotKnow_Is401()
    {
        var response = await WithToken(new LocalIssuer.Token(Guid.NewGuid(), Guid.NewGuid(), App.Time.GetUtcNow())).GetAsync("/api/customers", Cancel);

        Assert.Equal((HttpStatusCode.Unauthorized, "auth.unknown_tenant"), (response.StatusCode, await CodeAsync(response)));
    }

    [Fact]
    public async Task AUserOfAKnownTenant_WithoutAnAccount_Is403()
    {
        var admin = await DemoUserAsync(u => u.Role == AccessRole.Admin);

        var response = await WithToken(Token(admin) with { ObjectId = Guid.NewGuid() }).GetAsync("/api/customers", Cancel);

        Assert.Equal((HttpStatusCode.Forbidden, "auth.not_a_member"), (response.StatusCode, await CodeAsync(response)));
    }

    [Fact]
    public async Task AResellersOperator_SeesItsOwnCustomersOnly_AndActsOnlyInItsRole()
    {
        var operatorUser = await DemoUserAsync(u => u.Role == AccessRole.Operations);
        var (theirs, other) = await App.WithDbAsync(async db => (
            await db.Customers.CountAsync(c => c.PartnerId == operatorUser.PartnerId, Cancel),
            await db.Customers.Where(c => c.PartnerId != operatorUser.PartnerId).Select(c => c.Id).FirstAsync(Cancel)));
        var client = WithToken(Token(operatorUser));

        var page = await client.GetFromJsonAsync<JsonElement>("/api/customers?pageSize=200", Cancel);
        var elsewhere = await client.GetAsync($"/api/customers/{other}", Cancel);
        var upload = await client.PostAsync("/api/usage-imports?fileName=usage.csv", new StringContent("x", System.Text.Encoding.UTF8, "text/csv"), Cancel);
        var signedIn = await App.WithDbAsync(db => db.Users.Where(u => u.Id == operatorUser.Id).Select(u => u.LastSignInAt).SingleAsync(Cancel));

        Assert.Equal(theirs, page.GetProperty("totalCount").GetInt32());
        Assert.Equal((HttpStatusCode.NotFound, "customer.not_found"), (elsewhere.StatusCode, await CodeAsync(elsewhere)));
        Assert.Equal((HttpStatusCode.Forbidden, "auth.role_required"), (upload.StatusCode, await CodeAsync(upload)));
        Assert.Equal(App.Time.GetUtcNow(), signedIn);
    }

    [Fact]
    public async Task ACustomerUser_SeesItsCustomer_AndNothingElseExists()
    {
        var customerUser = await DemoUserAsync(u => u.CustomerId != null);
        var own = customerUser.CustomerId!.Value;
        var (sibling, subscription) = await App.WithDbAsync(async db => (
            await db.Customers.Where(c => c.PartnerId == customerUser.PartnerId && c.Id != own).Select(c => c.Id).FirstAsync(Cancel),
            await db.Subscriptions.Where(s => s.CustomerId == own).Select(s => s.Id).FirstAsync(Cancel)));
        var client = WithToken(Token(customerUser));

        var customer = await client.GetFromJsonAsync<JsonElement>($"/api/customers/{own}", Cancel);
        var subscriptions = await client.GetAsync($"/api/customers/{own}/subscriptions", Cancel);
        var refused = new[] { $"/api/customers/{sibling}", $"/api/customers/{sibling}/subscriptions", "/api/customers", $"/api/subscriptions/{subscription}", $"/api/customers/{own}/audit", "/api/renewals" };
        var answers = await Task.WhenAll(refused.Select(path => client.GetAsync(path, Cancel)));

        Assert.Equal(own.ToString(), customer.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, subscriptions.StatusCode);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
    }

    [Fact]
    public async Task AnAdmin_GrantsAUserARole_WhoSignsInAtOnce_AndIsShutOutOnceRemoved()
    {
        var admin = await DemoUserAsync(u => u.Role == AccessRole.Admin);
        var account = Guid.NewGuid();
        var keyed = WithKey(await fixture.KeyAsync(AccessRole.Admin));
        var before = await WithToken(Token(admin) with { ObjectId = account }).GetAsync("/api/customers", Cancel);

        var granted = await keyed.PostAsJsonAsync("/api/users", new { tenantId = admin.TenantId, objectId = account, displayName = "Bea Billing", role = "billing" }, Cancel);
        var user = await granted.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var again = await keyed.PostAsJsonAsync("/api/users", new { tenantId = admin.TenantId, objectId = account, displayName = "Bea Billing", role = "billing" }, Cancel);
        var signedIn = await WithToken(Token(admin) with { ObjectId = account }).GetAsync("/api/customers", Cancel);
        var listed = await keyed.GetStringAsync("/api/users", Cancel);
        var removed = await keyed.PostAsync($"/api/users/{user.GetProperty("id").GetString()}/remove", null, Cancel);
        var after = await WithToken(Token(admin) with { ObjectId = account }).GetAsync("/api/customers", Cancel);
        var audit = await keyed.GetFromJsonAsync<JsonElement>("/api/access-events?limit=500", Cancel);
        var entries = audit.EnumerateArray().Where(e => e.GetProperty("detail").GetString()!.Contains(account.ToString(), StringComparison.Ordinal))
            .Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("actor").GetString()!)).ToList();

        Assert.Equal((HttpStatusCode.Forbidden, "auth.not_a_member"), (before.StatusCode, await CodeAsync(before)));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, "billing"), (granted.StatusCode, again.StatusCode, user.GetProperty("role").GetString()));
        Assert.Equal(user.GetProperty("id").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("Bea Billing", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "auth.not_a_member"), (after.StatusCode, await CodeAsync(after)));

        // The access audit, newest first: granted (twice: the same grant again), signed in, removed — each by whom.
        var key = (await fixture.KeyAsync(AccessRole.Admin))[..12];
        Assert.Equal(["userRemoved", "signedIn", "userGranted", "userGranted"], entries.Select(e => e.Item1));
        Assert.Equal($"key {key}", entries[0].Item2);
        Assert.StartsWith("user Bea Billing (", entries[1].Item2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUsersTenant_MustBeTheOrganisations_AndACustomerUsersTheCustomers()
    {
        var customerUser = await DemoUserAsync(u => u.CustomerId != null);
        var keyed = WithKey(await fixture.KeyAsync(AccessRole.Admin));

        var foreign = await keyed.PostAsJsonAsync("/api/users", new { tenantId = Guid.NewGuid(), objectId = Guid.NewGuid(), displayName = "Stranger", role = "admin" }, Cancel);
        var wrongTenant = await keyed.PostAsJsonAsync("/api/users", new { tenantId = Guid.NewGuid(), objectId = Guid.NewGuid(), displayName = "Stranger", role = "readOnly", customerId = customerUser.CustomerId }, Cancel);
        var taken = await keyed.PostAsJsonAsync("/api/users", new { tenantId = customerUser.TenantId, objectId = customerUser.ObjectId, displayName = "Cleo", role = "readOnly" }, Cancel);
        var customers = await keyed.PostAsJsonAsync("/api/users", new { tenantId = customerUser.TenantId, objectId = Guid.NewGuid(), displayName = "Cleo's colleague", role = "readOnly", customerId = customerUser.CustomerId }, Cancel);

        Assert.Equal((HttpStatusCode.Conflict, "user.tenant_not_bound"), (foreign.StatusCode, await CodeAsync(foreign)));
        Assert.Equal((HttpStatusCode.BadRequest, "request.invalid_parameter"), (wrongTenant.StatusCode, await CodeAsync(wrongTenant)));
        Assert.Equal((HttpStatusCode.Conflict, "user.tenant_not_bound"), (taken.StatusCode, await CodeAsync(taken)));
        Assert.Equal(HttpStatusCode.OK, customers.StatusCode);
    }

    [Fact]
    public async Task ADistributor_BindsAResellersTenant_NeverItsOwn_AndATenantBelongsToOnePartner()
    {
        var customerUser = await DemoUserAsync(u => u.CustomerId != null);
        var (distributor, resellers) = await App.WithDbAsync(async db =>
        {
            var root = await db.Partners.Where(p => p.ParentPartnerId == null).Select(p => p.Id).FirstAsync(Cancel);
            return (root, await db.Partners.Where(p => p.ParentPartnerId == root).OrderBy(p => p.Id).Select(p => p.Id).Take(2).ToListAsync(Cancel));
        });
        var keyed = WithKey(await fixture.KeyAsync(AccessRole.Admin));
        var tenant = Guid.NewGuid();

        var own = await keyed.PostAsJsonAsync("/api/partner-tenants", new { partnerId = distributor, tenantId = Guid.NewGuid() }, Cancel);
        var bound = await keyed.PostAsJsonAsync("/api/partner-tenants", new { partnerId = resellers[0], tenantId = tenant }, Cancel);
        var again = await keyed.PostAsJsonAsync("/api/partner-tenants", new { partnerId = resellers[0], tenantId = tenant }, Cancel);
        var elsewhere = await keyed.PostAsJsonAsync("/api/partner-tenants", new { partnerId = resellers[1], tenantId = tenant }, Cancel);
        var customers = await keyed.PostAsJsonAsync("/api/partner-tenants", new { partnerId = resellers[1], tenantId = customerUser.TenantId }, Cancel);
        var listed = await keyed.GetStringAsync("/api/partner-tenants", Cancel);

        Assert.Equal((HttpStatusCode.NotFound, "partner.not_found"), (own.StatusCode, await CodeAsync(own)));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (bound.StatusCode, again.StatusCode));
        Assert.Equal((HttpStatusCode.Conflict, "tenant.bound_elsewhere"), (elsewhere.StatusCode, await CodeAsync(elsewhere)));
        Assert.Equal((HttpStatusCode.Conflict, "tenant.bound_elsewhere"), (customers.StatusCode, await CodeAsync(customers)));
        Assert.Contains(tenant.ToString(), listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACustomerUsersScope_NarrowsTheCustomersAndSubscriptionsItsQueriesSee()
    {
        var customerUser = await DemoUserAsync(u => u.CustomerId != null);
        var own = await App.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.CustomerId == customerUser.CustomerId, Cancel));
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var hierarchy = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new { p.Id, p.ParentPartnerId }).ToListAsync(Cancel);
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(customerUser.PartnerId, hierarchy.Select(p => (p.Id, p.ParentPartnerId)), customerUser.CustomerId);

        var customers = await db.Customers.Select(c => c.Id).ToListAsync(Cancel);
        var subscriptions = await db.Subscriptions.Select(s => s.CustomerId).ToListAsync(Cancel);

        Assert.Equal(customerUser.CustomerId, Assert.Single(customers));
        Assert.Equal(own, subscriptions.Count);
        Assert.All(subscriptions, c => Assert.Equal(customerUser.CustomerId, c));
    }

    [Fact]
    public async Task ASignedInUser_IsHeldToTheRateLimit_AndOtherUsersAreNot()
    {
        var admin = await DemoUserAsync(u => u.Role == AccessRole.Admin);
        var operatorUser = await DemoUserAsync(u => u.Role == AccessRole.Operations);
        var settings = new Dictionary<string, string>(Issuer.HostSettings) { ["Requests:PerCallerPerMinute"] = "2" };
        await using var limited = new CommerceApp(fixture.Database, new FakeTimeProvider(CommerceApp.Now)) { Settings = settings };
        HttpClient As(User user) => limited.CreateBearerClient(Issuer.Issue(Token(user)));

        var busy = As(admin);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await busy.GetAsync("/api/customers?pageSize=1", Cancel));
        }

        var other = await As(operatorUser).GetAsync("/api/customers?pageSize=1", Cancel);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
        Assert.Equal("request.rate_limited", await CodeAsync(answers[2]));
        Assert.NotNull(answers[2].Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task ThePartnerCenterRefreshToken_IsKeptEncrypted_AndAnotherHostOfTheDatabaseReadsIt()
    {
        var store = App.Services.GetRequiredService<Csp.PartnerCenter.Api.RefreshTokenStore>();
        await store.SaveAsync("rotated-refresh-token-1", Cancel);
        await store.SaveAsync("rotated-refresh-token-2", Cancel);
        var stored = await App.WithDbAsync(db => db.StoredSecrets.SingleAsync(Cancel));

        await using var other = new CommerceApp(fixture.Database, new FakeTimeProvider(CommerceApp.Now));
        var read = await other.Services.GetRequiredService<Csp.PartnerCenter.Api.RefreshTokenStore>().LoadAsync(Cancel);

        Assert.Equal("rotated-refresh-token-2", read);
        Assert.Equal(Csp.Web.Data.ProtectedRefreshTokens.Name, stored.Name);
        Assert.DoesNotContain("rotated-refresh-token", stored.ProtectedValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDemoSignIn_ListsItsPeople_NeedsTheFormsAntiforgeryToken_AndSignsOut()
    {
        var customerUser = await DemoUserAsync(u => u.CustomerId != null);
        var client = App.CreateAnonymousClient();

        var page = await client.GetStringAsync("/signin", Cancel);
        var forged = await client.PostAsync("/signin/demo", new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = customerUser.Id.ToString() }), Cancel);
        var signedIn = await client.PostAsync("/signin/demo", Form(page, customerUser.Id), Cancel);
        var own = await client.GetAsync($"/api/customers/{customerUser.CustomerId}", Cancel);
        var list = await client.GetAsync("/api/customers", Cancel);
        var signedOut = await client.PostAsync("/signout", Form(await client.GetStringAsync("/signin", Cancel), null), Cancel);
        var after = await client.GetAsync($"/api/customers/{customerUser.CustomerId}", Cancel);

        Assert.Equal(3, Regex.Count(page, "Sign in as "));
        Assert.Equal((HttpStatusCode.BadRequest, "signin.refused"), (forged.StatusCode, await CodeAsync(forged)));
        Assert.Contains(customerUser.DisplayName, await signedIn.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (own.StatusCode, list.StatusCode));
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.required"), (after.StatusCode, await CodeAsync(after)));
    }

    [Fact]
    public async Task ASignInCookie_FromOneHost_IsGoodOnAnotherHostOfTheSameDatabase()
    {
        var customerUser = await DemoUserAsync(u => u.CustomerId != null);
        var client = App.CreateAnonymousClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        var page = await client.GetAsync("/signin", Cancel);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/signin/demo") { Content = Form(await page.Content.ReadAsStringAsync(Cancel), customerUser.Id) };
        signIn.Headers.Add("Cookie", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var signedIn = await client.SendAsync(signIn, Cancel);
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("csp_session=", StringComparison.Ordinal));

        await using var other = new CommerceApp(fixture.Database, new FakeTimeProvider(CommerceApp.Now));
        var elsewhere = other.CreateAnonymousClient(new() { HandleCookies = false });
        elsewhere.DefaultRequestHeaders.Add("Cookie", session.Split(';')[0]);
        var answer = await elsewhere.GetAsync($"/api/customers/{customerUser.CustomerId}", Cancel);
        var keys = await App.WithDbAsync(db => db.ProtectionKeys.CountAsync(Cancel));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(1, keys);
    }

    [Fact]
    public async Task ABrowser_SignsInWithMicrosoft_ThroughTheCodeFlow_AndAReplayedAnswerSignsNobodyIn()
    {
        var operatorUser = await DemoUserAsync(u => u.Role == AccessRole.Operations);
        var theirs = await App.WithDbAsync(db => db.Customers.CountAsync(c => c.PartnerId == operatorUser.PartnerId, Cancel));
        Issuer.Clock = App.Time.GetUtcNow;
        Issuer.NextSignIn = new(operatorUser.TenantId, operatorUser.ObjectId, "Oscar");
        var browser = App.CreateAnonymousClient(new() { HandleCookies = false, AllowAutoRedirect = false });

        var challenge = await browser.GetAsync("/signin/entra", Cancel);
        var atMicrosoft = challenge.Headers.Location!;
        var cookies = string.Join("; ", challenge.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var toIssuer = new HttpClient();
        var posted = await toIssuer.GetStringAsync(atMicrosoft, Cancel);
        var answer = new Dictionary<string, string>
        {
            ["code"] = Regex.Match(posted, "name=\"code\" value=\"([^\"]+)\"").Groups[1].Value,
            ["state"] = System.Net.WebUtility.HtmlDecode(Regex.Match(posted, "name=\"state\" value=\"([^\"]+)\"").Groups[1].Value),
        };
        var back = await PostAnswerAsync(browser, answer, cookies);
        var session = back.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("csp_session=", StringComparison.Ordinal)).Split(';')[0];
        var signedIn = App.CreateAnonymousClient(new() { HandleCookies = false });
        signedIn.DefaultRequestHeaders.Add("Cookie", session);
        var page = await signedIn.GetFromJsonAsync<JsonElement>("/api/customers?pageSize=200", Cancel);
        var replayed = await PostAnswerAsync(browser, answer, cookies);

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith($"{Issuer.Instance}organizations/oauth2/v2.0/authorize?", atMicrosoft.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge=", atMicrosoft.Query, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, "/signin"), (back.StatusCode, back.Headers.Location?.ToString()));
        Assert.Equal(theirs, page.GetProperty("totalCount").GetInt32());
        Assert.Equal((HttpStatusCode.Redirect, "/signin?failed=entra"), (replayed.StatusCode, replayed.Headers.Location?.ToString()));
        Assert.DoesNotContain(replayed.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("csp_session=", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> PostAnswerAsync(HttpClient browser, Dictionary<string, string> answer, string cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin-oidc") { Content = new FormUrlEncodedContent(answer) };
        request.Headers.Add("Cookie", cookies);
        return await browser.SendAsync(request, Cancel);
    }

    private static FormUrlEncodedContent Form(string page, Guid? user)
    {
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token) };
        if (user is { } id)
        {
            fields["user"] = id.ToString();
        }

        return new FormUrlEncodedContent(fields);
    }

    private LocalIssuer.Token Token(User user) => new(user.TenantId, user.ObjectId, App.Time.GetUtcNow());

    private HttpClient WithToken(LocalIssuer.Token token) => WithKey(Issuer.Issue(token));

    private HttpClient WithKey(string credential) => App.CreateBearerClient(credential);

    private Task<User> DemoUserAsync(Func<User, bool> which) =>
        App.WithDbAsync(async db => (await db.Users.Where(u => u.CreatedBy == "demo").ToListAsync(Cancel)).Single(which));

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString();
}

public sealed class SqliteSignInTests(SignInFixture<SqliteDatabase> fixture) : SignInTests<SqliteDatabase>(fixture);

public sealed class PostgresSignInTests(SignInFixture<PostgresDatabase> fixture) : SignInTests<PostgresDatabase>(fixture);
