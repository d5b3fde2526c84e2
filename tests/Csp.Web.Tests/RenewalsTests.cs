using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Renewals;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>End-of-term paths and costs, EST risk and the renewals calendar, on the demo data; SQLite and PostgreSQL.</summary>
public abstract class RenewalsTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private static readonly DateOnly Today = new(2026, 11, 26);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CommerceApp App => fixture.App;

    [Fact]
    public async Task Renewals_ForTheNext60Days_ListExactlyTheSubscriptionsInServiceEndingThen()
    {
        var to = Today.AddDays(60);
        var expected = await App.WithDbAsync(db => db.Subscriptions
            .Where(s => s.TermEndDate >= Today && s.TermEndDate <= to && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended))
            .Select(s => new { s.Id, s.TermEndDate })
            .ToListAsync(Cancel));

        var days = await GetAsync<List<RenewalDay>>($"/api/renewals?from={Today:yyyy-MM-dd}&to={to:yyyy-MM-dd}");

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(e => e.Id).Order(), days.SelectMany(d => d.Ending).Select(o => o.SubscriptionId).Order());
        Assert.All(days, d => Assert.All(d.Ending, o => Assert.Equal(d.Date, o.TermEndDate)));
        Assert.All(days.SelectMany(d => d.Ending), o =>
        {
            Assert.Equal(new DateTimeOffset(o.TermEndDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), o.DecideBefore);
            Assert.Single(o.Paths, p => p.Current);
        });
        Assert.Equal(days.Select(d => d.Date).Order(), days.Select(d => d.Date));
    }

    [Fact]
    public async Task Renewals_ARenewingTerm_ShowsTheWindowAfterRenewalAndRenewedTermsShowTheirs()
    {
        var days = await GetAsync<List<RenewalDay>>($"/api/renewals?from={Today.AddDays(-10):yyyy-MM-dd}&to={Today.AddDays(60):yyyy-MM-dd}");

        var renewing = days.SelectMany(d => d.Ending).First(o => o.Outcome == EndOfTermOutcome.Renew);
        var renewed = days.SelectMany(d => d.Renewed).ToList();

        Assert.Equal(renewing.DecideBefore.AddHours(168), renewing.WindowAfterRenewal);
        Assert.NotEmpty(renewed);
        Assert.All(renewed, r => Assert.Equal(r.RenewedAt.AddHours(168), r.ReduceOrCancelUntil));
        Assert.Contains(renewed, r => r.WindowOpen);
    }

    [Fact]
    public async Task RenewalsIcs_HasOneEventPerTermEndingWithFoldedLines()
    {
        var days = await GetAsync<List<RenewalDay>>("/api/renewals?to=2027-02-24");

        var response = await App.CreateClient().GetAsync("/api/renewals.ics", Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        var lines = text.Split("\r\n");

        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal(days.Sum(d => d.Ending.Count), lines.Count(l => l == "BEGIN:VEVENT"));
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, l));
        Assert.Contains(lines, l => l.StartsWith("DTSTART;VALUE=DATE:2026", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Renewals_NarrowedBySellerCustomerAndPath_ListOnlyTheTermsTheyKeep_AndTheFeedTheSame()
    {
        const string range = "from=2026-11-26&to=2027-11-26";
        var all = (await GetAsync<List<RenewalDay>>($"/api/renewals?{range}")).SelectMany(d => d.Ending).ToList();
        var chosen = all.First(o => o.Outcome == EndOfTermOutcome.Renew);
        var seller = await App.WithDbAsync(db => db.Customers.Where(c => c.Id == chosen.CustomerId).Select(c => c.PartnerId).SingleAsync(Cancel));
        var sellers = await App.WithDbAsync(db => db.Customers.ToDictionaryAsync(c => c.Id, c => c.PartnerId, Cancel));
        var text = chosen.CustomerName[1..^1].ToUpperInvariant();
        var query = $"{range}&sellerId={seller}&customer={Uri.EscapeDataString(text)}&path=renew";

        var narrowed = await GetAsync<List<RenewalDay>>($"/api/renewals?{query}");
        var ics = await App.CreateClient().GetStringAsync($"/api/renewals.ics?{query}", Cancel);

        var expected = all.Where(o => o.Outcome == EndOfTermOutcome.Renew && sellers[o.CustomerId] == seller && o.CustomerName.Contains(text, StringComparison.OrdinalIgnoreCase)).Select(o => o.SubscriptionId).Order().ToList();
        Assert.Contains(chosen.SubscriptionId, expected);
        Assert.True(expected.Count < all.Count);
        Assert.Equal(expected, narrowed.SelectMany(d => d.Ending).Select(o => o.SubscriptionId).Order());
        Assert.Empty(narrowed.SelectMany(d => d.Renewed));
        Assert.Equal(expected.Count, ics.Split("\r\n").Count(l => l == "BEGIN:VEVENT"));
    }

    [Fact]
    public async Task Renewals_MoreTermsThanACalendarHolds_AreRefusedWithTheirCount_AndABadFilterNamesItsParameter()
    {
        var terms = await App.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.TermEndDate >= Today && s.TermEndDate <= Today.AddDays(30) && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended), Cancel));
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(
            await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(p => p.ParentPartnerId == null).Select(p => p.Id).SingleAsync(Cancel),
            await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new ValueTuple<Guid, Guid?>(p.Id, p.ParentPartnerId)).ToListAsync(Cancel),
            null);
        var refused = await ListRenewals.DaysAsync(scope.ServiceProvider.GetRequiredService<LifecycleServices>(), Today, Today.AddDays(30), new RenewalFilter(), Cancel, maxTerms: 3);
        var badPath = await App.CreateClient().GetAsync("/api/renewals?path=1", Cancel);
        var badSeller = await App.CreateClient().GetAsync("/api/renewals.ics?sellerId=someone", Cancel);

        Assert.True(terms > 3);
        Assert.False(refused.IsSuccess);
        Assert.Equal("to", refused.Error.Parameter);
        Assert.Contains("more than the 3 a calendar holds", refused.Error.Message, StringComparison.Ordinal);
        foreach (var (response, parameter) in new[] { (badPath, "path"), (badSeller, "sellerId") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
        }
    }

    [Fact]
    public async Task Renewals_BadRange_IsRefusedNamingTheParameter()
    {
        var response = await App.CreateClient().GetAsync("/api/renewals?from=2026-12-01&to=2026-11-01", Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("to", problem.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task EstRisk_ListsExactlyTheActiveEligibleSubscriptionsWithAutoRenewOffAndNoChoice()
    {
        var est = Csp.Domain.Subscriptions.EstPolicy.Default;
        var expected = (await App.WithDbAsync(db => db.Subscriptions
                .Where(s => s.Term != null && s.EndOfTerm == null && !s.AutoRenewEnabled && s.TermEndDate >= Today && s.Status == SubscriptionStatus.Active)
                .ToListAsync(Cancel)))
            .Where(s => est.IsEligible(s.TermStartDate, s.TermEndDate!.Value))
            .Select(s => s.Id)
            .Order();

        var report = await GetAsync<EstRiskReport>("/api/renewals/est-risk");

        Assert.NotEmpty(report.Subscriptions);
        Assert.Equal(expected, report.Subscriptions.Select(r => r.SubscriptionId).Order());
        Assert.All(report.Subscriptions, r => Assert.True(r.EstFirstYear > 0, $"{r.FriendlyName}: {r.EstFirstYear}"));
        Assert.Equal(report.Subscriptions.Sum(r => r.EstFirstYear), report.AtStake.Sum(a => a.FirstYear));
    }

    /// <summary>EST bills the SKU's monthly-term price plus 3%, per month, the uplifted seat price truncated to the cent.</summary>
    [Fact]
    public async Task EndOfTerm_EstPath_CostsTheMonthlyTermPricePlusThreePercent()
    {
        var (s, monthly) = await App.WithDbAsync(async db =>
        {
            var candidates = await db.Subscriptions
                .Where(s => s.Term == Term.P1Y && s.BillingPlan == BillingPlan.Monthly && s.Status == SubscriptionStatus.Active && !s.IsTrial && s.PromotionId == null && s.TermEndDate > Today.AddDays(30))
                .OrderBy(s => s.Id).ToListAsync(Cancel);
            foreach (var s in candidates.Where(s => Csp.Domain.Subscriptions.EstPolicy.Default.IsEligible(s.TermStartDate, s.TermEndDate!.Value)))
            {
                var customer = await db.Customers.SingleAsync(c => c.Id == s.CustomerId, Cancel);
                var renewal = s.TermEndDate!.Value.AddDays(1);
                var price = await db.Prices.Where(p => p.ProductId == s.ProductId && p.SkuId == s.SkuId && p.AvailabilityId == s.AvailabilityId && p.Market == customer.Country
                    && p.Currency == customer.Currency && p.Term == Term.P1M && p.EffectiveFrom <= renewal && (p.EffectiveTo == null || p.EffectiveTo >= renewal)).Select(p => (decimal?)p.UnitPrice).FirstOrDefaultAsync(Cancel);
                if (price is { } found)
                {
                    return (s, found);
                }
            }

            throw new InvalidOperationException("The demo has no EST-eligible annual subscription with a monthly-term price.");
        });

        var options = await GetAsync<EndOfTermOptions>($"/api/subscriptions/{s.Id}/end-of-term");
        var estPath = options.Paths.Single(p => p.Path == "est");
        var cancel = options.Paths.Single(p => p.Path == "cancel");

        // Microsoft's documented line formula, the default policy: ROUNDDOWN(EffectiveUnitPrice, 2) × BillableQuantity.
        Assert.Equal(12 * s.Quantity * decimal.Round(monthly * 1.03m, 2, MidpointRounding.ToZero), estPath.FirstYear);
        Assert.Equal(0m, cancel.FirstYear);
        Assert.Equal(estPath.FirstYear - options.CurrentFirstYear, estPath.DifferencePerYear);
    }

    [Fact]
    public async Task OtherReseller_GetsNotFoundForASubscriptionsEndOfTermAndSeesNoneOfItInTheCalendars()
    {
        var (subscription, other) = await App.WithDbAsync(async db =>
        {
            var s = await db.Subscriptions.Where(s => s.TermEndDate >= Today && s.TermEndDate <= Today.AddDays(30) && s.Status == SubscriptionStatus.Active).OrderBy(s => s.Id).FirstAsync(Cancel);
            var o = await db.Partners.Where(p => p.Kind == PartnerKind.Reseller && p.Id != s.PartnerId).Select(p => p.Id).FirstAsync(Cancel);
            return (s, o);
        });
        var client = fixture.ActingAs(other).CreateClient();

        var options = await client.GetAsync($"/api/subscriptions/{subscription.Id}/end-of-term", Cancel);
        var days = await client.GetFromJsonAsync<List<RenewalDay>>("/api/renewals", Json, Cancel);
        var risk = await client.GetFromJsonAsync<EstRiskReport>("/api/renewals/est-risk", Json, Cancel);
        var ics = await client.GetStringAsync("/api/renewals.ics", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, options.StatusCode);
        Assert.DoesNotContain(days!.SelectMany(d => d.Ending), o => o.SubscriptionId == subscription.Id);
        Assert.DoesNotContain(risk!.Subscriptions, r => r.CustomerId == subscription.CustomerId);
        Assert.DoesNotContain($"{subscription.Id:N}", ics, StringComparison.Ordinal);
    }

    private async Task<T> GetAsync<T>(string path) => (await App.CreateClient().GetFromJsonAsync<T>(path, Json, Cancel))!;
}

public sealed class SqliteRenewalsTests(DemoFixture<SqliteDatabase> fixture) : RenewalsTests<SqliteDatabase>(fixture);

public sealed class PostgresRenewalsTests(DemoFixture<PostgresDatabase> fixture) : RenewalsTests<PostgresDatabase>(fixture);
