using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>The demo a newcomer sees: the shape the foundation issue promises, seeded through the real start-up.</summary>
public sealed class DemoDataTests(DemoFixture<SqliteDatabase> fixture) : IClassFixture<DemoFixture<SqliteDatabase>>
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<List<Subscription>> SubscriptionsAsync() => fixture.App.WithDbAsync(db => db.Subscriptions.ToListAsync(Cancel));

    [Fact]
    public async Task Seed_Partners_AreOneDistributorAndThreeResellersBelowIt()
    {
        var partners = await fixture.App.WithDbAsync(db => db.Partners.ToListAsync(Cancel));

        var distributor = Assert.Single(partners, p => p.Kind == PartnerKind.Distributor);
        Assert.Equal(3, partners.Count(p => p.Kind == PartnerKind.Reseller && p.ParentPartnerId == distributor.Id));
    }

    [Fact]
    public async Task Seed_Customers_AreSixtyInSeveralCountriesAndCurrencies()
    {
        var customers = await fixture.App.WithDbAsync(db => db.Customers.ToListAsync(Cancel));

        Assert.Equal(60, customers.Count);
        Assert.True(customers.Select(c => c.Country).Distinct().Count() >= 8);
        Assert.True(customers.Select(c => c.Currency).Distinct().Count() >= 5);
        Assert.Equal(60, customers.Select(c => c.Domain).Distinct().Count());
    }

    [Fact]
    public async Task Seed_Subscriptions_CoverEveryTermAndBillingPlanAndEveryProductFamily()
    {
        var subscriptions = await SubscriptionsAsync();
        var families = await fixture.App.WithDbAsync(db => db.Products.ToDictionaryAsync(p => p.Id, p => p.Family, Cancel));

        Assert.Equal(400, subscriptions.Count);
        Assert.Equal(
            [(Term.P1M, BillingPlan.Monthly), (Term.P1Y, BillingPlan.Monthly), (Term.P1Y, BillingPlan.Annual), (Term.P3Y, BillingPlan.Monthly), (Term.P3Y, BillingPlan.Annual), (Term.P3Y, BillingPlan.Triennial)],
            subscriptions.Where(s => s.Term is not null).Select(s => (s.Term!.Value, s.BillingPlan)).Distinct().Order());
        Assert.Superset(new HashSet<string> { "Microsoft 365", "Dynamics 365", "Azure" }, subscriptions.Select(s => families[s.ProductId]).ToHashSet());
    }

    [Fact]
    public async Task Seed_StartDates_SpreadOverThePastThreeYears()
    {
        var starts = (await SubscriptionsAsync()).Select(s => s.StartDate).ToList();

        Assert.All(starts, s => Assert.InRange(s, Today.AddYears(-3), Today));
        Assert.True(starts.Min() < Today.AddYears(-2));
    }

    [Fact]
    public async Task Seed_Renewals_FallThroughoutTheNext90Days()
    {
        var ends = (await SubscriptionsAsync())
            .Where(s => s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended && s.TermEndDate is not null)
            .Select(s => s.TermEndDate!.Value)
            .ToList();

        Assert.All(ends, end => Assert.True(end >= Today));
        for (var week = 0; week < 13; week++)
        {
            Assert.Contains(ends, end => end >= Today.AddDays(week * 7) && end < Today.AddDays((week + 1) * 7));
        }
    }

    [Fact]
    public async Task Seed_EndOfTerm_HasCancelEstAndDriftIntoEst()
    {
        var inService = (await SubscriptionsAsync()).Where(s => s.Status == SubscriptionStatus.Active && s.Term is not null).ToList();
        var paths = inService.Select(s => EstPolicy.Default.PathFor(s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate!.Value)).ToList();

        Assert.Contains(inService, s => s.EndOfTerm == EndOfTerm.Cancel);
        Assert.Contains(inService, s => s.EndOfTerm == EndOfTerm.Est);
        Assert.True(paths.Count(p => p.DriftsIntoEst) >= 10);
        Assert.Contains(inService, s => s.EndOfTerm is null && s.AutoRenewEnabled);
    }

    [Fact]
    public async Task Seed_EverySubscription_HasItsPurchaseFirstInItsHistory()
    {
        var firsts = await fixture.App.WithDbAsync(db => db.SubscriptionEvents
            .GroupBy(e => e.SubscriptionId)
            .Select(g => g.OrderBy(e => e.Id).First().Kind)
            .ToListAsync(Cancel));

        Assert.Equal(400, firsts.Count);
        Assert.All(firsts, kind => Assert.Equal(SubscriptionEventKind.Purchased, kind));
    }

    [Fact]
    public async Task Seed_UnitPrices_ComeFromThePriceListOfTheTermsMarket()
    {
        var subscription = (await SubscriptionsAsync()).First(s => s.Term == Term.P1Y && s.BillingPlan == BillingPlan.Annual && s.PromotionId is null && s.TermStartDate >= new DateOnly(2026, 4, 1));
        var customer = await fixture.App.WithDbAsync(db => db.Customers.SingleAsync(c => c.Id == subscription.CustomerId, Cancel));

        var listed = await fixture.App.WithDbAsync(db => db.Prices.Where(p =>
                p.ProductId == subscription.ProductId && p.Market == customer.Country && p.Term == Term.P1Y && p.BillingPlan == BillingPlan.Annual && p.EffectiveTo == null)
            .Select(p => p.UnitPrice).SingleAsync(Cancel));

        Assert.Equal(listed, subscription.UnitPrice);
    }
}
