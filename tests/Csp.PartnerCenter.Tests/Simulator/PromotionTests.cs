using System.Net;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator;
using Csp.PartnerCenter.Simulator.Features;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>
/// Promotions as Partner Center serves them ("Get promotions", "Get promotion by ID") and bills them: a cart line's
/// promotion takes its <c>PercentDiscount</c> off the list price for the term bought; one that does not apply is refused.
/// </summary>
public sealed class PromotionTests
{
    private static readonly DateTimeOffset November2 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string Premium = "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1";
    private const string PremiumMonthly = "CFQ7TTC0LCHC:0002:39NFJQT1Q5KN";
    private const string PowerBiEnded = "CFQ7TTC0L3PB:0001:39NFJQT1A1AA";

    [Fact]
    public async Task Promotions_CurrentOnesAreListedAndAnyIsReadByIdWithItsPercentDiscount()
    {
        await using var pc = new SimulatedPartnerCenter(November2);

        var current = await pc.Client.ListPromotionsAsync("DE", "commercial", Cancel);
        var ended = await pc.Client.GetPromotionAsync(PowerBiEnded, "DE", Cancel);
        var unknown = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.GetPromotionAsync("CFQ7TTC0LCHC:0002:NOPE", "DE", Cancel));
        var noMarket = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.ListPromotionsAsync("XX", "commercial", Cancel));

        var premium = Assert.Single(current, p => p.Id == PremiumMonthly);
        Assert.DoesNotContain(current, p => p.Id == PowerBiEnded);
        Assert.Equal(0.15m, premium.DiscountFor("CFQ7TTC0LCHC", "0002", "P1Y", "monthly"));
        Assert.Null(premium.DiscountFor("CFQ7TTC0LCHC", "0002", "P1Y", "annual"));
        Assert.Equal(("PercentDiscount", "0.15"), (premium.RequiredProducts[0].PricingPolicies[0].Type, premium.RequiredProducts[0].PricingPolicies[0].Value));
        Assert.False(ended.IsAvailable(November2));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.BadRequest, "800070"), (unknown.Status, noMarket.Status, noMarket.Code));
    }

    /// <summary>
    /// 10 seats of Business Premium for a year billed monthly with 15% off, bought on 2 November: November's invoice shows
    /// the list price as UnitPrice, 85% of it as EffectiveUnitPrice, and the promotion's id.
    /// </summary>
    [Fact]
    public async Task Checkout_WithAPromotionThatApplies_BillsTheListPriceLessTheDiscount()
    {
        await using var pc = new SimulatedPartnerCenter(November2);
        var customer = await pc.CustomerAsync("DE");
        var checkout = await CheckoutAsync(pc, customer, new CartLineItem(0, Premium, 10, "P1Y", "Monthly", PromotionId: PremiumMonthly));
        await pc.AdvanceAsync(TimeSpan.FromDays(30));

        var invoice = Assert.Single(await pc.Client.ListInvoicesAsync(Cancel));
        var line = Assert.Single(await pc.Client.ListInvoiceLineItemsAsync(invoice.Id, 2000, Cancel).ToListAsync(Cancel));
        var list = SimulatorCatalog.UnitPrice(Catalog.Find(Premium)!, "DE", Term.P1Y, BillingPlan.Monthly, new DateOnly(2026, 11, 2));

        Assert.Empty(checkout.OrderErrors);
        Assert.Equal(("new", list, list * 0.85m, PremiumMonthly), (line.ChargeType, line.UnitPrice, line.EffectiveUnitPrice, line.PromotionId));
        Assert.Equal(Math.Round(list * 0.85m, 2, MidpointRounding.ToZero) * 10, line.Subtotal);
    }

    [Theory]
    [InlineData("CFQ7TTC0LCHC:0002:NOPE", "P1Y", "Monthly", "InvalidPromotion")]
    [InlineData(PowerBiEnded, "P1Y", "Monthly", "InvalidPromotion")]
    [InlineData(PremiumMonthly, "P1M", "Monthly", "Term")]
    public async Task Checkout_WithAPromotionThatDoesNotApply_IsRefusedWithMicrosoftsCodeAndNothingIsBought(string promotionId, string term, string billing, string reason)
    {
        await using var pc = new SimulatedPartnerCenter(November2);
        var customer = await pc.CustomerAsync("DE");

        var checkout = await CheckoutAsync(pc, customer, new CartLineItem(0, Premium, 10, term, billing, PromotionId: promotionId));

        var error = Assert.Single(checkout.OrderErrors);
        Assert.Equal(Promotions.InvalidPromotion, error.Code);
        Assert.StartsWith(reason + ":", error.Description, StringComparison.Ordinal);
        Assert.Empty(checkout.Orders);
        Assert.Empty(await pc.Client.ListSubscriptionsAsync(customer.Id!, Cancel));
    }

    private static async Task<CartCheckoutResult> CheckoutAsync(SimulatedPartnerCenter pc, Customer customer, CartLineItem line)
    {
        var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null, [line], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);
        var result = await pc.Client.CheckoutAsync(customer.Id!, cart.Id!, Guid.NewGuid(), Cancel);
        await pc.AdvanceAsync(TimeSpan.FromMinutes(1));
        return result;
    }
}
