using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Csp.Commerce.Renewals;
using Csp.Data;
using Csp.Domain.Reconciliation;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// Microsoft's Extended Service Term rules as the platform derives them from a subscription's history (the shadow invoice
/// and the end-of-term path): the scenarios of the EST announcement, on SQLite and PostgreSQL.
/// </summary>
public abstract class EstScenarioTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A one-year term bought 2025-05-11 ends 2026-05-10, after enforcement: with auto-renew off and no choice, it enters EST at +3%.</summary>
    [Fact]
    public async Task TermEnding20260510_WithNoChoice_EntersEstBilledAtTheMonthlyTermPricePlus3Percent()
    {
        var (s, monthly) = await BuyAsync(new DateOnly(2025, 5, 11), choice: null, estOn: new DateOnly(2026, 6, 30));

        var june = await ShadowLinesAsync("2026-06", s);
        var line = Assert.Single(june);

        Assert.Equal("extendedServiceTerm", line.ChargeType);
        Assert.Equal((new DateOnly(2026, 6, 11), new DateOnly(2026, 7, 10)), (line.ChargeStartDate, line.ChargeEndDate));
        Assert.Equal(monthly * 1.03m, line.UnitPrice);
        Assert.Equal(10 * decimal.Round(monthly * 1.03m, 2, MidpointRounding.ToZero), line.Subtotal);
        Assert.Equal("extendedServiceTerm", Assert.Single(await ShadowLinesAsync("2026-05", s), l => l.ChargeStartDate == new DateOnly(2026, 5, 11)).ChargeType);
    }

    [Fact]
    public async Task TermEnding20260510_WithCancelChosen_EndsWithTheTerm()
    {
        var (s, _) = await BuyAsync(new DateOnly(2025, 5, 11), EndOfTerm.Cancel, estOn: new DateOnly(2026, 6, 30));

        Assert.DoesNotContain(await ShadowLinesAsync("2026-05", s), l => l.ChargeStartDate > new DateOnly(2026, 5, 10));
        Assert.Empty(await ShadowLinesAsync("2026-06", s));
    }

    /// <summary>A term bought 2025-04-20 ends 2026-04-19, before enforcement: without renewal it expires with the grace period, and EST cannot be chosen for it.</summary>
    [Fact]
    public async Task TermEndedBefore20260504_WithNoChoice_GetsTheGracePeriodAndNoEst()
    {
        var (s, _) = await BuyAsync(new DateOnly(2025, 4, 20), choice: null, estOn: new DateOnly(2026, 5, 31));

        Assert.DoesNotContain(await ShadowLinesAsync("2026-04", s), l => l.ChargeStartDate > new DateOnly(2026, 4, 19));
        Assert.Empty(await ShadowLinesAsync("2026-05", s));
        Assert.False(EstPolicy.Default.IsEligible(new DateOnly(2025, 4, 20), new DateOnly(2026, 4, 19)));
    }

    /// <summary>Auto-renew turned off without a Cancel scheduled action, on a term still running: listed as EST risk with what it would cost.</summary>
    [Fact]
    public async Task AutoRenewOffWithoutCancel_OnARunningTerm_IsListedAsEstRisk()
    {
        var (s, monthly) = await BuyAsync(new DateOnly(2026, 2, 1), choice: null, estOn: new DateOnly(2027, 2, 1));

        var report = await fixture.App.CreateClient().GetFromJsonAsync<EstRiskReport>("/api/renewals/est-risk", Json, Cancel);
        var risk = Assert.Single(report!.Subscriptions, r => r.SubscriptionId == s.Id);

        Assert.Equal(new DateOnly(2027, 1, 31), risk.TermEndDate);
        Assert.Equal(12 * 10 * decimal.Round(monthly * 1.03m, 2, MidpointRounding.ToZero), risk.EstFirstYear);
        Assert.Contains("without the explicit Cancel", risk.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// A new customer's 10-seat Microsoft 365 Business Standard, one year billed monthly from <paramref name="start"/>,
    /// with auto-renew turned off in Partner Center without a decision (<paramref name="choice"/> null) or with one.
    /// </summary>
    /// <returns>The subscription, and the SKU's one-month-term price in force on <paramref name="estOn"/>.</returns>
    private Task<(Subscription Subscription, decimal MonthlyTermPrice)> BuyAsync(DateOnly start, EndOfTerm? choice, DateOnly estOn) =>
        fixture.App.WithDbAsync(async db =>
        {
            var partner = await db.Partners.SingleAsync(p => p.ParentPartnerId == null, Cancel);
            var prices = await db.Prices.Where(p => p.Market == partner.Country && p.Currency == partner.BillingCurrency && p.ProductId == "CFQ7TTC0LDPB").ToListAsync(Cancel);
            var annual = prices.OrderBy(p => p.EffectiveFrom).First(p => p.Term == Term.P1Y && p.BillingPlan == BillingPlan.Monthly);
            var monthly = prices.Single(p => p.Term == Term.P1M && p.SkuId == annual.SkuId && p.AvailabilityId == annual.AvailabilityId
                && p.EffectiveFrom <= estOn && (p.EffectiveTo == null || p.EffectiveTo >= estOn));
            var at = new DateTimeOffset(start.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
            var customer = new Customer(Guid.NewGuid(), partner.Id, Guid.NewGuid(), $"EST scenario {start:yyyyMMdd} {choice}", $"est-{Guid.NewGuid():N}.example", partner.Country, partner.BillingCurrency, at);
            var s = new Subscription(
                Guid.NewGuid(), partner.Id, customer.Id, Guid.NewGuid(), annual.ProductId, annual.SkuId, annual.AvailabilityId, "Microsoft 365 Business Standard", Term.P1Y, BillingPlan.Monthly, 10,
                start, start, NceCalendar.EndDate(start, Term.P1Y), at, SubscriptionStatus.Active, choice, false, annual.UnitPrice, partner.BillingCurrency, null, false);
            db.Customers.Add(customer);
            db.Subscriptions.Add(s);
            db.SubscriptionEvents.Add(SubscriptionEvent.Purchased(s, new Recorded(at, "test"), "bought 10 seats", 10));
            db.SubscriptionEvents.Add(SubscriptionEvent.EndOfTermChanged(
                s, new Recorded(at.AddDays(40), "test"), choice is null ? "autoRenewEnabled false, no Cancel scheduled" : $"end of term: {choice}", choice));
            await db.SaveChangesAsync(Cancel);
            return (s, monthly.UnitPrice);
        });

    private async Task<List<ReconLine>> ShadowLinesAsync(string month, Subscription s)
    {
        var csv = await fixture.App.CreateClient().GetStringAsync($"/api/shadow-invoice?month={month}", Cancel);
        return InvoiceReconFile.Read(new StringReader(csv), "shadow-invoice.csv").Where(l => l.SubscriptionId == s.MicrosoftSubscriptionId.ToString()).ToList();
    }
}

public sealed class SqliteEstScenarioTests(DemoFixture<SqliteDatabase> fixture) : EstScenarioTests<SqliteDatabase>(fixture);

public sealed class PostgresEstScenarioTests(DemoFixture<PostgresDatabase> fixture) : EstScenarioTests<PostgresDatabase>(fixture);
