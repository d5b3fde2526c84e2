using System.Net;
using System.Text;
using System.Text.Json;
using Csp.Data;
using Csp.PartnerCenter.Files;
using Csp.Web.Http;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// The HTTP contract of every route under <c>/api</c> (<see cref="RouteContractTable"/>), one test per route on a copy of
/// the demo of its own, and a test that the host maps no route without a contract: an ordinary request answers the route's
/// status (a preview answers 200 even for an action it shows refused); every answer of 400 or more is a problem document
/// with a code and the code's page as its type; another reseller gets 404 <c>{resource}.not_found</c> for an id of the
/// owner's, and nothing else it is shown holds one of the owner's ids; a write under an Idempotency-Key needs the key,
/// replays its answer for the same key and refuses the key with another body; an upload of the same file again answers
/// the first import. On SQLite and PostgreSQL.
/// </summary>
public abstract class RouteContractTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    [Fact]
    public void EveryRouteOfTheHost_HasAContract_AndEveryContractARoute() =>
        Assert.Equal(
            RouteContractTable.Contracts.Keys.Order(StringComparer.Ordinal),
            HostRoutes.All(App.Services).Where(r => r.Pattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)).Select(r => r.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RouteContractTable.Routes), MemberType = typeof(RouteContractTable))]
    public async Task Route_KeepsItsContract_OfStatusProblemsPartnerScopeAndIdempotency(string name)
    {
        var contract = RouteContractTable.Contracts[name];
        var route = Assert.Single(HostRoutes.All(App.Services), r => r.Name == name);
        var mine = await RouteSubjectsAsync(imports: name.Contains("/reconciliations/{", StringComparison.Ordinal) || name.Contains("/usage-imports/{", StringComparison.Ordinal) || name.Contains("/api-keys/{", StringComparison.Ordinal) || name.Contains("/users/{", StringComparison.Ordinal) || name.Contains("/invoices/", StringComparison.Ordinal));
        var owner = await App.WithDbAsync(db => db.Customers.Where(c => c.Id == Guid.Parse(mine["customer"])).Select(c => c.PartnerId).SingleAsync(Cancel));
        var other = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller && p.Id != owner).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(Cancel));
        await using var asOther = new CommerceApp(Database, Time, other);
        var path = HostRoutes.Path(route, mine) + HostRoutes.Fill(contract.Query, mine);

        // Partner scope, first, so that the owner's request has not changed anything yet.
        var theirs = await SendAsync(asOther.CreateClient(), route, path, contract, mine, Guid.NewGuid().ToString());

        // The ordinary request, and a retry of it.
        var key = Guid.NewGuid().ToString();
        var answer = await SendAsync(App.CreateClient(), route, path, contract, mine, key);
        var again = await SendAsync(App.CreateClient(), route, path, contract, mine, contract.Writes == RouteContractTable.Writes.UnderKey ? key : null);

        if (contract.Resource is { } resource)
        {
            Assert.Equal((HttpStatusCode.NotFound, $"{resource}.not_found"), (theirs.Status, theirs.Code));
        }
        else
        {
            Assert.True((int)theirs.Status < 500, $"another reseller got {(int)theirs.Status}");
            Assert.DoesNotContain(mine["subscription"], theirs.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(mine["customer"], theirs.Text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(answer.Status == contract.Status, $"answered {(int)answer.Status} {answer.Code}, not {(int)contract.Status}: {answer.Text[..Math.Min(300, answer.Text.Length)]}");
        Assert.All(new[] { theirs, answer, again }.Where(a => (int)a.Status >= 400), a => Assert.True(
            a.IsProblem && a.Code is { Length: > 0 } && a.Type == ErrorResults.TypeOf(a.Code), $"{(int)a.Status} is not a problem document with a code and its page: {a.Text[..Math.Min(200, a.Text.Length)]}"));
        switch (contract.Writes)
        {
            case RouteContractTable.Writes.UnderKey:
                var without = await SendAsync(App.CreateClient(), route, path, contract, mine, key: null);
                Assert.Equal((answer.Status, true, answer.Text), (again.Status, again.Replayed, again.Text));
                Assert.Equal((HttpStatusCode.BadRequest, "idempotency.key_required"), (without.Status, without.Code));

                // A route without a body (an approval) has no other request to send under the same key.
                if (contract.OtherBody is not null)
                {
                    var reused = await SendAsync(App.CreateClient(), route, path, contract with { Body = contract.OtherBody }, mine, key);
                    Assert.Equal((HttpStatusCode.UnprocessableEntity, "idempotency.key_reused"), (reused.Status, reused.Code));
                }

                break;
            case RouteContractTable.Writes.ByContent:
                Assert.Equal((HttpStatusCode.OK, Id(answer)), (again.Status, Id(again)));
                break;
            case RouteContractTable.Writes.Repeatable:
                Assert.Equal(answer.Status, again.Status);
                break;
            case RouteContractTable.Writes.Once:
                Assert.Equal((answer.Status, false), (again.Status, again.Replayed));
                Assert.NotEqual(answer.Text, again.Text);
                break;
            default:
                Assert.Equal((answer.Status, false), (again.Status, again.Replayed));
                break;
        }
    }

    private static string? Id(Answer answer) =>
        answer.IsJson && JsonDocument.Parse(answer.Text).RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;

    private sealed record Answer(HttpStatusCode Status, string Text, bool IsJson, bool IsProblem, string? Code, string? Type, bool Replayed);

    /// <summary>The route's ordinary request, under <paramref name="key"/> (none when null).</summary>
    private async Task<Answer> SendAsync(HttpClient client, HostRoute route, string path, RouteContractTable.Contract contract, IReadOnlyDictionary<string, string> subjects, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = await ContentAsync(contract.Body, subjects) };
        if (key is not null && route.Method == "POST")
        {
            request.Headers.Add(Idempotency.Header, key);
        }

        using var response = await client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        var media = response.Content.Headers.ContentType?.MediaType;
        var problem = media == "application/problem+json";
        var document = problem ? JsonDocument.Parse(text).RootElement : default;
        return new Answer(
            response.StatusCode,
            text,
            media is "application/json" or "application/problem+json",
            problem,
            problem && document.TryGetProperty("code", out var code) ? code.GetString() : null,
            problem && document.TryGetProperty("type", out var type) ? type.GetString() : null,
            response.Headers.Contains(Idempotency.ReplayedHeader));
    }

    /// <summary>The body: JSON with the subjects filled in; October's shadow invoice as Microsoft's reconciliation file; a day of Azure usage.</summary>
    private async Task<HttpContent?> ContentAsync(string? body, IReadOnlyDictionary<string, string> subjects)
    {
        switch (body)
        {
            case null:
                return null;
            case "file:reconciliation":
                return new StringContent(await App.CreateClient().GetStringAsync("/api/shadow-invoice?month=2026-10", Cancel), Encoding.UTF8, "text/csv");
            case "file:usage":
                var row = DailyRatedUsageFile.Columns.Select(c => c switch
                {
                    "CustomerId" => "5f0c3b1e-8a4d-4c55-9b0e-2f3d6a7b8c9d",
                    "SubscriptionId" => "0d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
                    "UsageDate" => "11/03/2026",
                    "Quantity" => "3",
                    "BillingPreTaxTotal" => "4.5",
                    _ => "",
                });
                return new StringContent(string.Join(',', DailyRatedUsageFile.Columns) + "\n" + string.Join(',', row), Encoding.UTF8, "text/csv");
            default:
                return HostRoutes.JsonBody(HostRoutes.Fill(body, subjects));
        }
    }
}

