using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator;
using Csp.PartnerCenter.Simulator.Features;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>Price sheets through the client: this month's, a past month's with its changes, and next month's.</summary>
public sealed class PriceSheetTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PriceSheet_Current_IsEveryLicenceTermAtTheCatalogsPriceUnchangedSinceLastMonth()
    {
        await using var pc = new SimulatedPartnerCenter();

        var sheet = await pc.Client.GetPriceSheetAsync("DE", "current", null, Cancel);

        var basic = SimulatorCatalog.Offers[0];
        Assert.Equal(SimulatorCatalog.Offers.Where(o => !o.IsUsage).Sum(o => o.Terms().Count()), sheet!.Count);
        Assert.All(sheet, e => Assert.Equal(("EUR", "UNC", new DateOnly(2026, 4, 1)), (e.Currency, e.ChangeIndicator, e.EffectiveStartDate)));
        Assert.Equal(
            SimulatorCatalog.UnitPrice(basic, "DE", Term.P1Y, BillingPlan.Annual, new DateOnly(2026, 11, 26)),
            Assert.Single(sheet, e => e.ProductId == basic.ProductId && e.TermDuration == "P1Y" && e.BillingPlan == "Annual").UnitPrice);
    }

    [Fact]
    public async Task PriceSheet_OfTheMonthPricesRose_MarksEveryRowChangedAndTheFutureIsNotFoundWithoutChanges()
    {
        await using var pc = new SimulatedPartnerCenter();

        var april = await pc.Client.GetPriceSheetAsync("GB", "history", new DateOnly(2026, 4, 1), Cancel);
        var march = await pc.Client.GetPriceSheetAsync("GB", "history", new DateOnly(2026, 3, 1), Cancel);
        var future = await pc.Client.GetPriceSheetAsync("GB", "future", null, Cancel);
        var unknown = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.GetPriceSheetAsync("ZZ", "current", null, Cancel));

        Assert.All(april!, e => Assert.Equal("CHG", e.ChangeIndicator));
        Assert.All(march!, e => Assert.Equal(("UNC", new DateOnly(2026, 3, 31)), (e.ChangeIndicator, e.EffectiveEndDate!.Value)));
        Assert.All(april!.Zip(march!), pair => Assert.True(pair.First.UnitPrice > pair.Second.UnitPrice));
        Assert.Null(future);
        Assert.Equal("800070", unknown.Code);
    }

    [Fact]
    public void Changes_AProductAddedAndOneWithdrawn_AreAddAndDelWithTheWithdrawnRowsLastPrice()
    {
        var before = PriceSheets.List("US", new DateOnly(2026, 6, 1));
        var now = before.Skip(1).Append(before[0] with { ProductId = "CFQ7TTC0NEW1", ProductTitle = "New product" }).Select((e, i) => i == 0 ? e with { UnitPrice = e.UnitPrice + 1 } : e).ToList();

        var changes = PriceSheets.Changes(now, before);

        Assert.Equal(("CHG", "ADD"), (changes[0].ChangeIndicator, changes.Single(e => e.ProductId == "CFQ7TTC0NEW1").ChangeIndicator));
        Assert.Equal(before[0] with { ChangeIndicator = "DEL" }, Assert.Single(changes, e => e.ChangeIndicator == "DEL"));
        Assert.Equal(now.Count - 2, changes.Count(e => e.ChangeIndicator == "UNC"));
    }
}
