using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.Commerce.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// An order with a promotion, end to end over HTTP into demo mode's simulator on SQLite and PostgreSQL: the platform reads
/// the promotion from Partner Center, previews the discounted charges, records the discount, and Microsoft's invoice
/// (the simulator's) is the shadow invoice line for line; a promotion that does not apply is refused before any cart.
/// </summary>
public abstract class PromotionTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private const string Premium = "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1";
    private const string PremiumMonthly = "CFQ7TTC0LCHC:0002:39NFJQT1Q5KN";

    [Fact]
    public async Task Order_WithAPromotion_PreviewsAndRecordsTheDiscountAndIsInvoicedAsTheShadowInvoiceSays()
    {
        var customer = await App.WithDbAsync(db => db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel));
        var body = new { catalogItemId = Premium, term = "P1Y", billingPlan = "monthly", quantity = 10, promotionId = PremiumMonthly };

        var preview = await PreviewAsync($"/api/customers/{customer.Id}/subscriptions/preview", body);
        var outcome = await ActAsync<OrderOutcome>($"/api/customers/{customer.Id}/subscriptions", body);
        var stored = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == outcome.Subscription.Id, Cancel));

        var first = preview.MicrosoftCharges[0];
        Assert.Equal(first.UnitPrice * 0.85m, first.EffectiveUnitPrice);
        Assert.Equal(stored.UnitPrice, first.UnitPrice);
        Assert.Contains(preview.Warnings, w => w.Contains("takes 15% off the list price for this term only", StringComparison.Ordinal));
        Assert.Equal((PremiumMonthly, 0.15m), (stored.PromotionId, stored.PromotionDiscount));
        Assert.Equal(0.15m, outcome.Subscription.PromotionDiscount);

        Time.Advance(TimeSpan.FromDays(6));
        await AssertInvoicedAsShadowAsync(new DateOnly(2026, 11, 1), stored.MicrosoftSubscriptionId);
    }

    [Theory]
    [InlineData(Premium, "CFQ7TTC0LCHC:0002:NOPE", "P1Y", "has no promotion")]
    [InlineData(Premium, "CFQ7TTC0HL8W;0001;CFQ7TTC0K59M", "P1Y", "has no promotion")]
    [InlineData(Premium, "78bcf906-b945-4210-8818-cfb93caf12a1", "P1Y", "has no promotion")]
    [InlineData(Premium, "CFQ7TTC0L3PB:0001:39NFJQT1A1AA", "P1Y", "gives no percentage off")]
    [InlineData(Premium, PremiumMonthly, "P1M", "gives no percentage off")]
    [InlineData("CFQ7TTC0L3PB:0001:CFQ7TTC0KXG6", "CFQ7TTC0L3PB:0001:39NFJQT1A1AA", "P1Y", "cannot be bought today")]
    public async Task Order_WithAPromotionThatDoesNotApply_IsRefusedAndNothingIsSent(string catalogItemId, string promotionId, string term, string why)
    {
        var customer = await App.WithDbAsync(db => db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel));
        var ordersBefore = (await Client.ListOrdersAsync(customer.CustomerTenantId.ToString(), Cancel)).Count;

        var answer = await PostAsync($"/api/customers/{customer.Id}/subscriptions", new { catalogItemId, term, billingPlan = "monthly", quantity = 10, promotionId });

        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal("order.promotion_not_available", problem.GetProperty("code").GetString());
        Assert.Contains(why, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(ordersBefore, (await Client.ListOrdersAsync(customer.CustomerTenantId.ToString(), Cancel)).Count);
    }

    [Fact]
    public async Task Order_WithAPromotionIdNotShapedAsMicrosoftWritesThem_Is400NamingTheParameter()
    {
        var customer = await App.WithDbAsync(db => db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel));

        var answer = await PostAsync($"/api/customers/{customer.Id}/subscriptions", new { catalogItemId = Premium, term = "P1Y", billingPlan = "monthly", quantity = 10, promotionId = "39NFJQT1 Q5KN/../x" });

        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(("request.invalid_parameter", "promotionId"), (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString()));
    }
}

public sealed class SqlitePromotionTests : PromotionTests<SqliteDatabase>;

public sealed class PostgresPromotionTests : PromotionTests<PostgresDatabase>;