public sealed class SqliteRouteContractTests : RouteContractTests<SqliteDatabase>;

public sealed class PostgresRouteContractTests : RouteContractTests<PostgresDatabase>;

/// <summary>The contract of every route under <c>/api</c>: what <see cref="RouteContractTests{TDatabase}"/> holds each to.</summary>
public static class RouteContractTable
{
    /// <summary>How a route changes something, and so what makes a retry safe.</summary>
    public enum Writes
    {
        /// <summary>Reads, previews: nothing to make safe.</summary>
        Nothing,

        /// <summary>Under the request's Idempotency-Key.</summary>
        UnderKey,

        /// <summary>An import, whose file's content is its key.</summary>
        ByContent,

        /// <summary>Doing it twice is doing it once: Partner Center's state read again, a key revoked again.</summary>
        Repeatable,

        /// <summary>A new thing each time, whose answer is not kept to replay: an API key, shown once.</summary>
        Once,
    }

    /// <param name="Status">The answer to the ordinary request, by the owner.</param>
    /// <param name="Body">The ordinary request's body: JSON with {subscription}, {customer}, {catalogItem}, {tenant} (the owner's Entra tenant) and {reseller} (a reseller below it) filled in, or a file named <c>file:</c>.</param>
    /// <param name="OtherBody">Another ordinary body, for the same Idempotency-Key: refused.</param>
    /// <param name="Query">The ordinary request's query string.</param>
    /// <param name="Resource">What the route's id names, in its 404 code.</param>
    /// <param name="Role">The role the route needs (admin holds every role); null when every role may call it.</param>
    /// <param name="Customer">A customer's own users may call it, for their customer.</param>
    /// <param name="CustomerStatus">The answer to a customer's user's ordinary request, when not <paramref name="Status"/>: a request is theirs to send.</param>
    public sealed record Contract(
        HttpStatusCode Status, Writes Writes = Writes.Nothing, string? Body = null, string? OtherBody = null, string Query = "", string? Resource = null, AccessRole? Role = null, bool Customer = false,
        HttpStatusCode? CustomerStatus = null);

