using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>Every endpoint over HTTP, on the demo data, run once on SQLite and once on PostgreSQL.</summary>
public abstract class ApiTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CommerceApp App => fixture.App;

    private static DateOnly Today => new(2026, 11, 26);

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_Endpoints_AreHealthy(string path)
    {
        var response = await App.CreateClient().GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Cancel));
    }

    // Every route the host maps under /api (read from its endpoints, not listed here) is in the OpenAPI document with its
    // method, and the document describes nothing the host does not map.
    [Fact]
    public async Task OpenApi_Document_DescribesEveryApiRoute()
    {
        using var document = JsonDocument.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json", Cancel));
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();
        var mapped = App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && route.StartsWith("/api/", StringComparison.Ordinal) && !route.StartsWith("/api/docs", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(method => $"{method} {System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, "{([A-Za-z]+):[^}]+}", "{$1}")}"))
            .ToHashSet();

        Assert.Contains("POST /api/subscriptions/{id}/seats/preview", mapped);
        Assert.Equal(mapped.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    // Browsers may not sniff, frame or refer from any answer, nor load anything into one but the reference page; and no
    // origin is allowed to read an answer (CORS closed).
    [Theory]
    [InlineData("/api/customers", true)]
    [InlineData("/api/subscriptions/00000000-0000-0000-0000-000000000001", true)]
    [InlineData("/health/live", true)]
    [InlineData("/api/docs/", false)]
    public async Task EveryAnswer_CarriesTheBrowserSecurityHeaders(string path, bool contentSecurityPolicy)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "https://evil.example");

        var response = await App.CreateClient().SendAsync(request, Cancel);

        Assert.Equal(("nosniff", "DENY", "no-referrer"), (Header(response, "X-Content-Type-Options"), Header(response, "X-Frame-Options"), Header(response, "Referrer-Policy")));
        Assert.Equal(contentSecurityPolicy ? "default-src 'none'; frame-ancestors 'none'" : null, Header(response, "Content-Security-Policy"));
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ApiReference_IsServedWithItsScriptFromTheHost()
    {
        var client = App.CreateClient();

        var page = await client.GetStringAsync("/api/docs/", Cancel);
        var script = await client.GetAsync("/api/docs/scalar.js", Cancel);

        Assert.Contains("CSP Commerce API", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task ListCustomers_Default_IsTheFirstPageOfAllSixtyDemoCustomers()
    {
        var page = await GetAsync<Paged<Customer>>("/api/customers");

        Assert.Equal((1, 25, 60), (page.Page, page.PageSize, page.TotalCount));
        Assert.Equal(25, page.Items.Count);
    }

    [Fact]
    public async Task ListCustomers_Pages_CoverEveryCustomerOnce()
    {
        var seen = new List<Guid>();
        for (var number = 1; number <= 3; number++)
        {
            seen.AddRange((await GetAsync<Paged<Customer>>($"/api/customers?page={number}&pageSize=25")).Items.Select(c => c.Id));
        }

        Assert.Equal(60, seen.Distinct().Count());
        Assert.Empty((await GetAsync<Paged<Customer>>("/api/customers?page=4&pageSize=25")).Items);
    }

    [Fact]
    public async Task ListCustomers_SortedByCountry_AscendsAndDescends()
    {
        var ascending = (await GetAsync<Paged<Customer>>("/api/customers?sort=country&pageSize=200")).Items.Select(c => c.Country).ToList();
        var descending = (await GetAsync<Paged<Customer>>("/api/customers?sort=-country&pageSize=200")).Items.Select(c => c.Country).ToList();

        Assert.Equal(ascending.Order(StringComparer.Ordinal), ascending);
        Assert.Equal(ascending.AsEnumerable().Reverse(), descending);
        Assert.True(ascending.Distinct().Count() >= 8);
    }

    [Fact]
    public async Task ListCustomers_SortedByNameBothWays_AreMirrorImages()
    {
        var ascending = (await GetAsync<Paged<Customer>>("/api/customers?sort=name&pageSize=200")).Items.Select(c => c.Name).ToList();
        var descending = (await GetAsync<Paged<Customer>>("/api/customers?sort=-name&pageSize=200")).Items.Select(c => c.Name).ToList();

        Assert.Equal(60, ascending.Count);
        Assert.Equal(ascending.First(), descending.Last());
        Assert.Equal(ascending.Last(), descending.First());
    }

    [Theory]
    [InlineData("TAILSPIN")]
    [InlineData("tailspin toys")]
    public async Task ListCustomers_SearchByName_IgnoresCase(string search)
    {
        var found = (await GetAsync<Paged<Customer>>($"/api/customers?search={Uri.EscapeDataString(search)}")).Items;

        Assert.NotEmpty(found);
        Assert.All(found, c => Assert.Contains("Tailspin Toys", c.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListCustomers_SearchByDomain_FindsWhatTheNameDoesNotContain()
    {
        var target = (await GetAsync<Paged<Customer>>("/api/customers?pageSize=1")).Items[0];
        var fragment = target.Domain.Split('.')[0][^8..];

        var found = (await GetAsync<Paged<Customer>>($"/api/customers?search={fragment}")).Items;

        Assert.Contains(found, c => c.Id == target.Id);
        Assert.All(found, c => Assert.Contains(fragment, c.Domain, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/customers?page=0", "page")]
    [InlineData("/api/customers?pageSize=1000", "pageSize")]
    [InlineData("/api/customers?sort=revenue", "sort")]
    [InlineData("/api/subscriptions?renewingBefore=2026-13-01", "renewingBefore")]
    [InlineData("/api/subscriptions?renewingBefore=next-week", "renewingBefore")]
    [InlineData("/api/subscriptions?page=-1", "page")]
    public async Task Lists_BadQueryValue_Are400ProblemsNamingTheParameter(string path, string parameter)
    {
        var response = await App.CreateClient().GetAsync(path, Cancel);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(Json, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(("request.invalid_parameter", parameter), (problem?.Code, problem?.Parameter));
        Assert.Contains(parameter, problem?.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCustomer_Known_IsTheCustomerWithItsSubscriptionCount()
    {
        var listed = (await GetAsync<Paged<Customer>>("/api/customers?pageSize=1")).Items[0];

        var customer = await GetAsync<Customer>($"/api/customers/{listed.Id}");

        Assert.Equal(listed, customer);
        Assert.Equal(await App.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.CustomerId == listed.Id, Cancel)), customer.SubscriptionCount);
    }

    [Theory]
    [InlineData("/api/customers/{0}", "customer.not_found")]
    [InlineData("/api/customers/{0}/subscriptions", "customer.not_found")]
    [InlineData("/api/subscriptions/{0}", "subscription.not_found")]
    public async Task Get_UnknownId_Is404ProblemWithACodeWhosePageIsServed(string template, string code)
    {
        var client = App.CreateClient();

        var response = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Guid.NewGuid()), Cancel);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(Json, Cancel);
        var page = await client.GetAsync(problem!.Type, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(code, problem.Code);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(code, await page.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        var response = await App.CreateClient().GetAsync("/api/nothing-here", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ListCustomerSubscriptions_AreExactlyThatCustomersSubscriptions()
    {
        var customer = (await GetAsync<Paged<Customer>>("/api/customers?pageSize=1")).Items[0];

        var subscriptions = await GetAsync<List<Subscription>>($"/api/customers/{customer.Id}/subscriptions");

        Assert.Equal(customer.SubscriptionCount, subscriptions.Count);
        Assert.All(subscriptions, s => Assert.Equal(customer.Id, s.CustomerId));
    }

    [Fact]
    public async Task GetSubscription_Demo_HasTheCalendarOfItsTerm()
    {
        var listed = (await GetAsync<Paged<Subscription>>($"/api/subscriptions?renewingBefore={Today.AddDays(60):yyyy-MM-dd}")).Items[0];

        var subscription = await GetAsync<Subscription>($"/api/subscriptions/{listed.Id}");
        var term = TermExtensions.ParseTerm(subscription.Term).Value;
        var schedule = NceCalendar.Schedule(subscription.TermStartDate, term, TermExtensions.ParseBillingPlan(subscription.BillingPlan, term).Value).Value;

        Assert.Equal(schedule.SubscriptionEndDate, subscription.TermEndDate);
        Assert.Equal(schedule.RenewalDate, subscription.RenewalDate);
        var cycle = schedule.CycleOn(Today)!.Value;
        Assert.Equal(new ChargeCycle(cycle.Start, cycle.End, cycle.Days), subscription.CurrentChargeCycle);
    }

    [Fact]
    public async Task GetSubscription_BoughtTwoDaysAgo_CanBeCancelledForFiveMoreDays()
    {
        var boughtAt = CommerceApp.Now.AddDays(-2);
        var id = await AddSubscriptionAsync(boughtAt, Term.P1Y, BillingPlan.Monthly, quantity: 12);

        var subscription = await GetAsync<Subscription>($"/api/subscriptions/{id}");

        Assert.Equal(boughtAt.AddHours(168), subscription.CancellationAllowedUntil);
        Assert.True(subscription.CanCancelNow);
        Assert.Equal(12, subscription.RefundableQuantity.TotalQuantity);
        Assert.Equal(new DateOnly(2027, 11, 23), subscription.TermEndDate);
        Assert.Equal(new ChargeCycle(new DateOnly(2026, 11, 24), new DateOnly(2026, 12, 23), 30), subscription.CurrentChargeCycle);
    }

    [Fact]
    public async Task GetSubscription_BoughtEightDaysAgo_CanNoLongerBeCancelled()
    {
        var id = await AddSubscriptionAsync(CommerceApp.Now.AddDays(-8), Term.P1M, BillingPlan.Monthly, quantity: 3);

        var subscription = await GetAsync<Subscription>($"/api/subscriptions/{id}");

        Assert.False(subscription.CanCancelNow);
        Assert.Equal(0, subscription.RefundableQuantity.TotalQuantity);
    }

    [Fact]
    public async Task ListSubscriptions_RenewingBefore_OnlyThoseInServiceRenewingEarlierSoonestFirst()
    {
        var before = Today.AddDays(30);

        var page = await GetAsync<Paged<Subscription>>($"/api/subscriptions?renewingBefore={before:yyyy-MM-dd}&pageSize=500");

        Assert.NotEmpty(page.Items);
        Assert.Equal(page.TotalCount, page.Items.Count);
        Assert.All(page.Items, s =>
        {
            Assert.True(s.RenewalDate < before);
            Assert.True(s.Status is "active" or "suspended", s.Status);
        });
        Assert.Equal(page.Items.Select(s => s.TermEndDate).Order(), page.Items.Select(s => s.TermEndDate));
        var all = await GetAsync<Paged<Subscription>>("/api/subscriptions?pageSize=500");
        Assert.Equal(
            all.Items.Count(s => s.RenewalDate < before && s.Status is "active" or "suspended"),
            page.TotalCount);
    }

    [Fact]
    public async Task OtherReseller_GetsNotFoundForThisResellersCustomerAndSubscriptions()
    {
        var (mine, theirs) = await TwoResellersAsync();
        var customer = (await GetAsync<Paged<Customer>>("/api/customers?pageSize=200")).Items.First(c => c.PartnerId == theirs);
        var subscription = (await GetAsync<List<Subscription>>($"/api/customers/{customer.Id}/subscriptions"))[0];
        var client = fixture.ActingAs(mine).CreateClient();

        foreach (var path in new[] { $"/api/customers/{customer.Id}", $"/api/customers/{customer.Id}/subscriptions", $"/api/subscriptions/{subscription.Id}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path, Cancel)).StatusCode);
        }
    }

    [Fact]
    public async Task OtherReseller_ListsOnlyItsOwnCustomersAndSubscriptions()
    {
        var (mine, _) = await TwoResellersAsync();
        var client = fixture.ActingAs(mine).CreateClient();

        var customers = await client.GetFromJsonAsync<Paged<Customer>>("/api/customers?pageSize=200", Json, Cancel);
        var subscriptions = await client.GetFromJsonAsync<Paged<Subscription>>("/api/subscriptions?pageSize=500", Json, Cancel);

        Assert.Equal(20, customers!.TotalCount);
        Assert.All(customers.Items, c => Assert.Equal(mine, c.PartnerId));
        Assert.NotEmpty(subscriptions!.Items);
        Assert.All(subscriptions.Items, s => Assert.Equal(mine, s.PartnerId));
    }

    private async Task<(Guid Mine, Guid Theirs)> TwoResellersAsync()
    {
        var resellers = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller).OrderBy(p => p.Name).Select(p => p.Id).ToListAsync(Cancel));
        return (resellers[0], resellers[1]);
    }

    private Task<Guid> AddSubscriptionAsync(DateTimeOffset boughtAt, Term term, BillingPlan plan, int quantity) =>
        App.WithDbAsync(async db =>
        {
            var customer = await db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel);
            var start = BillingClock.PartnerDay(boughtAt, "Europe/London");
            var subscription = new Csp.Data.Subscription(
                Guid.NewGuid(), customer.PartnerId, customer.Id, Guid.NewGuid(), "CFQ7TTC0LDPB", "0001", "CFQ7TTC0GZQJ",
                "Microsoft 365 Business Standard", term, plan, quantity, start, start, NceCalendar.EndDate(start, term), boughtAt,
                SubscriptionStatus.Active, EndOfTerm.Renew, true, 12.50m, customer.Currency, null, false);
            db.Subscriptions.Add(subscription);
            db.SubscriptionEvents.Add(SubscriptionEvent.Purchased(subscription, new Recorded(boughtAt, "test", Guid.NewGuid()), "purchased", quantity));
            await db.SaveChangesAsync(Cancel);
            return subscription.Id;
        });

    private async Task<T> GetAsync<T>(string path)
    {
        var response = await App.CreateClient().GetAsync(path, Cancel);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(Json, Cancel))!;
    }

    public sealed record Paged<T>(List<T> Items, int Page, int PageSize, int TotalCount);

    public sealed record Customer(Guid Id, Guid PartnerId, string PartnerName, Guid CustomerTenantId, string Name, string Domain, string Country, string Currency, int SubscriptionCount);

    public sealed record ChargeCycle(DateOnly Start, DateOnly End, int Days);

    public sealed record Refundable(int TotalQuantity);

    public sealed record Subscription(
        Guid Id, Guid CustomerId, Guid PartnerId, string? Term, string BillingPlan, string Status, DateOnly TermStartDate, DateOnly? TermEndDate,
        DateOnly? RenewalDate, ChargeCycle? CurrentChargeCycle, DateTimeOffset? CancellationAllowedUntil, bool CanCancelNow, Refundable RefundableQuantity);

    public sealed record Problem(string Type, string Title, int Status, string Code, string? Parameter);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}

public sealed class SqliteApiTests(DemoFixture<SqliteDatabase> fixture) : ApiTests<SqliteDatabase>(fixture);

public sealed class PostgresApiTests(DemoFixture<PostgresDatabase> fixture) : ApiTests<PostgresDatabase>(fixture);
