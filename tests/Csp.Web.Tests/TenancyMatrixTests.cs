using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// The tenancy matrix: every route the host maps, asked by everyone who must not get through. Under <c>/api</c>, one test
/// per route of <see cref="RouteContractTable"/> (a route mapped without an entry fails
/// <see cref="RouteContractTests{TDatabase}.EveryRouteOfTheHost_HasAContract_AndEveryContractARoute"/>): no credentials is
/// 401 and a role without the route's permission 403, both before the body is read (a malformed one is sent); every role
/// gets what an admin gets from a route open to all; a customer user reaches its own customer on the routes open to it and gets 404 for any
/// other id and any other route. Another organisation's 404 for each id is in <see cref="RouteContractTests{TDatabase}"/>.
/// Outside <c>/api</c>, only the open routes exist: health, error pages, sign-in. On SQLite and PostgreSQL.
/// </summary>
public abstract class TenancyMatrixTests<TDatabase>(SignInFixture<TDatabase> fixture) : IClassFixture<SignInFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    /// <summary>The routes that answer without credentials, besides the API reference and the OpenAPI document.</summary>
    private static readonly string[] Open = ["GET /errors/{code}", "GET /health/live", "GET /health/ready", "GET /signin", "GET /signin/entra", "POST /signin/demo", "POST /signout"];

    private static readonly AccessRole[] Roles = [AccessRole.Operations, AccessRole.Billing, AccessRole.ReadOnly];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CommerceApp App => fixture.App;

    [Fact]
    public void OutsideTheApi_OnlyTheOpenRoutesExist() =>
        Assert.Equal(
            Open,
            HostRoutes.All(App.Services).Where(r => !r.Pattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && r.Method != "HEAD").Select(r => r.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RouteContractTable.Routes), MemberType = typeof(RouteContractTable))]
    public async Task Route_AnswersNobodyWithoutCredentials_NoRoleWithoutItsPermission_AndNoCustomerUserOutsideItsCustomer(string name)
    {
        var contract = RouteContractTable.Contracts[name];
        var route = Assert.Single(HostRoutes.All(App.Services), r => r.Name == name);
        var customerUser = await App.WithDbAsync(db => db.Users.SingleAsync(u => u.CreatedBy == "demo" && u.CustomerId != null, Cancel));
        var (subscription, sibling) = await App.WithDbAsync(async db => (
            // One a request for more seats is allowed on: in service, mid-term, well below its SKU's most.
            await db.Subscriptions.Where(s => s.CustomerId == customerUser.CustomerId && s.Status == Csp.Domain.Subscriptions.SubscriptionStatus.Active && s.Term != null && s.Quantity < 100)
                .OrderBy(s => s.Id).Select(s => new { s.Id, s.CatalogItemId, s.Quantity }).FirstAsync(Cancel),
            await db.Customers.Where(c => c.PartnerId == customerUser.PartnerId && c.Id != customerUser.CustomerId).Select(c => c.Id).FirstAsync(Cancel)));
        var subjects = new Dictionary<string, string>
        {
            ["customer"] = customerUser.CustomerId!.Value.ToString(),
            ["subscription"] = subscription.Id.ToString(),
            ["catalogItem"] = subscription.CatalogItemId,
            ["reconciliation"] = Guid.NewGuid().ToString(),
            ["usageImport"] = Guid.NewGuid().ToString(),
            ["apiKey"] = Guid.NewGuid().ToString(),
            ["user"] = Guid.NewGuid().ToString(),
            ["invoice"] = Guid.NewGuid().ToString(),
            ["draftInvoice"] = Guid.NewGuid().ToString(),
            ["partner"] = customerUser.PartnerId.ToString(),
            ["request"] = Guid.NewGuid().ToString(),
            ["sync"] = Guid.NewGuid().ToString(),
            ["seats1"] = $"{subscription.Quantity + 1}",
            ["seats2"] = $"{subscription.Quantity + 2}",
        };
        var path = HostRoutes.Path(route, subjects) + HostRoutes.Fill(contract.Query, subjects);

        // What the route says of itself is what the matrix holds it to.
        Assert.Equal(contract.Role, route.Metadata.GetMetadata<RequiredRole>()?.Role);
        Assert.Equal(contract.Customer, route.Metadata.GetMetadata<CustomerRoute>() is not null);

        var anonymous = await SendAsync(App.CreateAnonymousClient(), route, path, Malformed(route));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.required"), (anonymous.StatusCode, await CodeAsync(anonymous)));
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());

        var admin = contract.Role is null ? await SendAsync(App.CreateClient(), route, path, Ordinary(route, contract, subjects)) : null;
        foreach (var role in Roles)
        {
            var client = WithBearer(await fixture.KeyAsync(role));
            if (contract.Role is { } required && required != role)
            {
                var refused = await SendAsync(client, route, path, Malformed(route));
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{role}: {(int)refused.StatusCode}");
                Assert.Equal("auth.role_required", await CodeAsync(refused));
            }
            else if (contract.Role is null)
            {
                // Reads and previews change nothing: every role gets the answer an admin gets.
                var allowed = await SendAsync(client, route, path, Ordinary(route, contract, subjects));
                Assert.True(allowed.StatusCode == admin!.StatusCode && (int)admin.StatusCode is not (401 or 403), $"{role}: {(int)allowed.StatusCode}, admin: {(int)admin.StatusCode}");
            }
        }

        var customerClient = WithBearer(fixture.Issuer.Issue(new LocalIssuer.Token(customerUser.TenantId, customerUser.ObjectId, App.Time.GetUtcNow())));
        var asCustomer = await SendAsync(customerClient, route, path, contract.Role is null ? Ordinary(route, contract, subjects) : Malformed(route));
        Assert.Equal(contract.Customer ? contract.CustomerStatus ?? contract.Status : HttpStatusCode.NotFound, asCustomer.StatusCode);
        if (contract.Customer)
        {
            var elsewhere = await SendAsync(customerClient, route, HostRoutes.Path(route, new Dictionary<string, string>(subjects) { ["customer"] = sibling.ToString() }), null);
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        }
    }

    private HttpClient WithBearer(string credential) => App.CreateBearerClient(credential);

    /// <summary>A body that cannot be read, for a route with one: a refusal that comes first proves nothing was read.</summary>
    private static StringContent? Malformed(HostRoute route) =>
        route.Upload ? new StringContent("not,a\n\"file", Encoding.UTF8, "text/csv")
        : route.Method == "POST" ? HostRoutes.JsonBody("{ not json")
        : null;

    private static StringContent? Ordinary(HostRoute route, RouteContractTable.Contract contract, Dictionary<string, string> subjects) =>
        route.Method != "POST" || contract.Body is null ? null
        : HostRoutes.JsonBody(HostRoutes.Fill(contract.Body, subjects));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HostRoute route, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = content };
        if (route.Method == "POST")
        {
            request.Headers.Add(Idempotency.Header, Guid.NewGuid().ToString());
        }

        return await client.SendAsync(request, Cancel);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).TryGetProperty("code", out var code) ? code.GetString() : null;
}

public sealed class SqliteTenancyMatrixTests(SignInFixture<SqliteDatabase> fixture) : TenancyMatrixTests<SqliteDatabase>(fixture);

public sealed class PostgresTenancyMatrixTests(SignInFixture<PostgresDatabase> fixture) : TenancyMatrixTests<PostgresDatabase>(fixture);