    public static readonly Dictionary<string, Contract> Contracts = new()
    {
        ["GET /api/access-events"] = new(HttpStatusCode.OK, Query: "?kind=keyCreated&limit=5", Role: AccessRole.Admin),
        ["GET /api/alerts"] = new(HttpStatusCode.OK),

        ["GET /api/branding"] = new(HttpStatusCode.OK),
        ["POST /api/branding"] = new(
            HttpStatusCode.OK, Writes.Repeatable, """{"displayName":"Northwind Cloud","addressLines":["1 Harbour Road","Dublin"],"primaryColour":"#0F6CBD"}""", Role: AccessRole.Admin),
        ["GET /api/invoices/{id:guid}/pdf"] = new(HttpStatusCode.OK, Resource: "invoice"),
        ["GET /api/invoices/{id:guid}/lines.csv"] = new(HttpStatusCode.OK, Resource: "invoice"),
        ["GET /api/invoices/{id:guid}/lines.xlsx"] = new(HttpStatusCode.OK, Resource: "invoice"),
        ["GET /api/journal"] = new(HttpStatusCode.OK, Query: "?from=2026-11&format=xlsx"),
        ["GET /api/billing-runs"] = new(HttpStatusCode.OK, Query: "?month=2026-11"),
        ["POST /api/billing-runs"] = new(HttpStatusCode.OK, Writes.UnderKey, BillingRun("2026-11"), BillingRun("2026-10"), Role: AccessRole.Billing),
        ["POST /api/billing-runs/preview"] = new(HttpStatusCode.OK, Body: BillingRun("2026-11")),
        ["POST /api/billing-runs/rerate"] = new(HttpStatusCode.OK, Writes.UnderKey, BillingRun("2026-11"), BillingRun("2026-10"), Role: AccessRole.Billing),
        ["POST /api/billing-runs/rerate/preview"] = new(HttpStatusCode.OK, Body: BillingRun("2026-11")),
        ["POST /api/customers/{id:guid}/invoice-currency"] = new(HttpStatusCode.OK, Writes.Repeatable, """{"currency":"EUR"}""", Resource: "customer", Role: AccessRole.Billing),
        ["POST /api/customers/{id:guid}/invoice-items"] = new(
            HttpStatusCode.OK,
            Writes.UnderKey,
            """{"month":"2026-11","description":"Onboarding workshop","quantity":2,"unitPrice":450,"unitCost":300}""",
            """{"month":"2026-11","description":"Onboarding workshop","quantity":3,"unitPrice":450,"unitCost":300}""",
            Resource: "customer",
            Role: AccessRole.Billing),
        ["POST /api/customers/{id:guid}/tax"] = new(HttpStatusCode.OK, Writes.Repeatable, """{"taxId":"NL123456789B01","reverseCharge":true}""", Resource: "customer", Role: AccessRole.Billing),
        ["GET /api/invoices"] = new(HttpStatusCode.OK, Query: "?month=2026-11&status=draft"),
        ["GET /api/invoices/preview"] = new(HttpStatusCode.OK, Query: "?customerId={customer}&month=2026-11", Resource: "customer"),
        ["GET /api/invoices/{id:guid}"] = new(HttpStatusCode.OK, Resource: "invoice"),
        ["POST /api/invoices/{id:guid}/credit"] = new(HttpStatusCode.OK, Writes.UnderKey, """{"allLines":true}""", """{"allLines":false,"lineIds":[]}""", Resource: "invoice", Role: AccessRole.Billing),
        ["POST /api/invoices/{id:guid}/issue"] = new(HttpStatusCode.OK, Writes.UnderKey, """{"dueInDays":30}""", """{"dueInDays":14}""", Resource: "invoice", Role: AccessRole.Billing),
        ["POST /api/invoices/{id:guid}/pay"] = new(HttpStatusCode.OK, Writes.UnderKey, """{"paidOn":"2026-11-26"}""", """{"paidOn":"2026-11-25"}""", Resource: "invoice", Role: AccessRole.Billing),
        ["GET /api/price-lists"] = new(HttpStatusCode.OK, Query: "?month=2026-11&market=GB"),
        ["GET /api/price-lists/changes"] = new(HttpStatusCode.OK, Query: "?from=2026-03&to=2026-04&currency=EUR"),
        ["GET /api/margin-rules"] = new(HttpStatusCode.OK, Query: "?level=business"),
        ["POST /api/margin-rules"] = new(
            HttpStatusCode.OK, Writes.UnderKey, MarginRule("25"), MarginRule("30"), Role: AccessRole.Billing),
        ["GET /api/margins"] = new(HttpStatusCode.OK, Query: "?from=2026-11&by=product"),
        ["GET /api/exchange-rates"] = new(HttpStatusCode.OK, Query: "?from=USD&to=EUR"),
        ["POST /api/exchange-rates"] = new(
            HttpStatusCode.OK,
            Writes.UnderKey,
            """{"rates":[{"from":"USD","to":"EUR","rate":0.9231,"effectiveFrom":"2026-11-01"}],"source":"ECB"}""",
            """{"rates":[{"from":"USD","to":"EUR","rate":0.9102,"effectiveFrom":"2026-11-01"}]}""",
            Role: AccessRole.Billing),
        ["GET /api/tax-rates"] = new(HttpStatusCode.OK),
        ["POST /api/tax-rates"] = new(
            HttpStatusCode.OK, Writes.UnderKey, """{"country":"NL","percent":21,"effectiveFrom":"2027-01-01"}""", """{"country":"NL","percent":9,"effectiveFrom":"2027-01-01"}""", Role: AccessRole.Billing),

        ["GET /api/api-keys"] = new(HttpStatusCode.OK, Role: AccessRole.Admin),
        ["POST /api/api-keys"] = new(HttpStatusCode.Created, Writes.Once, """{"name":"nightly export","role":"billing"}""", Role: AccessRole.Admin),
        ["POST /api/api-keys/{id:guid}/revoke"] = new(HttpStatusCode.OK, Writes.Repeatable, Resource: "api_key", Role: AccessRole.Admin),
        ["GET /api/customers"] = new(HttpStatusCode.OK),

        ["GET /api/customers/{id:guid}"] = new(HttpStatusCode.OK, Resource: "customer", Customer: true),
        ["GET /api/customers/{id:guid}/audit"] = new(HttpStatusCode.OK, Resource: "customer"),

        ["GET /api/customers/{id:guid}/subscriptions"] = new(HttpStatusCode.OK, Resource: "customer", Customer: true),
        ["GET /api/customers/{id:guid}/requests"] = new(HttpStatusCode.OK, Resource: "customer", Customer: true),

        // The seller's staff may preview what its customer would ask, but only the customer's users send requests.
        ["POST /api/customers/{id:guid}/requests"] = new(
            HttpStatusCode.Conflict, Writes.UnderKey, SeatRequest(1), SeatRequest(2), Resource: "customer", Customer: true, CustomerStatus: HttpStatusCode.OK),
        ["POST /api/customers/{id:guid}/requests/preview"] = new(HttpStatusCode.OK, Body: SeatRequest(1), Resource: "customer", Customer: true),
        ["GET /api/requests"] = new(HttpStatusCode.OK, Query: "?status=all"),
        ["POST /api/requests/{id:guid}/approve"] = new(HttpStatusCode.OK, Writes.UnderKey, Resource: "request", Role: AccessRole.Operations),
        ["POST /api/requests/{id:guid}/approve/preview"] = new(HttpStatusCode.OK, Resource: "request"),
        ["POST /api/requests/{id:guid}/refuse"] = new(
            HttpStatusCode.OK, Writes.UnderKey, """{"reason":"a word with your account manager first"}""", """{"reason":"not this month"}""", Resource: "request", Role: AccessRole.Operations),
        ["POST /api/customers/{id:guid}/subscriptions"] = new(
            HttpStatusCode.OK, Writes.UnderKey, Order(1), Order(2), Resource: "customer", Role: AccessRole.Operations),
        ["POST /api/customers/{id:guid}/subscriptions/preview"] = new(HttpStatusCode.OK, Body: Order(1), Resource: "customer"),

        ["GET /api/partner-center/changes"] = new(HttpStatusCode.OK),

        ["POST /api/partner-center/sync"] = new(HttpStatusCode.OK, Writes.Repeatable, Role: AccessRole.Operations),
        ["POST /api/partner-center/syncs"] = new(HttpStatusCode.Accepted, Writes.Repeatable, Role: AccessRole.Operations),
        ["GET /api/partner-center/syncs"] = new(HttpStatusCode.OK, Query: "?limit=5"),
        ["GET /api/partner-center/syncs/{id:guid}"] = new(HttpStatusCode.OK, Resource: "sync"),
        ["GET /api/reconciliations/{id:guid}"] = new(HttpStatusCode.OK, Resource: "reconciliation"),

        ["GET /api/reconciliations/{id:guid}/lines"] = new(HttpStatusCode.OK, Resource: "reconciliation"),

        ["GET /api/reconciliations/{id:guid}/lines.csv"] = new(HttpStatusCode.OK, Resource: "reconciliation"),

        ["POST /api/reconciliations"] = new(HttpStatusCode.Created, Writes.ByContent, "file:reconciliation", Query: "?fileName=october.csv&month=2026-10", Role: AccessRole.Billing),
        ["GET /api/renewals"] = new(HttpStatusCode.OK),

        ["GET /api/renewals.ics"] = new(HttpStatusCode.OK),

        ["POST /api/renewals/end-of-term"] = new(
            HttpStatusCode.OK, Writes.UnderKey, Bulk("cancel"), Bulk("est"), Role: AccessRole.Operations),
        ["POST /api/renewals/end-of-term/preview"] = new(HttpStatusCode.OK, Body: Bulk("cancel")),

        ["GET /api/renewals/est-risk"] = new(HttpStatusCode.OK),

        ["GET /api/shadow-invoice"] = new(HttpStatusCode.OK, Query: "?month=2026-11"),

        ["GET /api/subscriptions"] = new(HttpStatusCode.OK),

        ["GET /api/subscriptions/{id:guid}"] = new(HttpStatusCode.OK, Resource: "subscription"),

        ["GET /api/subscriptions/{id:guid}/audit"] = new(HttpStatusCode.OK, Resource: "subscription"),

        ["GET /api/subscriptions/{id:guid}/end-of-term"] = new(HttpStatusCode.OK, Resource: "subscription"),

        ["GET /api/subscriptions/{id:guid}/upgrades"] = new(HttpStatusCode.OK, Resource: "subscription"),

        ["POST /api/subscriptions/{id:guid}/billing-plan"] = new(
            HttpStatusCode.Conflict, Writes.UnderKey, """{"billingPlan":"annual"}""", """{"billingPlan":"triennial"}""", Resource: "subscription", Role: AccessRole.Operations),
        ["POST /api/subscriptions/{id:guid}/billing-plan/preview"] = new(HttpStatusCode.OK, Body: """{"billingPlan":"annual"}""", Resource: "subscription"),

        ["POST /api/subscriptions/{id:guid}/cancel"] = new(
            HttpStatusCode.OK, Writes.UnderKey, """{"reason":"ordered by mistake"}""", """{"reason":"other"}""", Resource: "subscription", Role: AccessRole.Operations),
        ["POST /api/subscriptions/{id:guid}/cancel/preview"] = new(HttpStatusCode.OK, Body: "{}", Resource: "subscription"),

        ["POST /api/subscriptions/{id:guid}/end-of-term"] = new(
            HttpStatusCode.OK, Writes.UnderKey, """{"choice":"cancel"}""", """{"choice":"est"}""", Resource: "subscription", Role: AccessRole.Operations),
        ["POST /api/subscriptions/{id:guid}/end-of-term/preview"] = new(HttpStatusCode.OK, Body: """{"choice":"cancel"}""", Resource: "subscription"),

        ["POST /api/subscriptions/{id:guid}/reactivate"] = new(
            HttpStatusCode.Conflict, Writes.UnderKey, "{}", """{"reason":"paid"}""", Resource: "subscription", Role: AccessRole.Operations),
        ["POST /api/subscriptions/{id:guid}/reactivate/preview"] = new(HttpStatusCode.OK, Body: "{}", Resource: "subscription"),

        ["POST /api/subscriptions/{id:guid}/seats"] = new(
            HttpStatusCode.OK, Writes.UnderKey, """{"quantity":5}""", """{"quantity":6}""", Resource: "subscription", Role: AccessRole.Operations),
        ["POST /api/subscriptions/{id:guid}/seats/preview"] = new(HttpStatusCode.OK, Body: """{"quantity":5}""", Resource: "subscription"),

        ["POST /api/subscriptions/{id:guid}/suspend"] = new(
            HttpStatusCode.OK, Writes.UnderKey, """{"reason":"unpaid"}""", """{"reason":"other"}""", Resource: "subscription", Role: AccessRole.Operations),
        ["POST /api/subscriptions/{id:guid}/suspend/preview"] = new(HttpStatusCode.OK, Body: "{}", Resource: "subscription"),

        ["POST /api/subscriptions/{id:guid}/upgrade"] = new(
            HttpStatusCode.Conflict, Writes.UnderKey, """{"toCatalogItemId":"{catalogItem}"}""", """{"toCatalogItemId":"{catalogItem}","quantity":1}""", Resource: "subscription", Role: AccessRole.Operations),
        ["POST /api/subscriptions/{id:guid}/upgrade/preview"] = new(HttpStatusCode.OK, Body: """{"toCatalogItemId":"{catalogItem}"}""", Resource: "subscription"),

        ["GET /api/partner-tenants"] = new(HttpStatusCode.OK, Role: AccessRole.Admin),
        ["POST /api/partner-tenants"] = new(
            HttpStatusCode.OK, Writes.Repeatable, """{"partnerId":"{reseller}","tenantId":"7e1a0c2b-5d4f-4e3a-9b8c-1d2e3f4a5b6c"}""", Role: AccessRole.Admin),
        ["GET /api/users"] = new(HttpStatusCode.OK, Role: AccessRole.Admin),
        ["POST /api/users"] = new(
            HttpStatusCode.OK, Writes.Repeatable, """{"tenantId":"{tenant}","objectId":"3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f","displayName":"Pat Billing","role":"billing"}""", Role: AccessRole.Admin),
        ["POST /api/users/{id:guid}/remove"] = new(HttpStatusCode.OK, Writes.Repeatable, Resource: "user", Role: AccessRole.Admin),
        ["POST /api/usage-imports"] = new(HttpStatusCode.Created, Writes.ByContent, "file:usage", Query: "?fileName=usage.csv", Role: AccessRole.Billing),
        ["GET /api/usage-imports/{id:guid}"] = new(HttpStatusCode.OK, Resource: "usage_import"),

    };

    /// <summary>Every route the contracts name, one test each.</summary>
    public static TheoryData<string> Routes() => [.. Contracts.Keys.Order(StringComparer.Ordinal)];

    /// <summary>A customer's request for seats: as many as {subscription} has and <paramref name="more"/> besides.</summary>
    private static string SeatRequest(int more) => $$"""{"subscriptionId":"{subscription}","kind":"seats","quantity":{seats{{more}}},"note":"for the new starters"}""";

    private static string Order(int quantity) => $$"""{"catalogItemId":"{catalogItem}","term":"P1Y","billingPlan":"monthly","quantity":{{quantity}}}""";

    private static string BillingRun(string month) => $$"""{"partnerId":"{partner}","month":"{{month}}"}""";

    private static string MarginRule(string percent) =>
        $$"""{"level":"customer","target":"{customer}","method":"markup","percent":{{percent}},"ceilingAtList":false,"promotions":"passOn","effectiveFrom":"2026-12-01"}""";

    private static string Bulk(string choice) => $$$"""{"choice":"{{{choice}}}","filter":{"subscriptionIds":["{subscription}"]}}""";
}
