using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Csp.PartnerCenter.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>
/// Every error the host answers is a problem document with a stable code and the platform's own words — for a wrong route,
/// method, media type, size or value, and for a failure of the host itself — and the demo's outputs carry what they should.
/// </summary>
public abstract class ErrorAnswersTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static readonly string[] NamedColumns = ["CustomerName", "CustomerDomainName", "CustomerCountry", "SkuName", "OrderId"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<Guid> SubscriptionAsync() =>
        await fixture.App.WithDbAsync(db => db.Subscriptions.Where(s => s.Term != null).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync(Cancel));

    private static async Task<(HttpStatusCode Status, string? Code, string? Parameter, string Title)> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return (response.StatusCode, problem.GetProperty("code").GetString(), problem.TryGetProperty("parameter", out var p) ? p.GetString() : null, problem.GetProperty("title").GetString()!);
    }

    [Fact]
    public async Task Route_WithAnIdOfTheWrongShape_Is404WithACode()
    {
        var answer = await ProblemAsync(await fixture.App.CreateClient().GetAsync("/api/subscriptions/42", Cancel));

        Assert.Equal((HttpStatusCode.NotFound, "route.not_found"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task Method_TheRouteDoesNotTake_Is405WithACode()
    {
        var answer = await ProblemAsync(await fixture.App.CreateClient().GetAsync($"/api/subscriptions/{await SubscriptionAsync()}/seats", Cancel));

        Assert.Equal((HttpStatusCode.MethodNotAllowed, "request.method_not_allowed"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task Body_OfAnotherMediaType_Is415WithACode()
    {
        var answer = await ProblemAsync(await fixture.App.CreateClient().PostAsync(
            $"/api/subscriptions/{await SubscriptionAsync()}/seats/preview", new StringContent("quantity=3", Encoding.UTF8, "text/plain"), Cancel));

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type", "Content-Type"), (answer.Status, answer.Code, answer.Parameter));
    }

    [Fact]
    public async Task Body_OverItsLimit_Is413BeforeItIsRead()
    {
        var body = $"{{\"quantity\":3,\"padding\":\"{new string('x', 2 << 20)}\"}}";

        var answer = await ProblemAsync(await fixture.App.CreateClient().PostAsync($"/api/subscriptions/{await SubscriptionAsync()}/seats/preview", new StringContent(body, Encoding.UTF8, "application/json"), Cancel));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "request.too_large"), (answer.Status, answer.Code));
        Assert.Contains("at most 1 MiB", answer.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_AndHeaders_OverTheirLimits_Are414And431WithACode()
    {
        using var headers = new HttpRequestMessage(HttpMethod.Get, "/api/customers");
        headers.Headers.Add("X-Padding", new string('x', 40_000));

        var address = await ProblemAsync(await fixture.App.CreateClient().GetAsync($"/api/customers?search={new string('x', 9000)}", Cancel));
        var header = await ProblemAsync(await fixture.App.CreateClient().SendAsync(headers, Cancel));

        Assert.Equal((HttpStatusCode.RequestUriTooLong, "request.too_large"), (address.Status, address.Code));
        Assert.Equal((HttpStatusCode.RequestHeaderFieldsTooLarge, "request.too_large"), (header.Status, header.Code));
    }

    [Fact]
    public async Task Query_WithAControlCharacter_Is400NamingIt()
    {
        var answer = await ProblemAsync(await fixture.App.CreateClient().GetAsync("/api/customers?search=a%00b", Cancel));

        Assert.Equal((HttpStatusCode.BadRequest, "request.invalid_parameter", "search"), (answer.Status, answer.Code, answer.Parameter));
    }

    [Theory]
    [InlineData("/api/subscriptions?renewingBefore=0001-01-01", "renewingBefore")]
    [InlineData("/api/renewals?from=9999-12-31", "from")]
    [InlineData("/api/shadow-invoice?month=9999-10", "month")]
    [InlineData("/api/shadow-invoice?month=5000-01", "month")]
    [InlineData("/api/shadow-invoice?month=2019-01", "month")]
    [InlineData("/api/subscriptions?page=99999999", "page")]
    [InlineData("/api/customers?page=99999999", "page")]
    [InlineData("/api/partner-center/changes?before=abc", "before")]
    [InlineData("/api/partner-center/changes?drift=maybe", "drift")]
    [InlineData("/api/alerts?kind=3", "kind")]
    public async Task Query_AtTheEndsOfTheCalendarOrOverflowing_Is400NamingTheParameterAtOnce(string path, string parameter)
    {
        var clock = Stopwatch.StartNew();
        var answer = await ProblemAsync(await fixture.App.CreateClient().GetAsync(path, Cancel));

        Assert.Equal((HttpStatusCode.BadRequest, "request.invalid_parameter", parameter), (answer.Status, answer.Code, answer.Parameter));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed} to refuse");
    }

    [Fact]
    public async Task BulkEndOfTerm_WithMoreIdsThanItTakes_Is400NamingThem()
    {
        var body = new { choice = "cancel", filter = new { subscriptionIds = Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid()).ToList() } };

        var answer = await ProblemAsync(await fixture.App.CreateClient().PostAsJsonAsync("/api/renewals/end-of-term/preview", body, Cancel));

        Assert.Equal((HttpStatusCode.BadRequest, "request.invalid_parameter", "filter.subscriptionIds"), (answer.Status, answer.Code, answer.Parameter));
    }

    [Fact]
    public async Task EndOfTerm_OfATermThatHasEnded_SaysSoNotThatItIsBilledByUsage()
    {
        var ended = await fixture.App.WithDbAsync(db => db.Subscriptions.Where(s => s.Term != null && s.TermEndDate < new DateOnly(2026, 11, 26)).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync(Cancel));

        var answer = await ProblemAsync(await fixture.App.CreateClient().GetAsync($"/api/subscriptions/{ended}/end-of-term", Cancel));

        Assert.Equal((HttpStatusCode.Conflict, "subscription.term_ended"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task ShadowInvoice_NamesTheCustomerTheSkuAndTheOrderOnEveryLine()
    {
        var csv = await fixture.App.CreateClient().GetStringAsync("/api/shadow-invoice?month=2026-11", Cancel);

        var lines = InvoiceReconFile.Read(new StringReader(csv), "shadow.csv").ToList();

        Assert.NotEmpty(lines);
        Assert.All(lines, l =>
        {
            foreach (var column in NamedColumns)
            {
                Assert.False(string.IsNullOrEmpty(l.OtherColumns.GetValueOrDefault(column)), $"{column} is blank on line {l.LineNumber}");
            }
        });
    }

    [Fact]
    public async Task Outputs_OfANameWithAFormulaOrControlCharacters_AreNeutralisedAndEscaped()
    {
        // A name as sync may bring it from Partner Center, where nothing stops a control character.
        var (customer, name) = await fixture.App.WithDbAsync(async db =>
        {
            var renewing = await db.Subscriptions.Where(s => s.Term != null && s.TermEndDate >= new DateOnly(2026, 11, 26) && s.TermEndDate <= new DateOnly(2026, 12, 20)).OrderBy(s => s.Id).FirstAsync(Cancel);
            var held = await db.Customers.Where(c => c.Id == renewing.CustomerId).Select(c => c.Name).SingleAsync(Cancel);
            await db.Customers.Where(c => c.Id == renewing.CustomerId).ExecuteUpdateAsync(c => c.SetProperty(x => x.Name, "=HYPERLINK(\"http://evil\")\u0007\u001b"), Cancel);
            return (renewing.CustomerId, held);
        });
        try
        {
            var ics = await fixture.App.CreateClient().GetStringAsync("/api/renewals.ics", Cancel);
            var csv = await fixture.App.CreateClient().GetStringAsync("/api/shadow-invoice?month=2026-11", Cancel);

            Assert.Contains("HYPERLINK", ics, StringComparison.Ordinal);
            Assert.DoesNotContain(ics.Replace("\r\n", "", StringComparison.Ordinal), c => char.IsControl(c));
            Assert.Contains("'=HYPERLINK", csv, StringComparison.Ordinal);
            Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.App.WithDbAsync(db => db.Customers.Where(c => c.Id == customer).ExecuteUpdateAsync(c => c.SetProperty(x => x.Name, name), Cancel));
        }
    }

    [Fact]
    public async Task UsageFile_WithAnAmountBeyondATrillion_Is400NamingTheLine()
    {
        var file = UsageFile(("11/02/2026", Guid.NewGuid(), "2.5"), ("11/02/2026", Guid.NewGuid(), "79228162514264337593543950335"));

        var answer = await ProblemAsync(await fixture.App.CreateClient().PostAsync("/api/usage-imports?fileName=huge.csv", new StringContent(file, Encoding.UTF8, "text/csv"), Cancel));
        var problem = await fixture.App.CreateClient().PostAsync("/api/usage-imports?fileName=huge.csv", new StringContent(file, Encoding.UTF8, "text/csv"), Cancel);

        Assert.Equal((HttpStatusCode.BadRequest, "file.invalid"), (answer.Status, answer.Code));
        Assert.Equal(3, (await problem.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("line").GetInt64());
    }

    [Fact]
    public async Task UsageFile_WhoseDayAddsUpBeyondATrillion_Is400NamingTheLine()
    {
        var subscription = Guid.NewGuid();
        var file = UsageFile(("11/02/2026", subscription, "999999999999"), ("11/02/2026", subscription, "999999999999"));

        var response = await fixture.App.CreateClient().PostAsync("/api/usage-imports?fileName=adds-up.csv", new StringContent(file, Encoding.UTF8, "text/csv"), Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("file.invalid", 3), (problem.GetProperty("code").GetString(), problem.GetProperty("line").GetInt64()));
    }

    [Fact]
    public async Task UsageFile_WithDatesAtTheCalendarsEndsAndUnknownSubscriptions_IsImportedWithWarningsThatCountThem()
    {
        var unknown = Guid.NewGuid();
        var file = UsageFile(("01/01/0001", unknown, "1.25"), ("12/31/9999", unknown, "2.5"), ("11/02/2026", unknown, "3"));

        var response = await fixture.App.CreateClient().PostAsync("/api/usage-imports?fileName=odd.csv", new StringContent(file, Encoding.UTF8, "text/csv"), Cancel);
        var import = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var again = await fixture.App.CreateClient().GetFromJsonAsync<JsonElement>($"/api/usage-imports/{import.GetProperty("id").GetGuid()}", Cancel);
        var warnings = again.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("2 rows are dated outside", StringComparison.Ordinal) && w.Contains("0001-01-01", StringComparison.Ordinal) && w.Contains("9999-12-31", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("3 rows are for 1 subscriptions", StringComparison.Ordinal) && w.Contains(unknown.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task UsageFile_UploadedTenTimesAtOnce_IsOneImportAndLogsNoError()
    {
        var logs = new CapturedLogs();
        await using var app = new CommerceApp(fixture.Database, new FakeTimeProvider(CommerceApp.Now)) { MoreServices = services => services.AddSingleton<ILoggerProvider>(logs) };
        var file = UsageFile(("11/03/2026", Guid.NewGuid(), "4.5"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => app.CreateClient().PostAsync("/api/usage-imports?fileName=race.csv", new StringContent(file, Encoding.UTF8, "text/csv"), Cancel)));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid()));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        Assert.Single(ids.Distinct());
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    /// <summary>A usage file with one row per (day, subscription, amount), of one customer.</summary>
    private static string UsageFile(params (string Day, Guid Subscription, string Amount)[] rows) =>
        string.Join(',', DailyRatedUsageFile.Columns) + "\n" + string.Join('\n', rows.Select(r => string.Join(',', DailyRatedUsageFile.Columns.Select(c => c switch
        {
            "CustomerId" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "SubscriptionId" => r.Subscription.ToString(),
            "UsageDate" => r.Day,
            "Quantity" => "1",
            "BillingPreTaxTotal" => r.Amount,
            _ => "",
        }))));
}

public sealed class SqliteErrorAnswersTests(DemoFixture<SqliteDatabase> fixture) : ErrorAnswersTests<SqliteDatabase>(fixture);

public sealed class PostgresErrorAnswersTests(DemoFixture<PostgresDatabase> fixture) : ErrorAnswersTests<PostgresDatabase>(fixture);

/// <summary>The host on Kestrel, over real HTTP: a failure of the host, and an upload over its limit, sent in chunks.</summary>
public sealed class KestrelErrorAnswersTests : IAsyncLifetime
{
    private readonly SqliteDatabase database = new();
    private readonly string uploads = Directory.CreateTempSubdirectory("csp-uploads-").FullName;
    private CommerceApp app = null!;
    private HttpClient client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now))
        {
            Settings = new Dictionary<string, string> { ["Requests:MaxUploadBytes"] = "4096", ["Requests:UploadDirectory"] = uploads },
            MoreServices = services => services.AddSingleton<IStartupFilter>(new Failing()),
        };
        app.UseKestrel();
        app.StartServer();
        client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.CallerKey);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Failure_OfTheHost_Is500WithACodeAndTheTraceId()
    {
        var response = await client.GetAsync("/test/failure", Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("server.error", problem.GetProperty("code").GetString());
        Assert.Contains("trace id", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("boom", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/reconciliations?fileName=big.csv")]
    [InlineData("/api/usage-imports?fileName=big.csv")]
    public async Task Upload_OverItsLimit_SentInChunks_Is413AndLeavesNoFileBehind(string path)
    {
        var content = new StreamContent(new Chunked(Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Repeat("PartnerId,CustomerId,Quantity", 1000)))));
        content.Headers.ContentType = new("text/csv");

        var response = await client.PostAsync(path, content, Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request.too_large", problem.GetProperty("code").GetString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(uploads));
    }

    [Fact]
    public async Task Address_OverTheLimit_IsTheHostsProblemNotKestrelsBareAnswer()
    {
        var response = await client.GetAsync($"/api/customers?search={new string('x', 20_000)}", Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("request.too_large", problem.GetProperty("code").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(uploads, recursive: true);
    }

    /// <summary>A route that fails, after the host's own: a stand-in for a defect.</summary>
    private sealed class Failing : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            next(builder);
            builder.Map("/test/failure", failing => failing.Run(_ => throw new InvalidOperationException("boom")));
        };
    }

    /// <summary>A body whose length is not known in advance, so that it is sent in chunks.</summary>
    private sealed class Chunked(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
