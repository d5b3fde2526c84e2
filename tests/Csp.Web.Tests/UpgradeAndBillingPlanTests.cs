using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain.Terms;
using Csp.Web.Http;
using Microsoft.EntityFrameworkCore;
using Customer = Csp.Data.Customer;

namespace Csp.Web.Tests;

/// <summary>
/// Upgrades and billing-plan changes end to end — over HTTP into the host, through the client into demo mode's simulator,
/// on a fake clock that moves, on SQLite and PostgreSQL — and then Microsoft's invoice (the simulator's) against the
/// platform's shadow invoice, line for line, for every subscription the change touched.
/// </summary>
public abstract class UpgradeAndBillingPlanTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string BusinessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ";
    private const string E3 = "CFQ7TTC0LFLX:0001:CFQ7TTC0K5DQ";

    [Fact]
    public async Task ChangeBillingPlan_ThreeYearMonthlyToAnnual_IsPreviewedDoneAndInvoicedAsTheShadowInvoiceSays()
    {
        var customer = await CustomerAsync();
        var bought = await OrderAsync(customer, E3, "P3Y", "monthly", 4);
        Time.Advance(TimeSpan.FromDays(2));

        var preview = await PreviewAsync($"/api/subscriptions/{bought.Id}/billing-plan/preview", new { billingPlan = "annual" });
        var outcome = await ActAsync<ActionOutcome>($"/api/subscriptions/{bought.Id}/billing-plan", new { billingPlan = "annual" });
        var again = await PreviewAsync($"/api/subscriptions/{bought.Id}/billing-plan/preview", new { billingPlan = "monthly" });
        var inPartnerCenter = await Client.GetSubscriptionAsync(customer.CustomerTenantId.ToString(), bought.MicrosoftSubscriptionId.ToString(), Cancel);
        var recorded = await App.WithDbAsync(db => db.SubscriptionEvents.Where(e => e.SubscriptionId == bought.Id).OrderByDescending(e => e.Id).FirstAsync(Cancel));

        Assert.True(preview.Allowed);
        Assert.Equivalent(preview, outcome.Preview, strict: true);
        var first = Assert.Single(preview.MicrosoftCharges, l => l.ChargeType == "changeBillingPlan");
        Assert.Equal((new DateOnly(2026, 12, 26), new DateOnly(2027, 11, 25)), (first.ChargeStartDate, first.ChargeEndDate));
        Assert.Contains(preview.ChargesNoLongerDue, l => l.ChargeType == "cycleCharge" && l.ChargeStartDate == new DateOnly(2026, 12, 26));
        Assert.Contains(preview.Warnings, w => w.Contains("Billed monthly until 2026-12-25, then annual", StringComparison.Ordinal));
        Assert.Equal("annual", inPartnerCenter.BillingCycle);
        Assert.Equal("annual", outcome.Subscription.BillingPlan);
        Assert.Equal((new DateOnly(2026, 11, 26), new DateOnly(2026, 12, 25)), (outcome.Subscription.CurrentChargeCycle!.Start, outcome.Subscription.CurrentChargeCycle.End));
        Assert.Equal(new DateOnly(2026, 12, 26), outcome.Subscription.BillingPlanFrom);
        Assert.Equal((SubscriptionEventKind.BillingPlanChanged, BillingPlan.Monthly, BillingPlan.Annual), (recorded.Kind, recorded.TermsBefore!.BillingPlan, recorded.TermsAfter!.BillingPlan));
        Assert.Equal(("subscription.billing_plan_change_pending", false), (again.Refusal!.Code, again.Allowed));

        Time.Advance(TimeSpan.FromDays(38));
        await AssertInvoicedAsShadowAsync(new DateOnly(2026, 12, 1), bought.MicrosoftSubscriptionId);
    }

    [Fact]
    public async Task ChangeBillingPlan_OnAOneYearTermOrToTheSamePlan_IsRefusedWithItsCodeAndNothingSent()
    {
        var customer = await CustomerAsync();
        var yearly = await OrderAsync(customer, BusinessBasic, "P1Y", "monthly", 3);
        var triennial = await OrderAsync(customer, E3, "P3Y", "annual", 3);

        var oneYear = await PostAsync($"/api/subscriptions/{yearly.Id}/billing-plan", new { billingPlan = "annual" });
        var same = await PreviewAsync($"/api/subscriptions/{triennial.Id}/billing-plan/preview", new { billingPlan = "annual" });
        var upFront = await PostAsync($"/api/subscriptions/{triennial.Id}/billing-plan/preview", new { billingPlan = "triennial" });

        Assert.Equal(HttpStatusCode.Conflict, oneYear.StatusCode);
        Assert.Equal("subscription.billing_plan_change_not_supported", (await oneYear.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString());
        Assert.Equal("subscription.nothing_to_change", same.Refusal!.Code);
        Assert.Equal(HttpStatusCode.BadRequest, upFront.StatusCode);
        Assert.Equal((Query.InvalidParameter, "billingPlan"), await CodeAndParameterAsync(upFront));
        Assert.Equal("monthly", (await Client.GetSubscriptionAsync(customer.CustomerTenantId.ToString(), yearly.MicrosoftSubscriptionId.ToString(), Cancel)).BillingCycle);
    }

    [Fact]
    public async Task Upgrade_AllSeats_KeepsTheSubscriptionIdWarnsItCannotBeUndoneAndIsInvoicedAsTheShadowInvoiceSays()
    {
        var customer = await CustomerAsync();
        var bought = await OrderAsync(customer, BusinessBasic, "P1Y", "monthly", 10);
        Time.Advance(TimeSpan.FromDays(1));

        var targets = await App.CreateClient().GetFromJsonAsync<List<UpgradeTarget>>($"/api/subscriptions/{bought.Id}/upgrades", Json, Cancel);
        var preview = await PreviewAsync($"/api/subscriptions/{bought.Id}/upgrade/preview", new { toCatalogItemId = BusinessStandard });
        var outcome = await ActAsync<ActionOutcome>($"/api/subscriptions/{bought.Id}/upgrade", new { toCatalogItemId = BusinessStandard });
        var inPartnerCenter = await Client.GetSubscriptionAsync(customer.CustomerTenantId.ToString(), bought.MicrosoftSubscriptionId.ToString(), Cancel);
        var cancel = await PreviewAsync($"/api/subscriptions/{bought.Id}/cancel/preview", new { });

        Assert.Contains(targets!, t => t.CatalogItemId == BusinessStandard && t.Eligible && t.UnitPrice > 0);
        Assert.Contains(targets!, t => t.CatalogItemId == "CFQ7TTC0LH16:0001:CFQ7TTC0K5F1" && !t.Eligible && t.Reasons.Count > 0);
        Assert.True(preview.Allowed);
        Assert.Equivalent(preview, outcome.Preview, strict: true);
        Assert.Contains(preview.Warnings, w => w.StartsWith("This upgrade cannot be undone", StringComparison.Ordinal));
        Assert.Contains(preview.MicrosoftCharges, l => l.ChargeType == "convert" && l.Quantity == 10 && l.Subtotal > 0);
        Assert.Contains(preview.MicrosoftCharges, l => l.ChargeType == "convert" && l.Quantity == 10 && l.Subtotal < 0);
        Assert.True(preview.CommittedUntilTermEnd!.Difference > 0);
        Assert.Equal((BusinessStandard, 10), (inPartnerCenter.OfferId, inPartnerCenter.Quantity));
        Assert.Equal((BusinessStandard, 10, bought.MicrosoftSubscriptionId), (outcome.Subscription.CatalogItemId, outcome.Subscription.Quantity, outcome.Subscription.MicrosoftSubscriptionId));
        Assert.False(cancel.Allowed);

        Time.Advance(TimeSpan.FromDays(6));
        await AssertInvoicedAsShadowAsync(new DateOnly(2026, 11, 1), bought.MicrosoftSubscriptionId);
    }

    [Fact]
    public async Task Upgrade_RetriedAfterPartnerCenterDidItButNothingWasRecorded_RecordsItAndPartnerCenterUpgradesOnce()
    {
        var customer = await CustomerAsync();
        var bought = await OrderAsync(customer, BusinessBasic, "P1Y", "monthly", 5);
        Time.Advance(TimeSpan.FromDays(1));
        var key = Guid.NewGuid().ToString();
        var body = new { toCatalogItemId = BusinessStandard };

        // The first attempt reached Partner Center, then its host died before recording anything.
        await ActAsync<ActionOutcome>($"/api/subscriptions/{bought.Id}/upgrade", body, key);
        await App.WithDbAsync(async db =>
        {
            await db.SubscriptionEvents.Where(e => e.SubscriptionId == bought.Id && e.Kind == SubscriptionEventKind.Upgraded).ExecuteDeleteAsync(Cancel);
            await db.Subscriptions.Where(x => x.Id == bought.Id).ExecuteUpdateAsync(
                x => x.SetProperty(p => p.ProductId, bought.ProductId).SetProperty(p => p.SkuId, bought.SkuId).SetProperty(p => p.AvailabilityId, bought.AvailabilityId)
                    .SetProperty(p => p.CatalogItemId, bought.CatalogItemId).SetProperty(p => p.FriendlyName, bought.FriendlyName).SetProperty(p => p.UnitPrice, bought.UnitPrice),
                Cancel);
            return await db.IdempotencyRecords.Where(r => r.Key == key).ExecuteUpdateAsync(
                r => r.SetProperty(x => x.CompletedAt, (DateTimeOffset?)null).SetProperty(x => x.StatusCode, (int?)null).SetProperty(x => x.ResponseBody, (string?)null), Cancel);
        });
        Time.Advance(Idempotency.Lease);
        var retried = await ActAsync<ActionOutcome>($"/api/subscriptions/{bought.Id}/upgrade", body, key);
        var upgrades = 0;
        await foreach (var record in Client.ListAuditRecordsAsync(new DateOnly(2026, 11, 26), null, Cancel))
        {
            upgrades += record.OperationType == "upgrade_subscription" ? 1 : 0;
        }

        Assert.Equal((BusinessStandard, 5), (retried.Subscription.CatalogItemId, retried.Subscription.Quantity));
        Assert.Equal(1, upgrades);
        Assert.Single(await App.WithDbAsync(db => db.SubscriptionEvents.Where(e => e.SubscriptionId == bought.Id && e.Kind == SubscriptionEventKind.Upgraded).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task Upgrade_SomeSeats_StartsACoterminousSubscriptionAndBothAreInvoicedAsTheShadowInvoiceSays()
    {
        var customer = await CustomerAsync();
        var bought = await OrderAsync(customer, BusinessBasic, "P1Y", "annual", 10);
        Time.Advance(TimeSpan.FromDays(2));

        var outcome = await ActAsync<ActionOutcome>($"/api/subscriptions/{bought.Id}/upgrade", new { toCatalogItemId = E3, quantity = 4 });
        var created = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.CustomerId == customer.Id && s.CatalogItemId == E3 && s.StartDate == new DateOnly(2026, 11, 28), Cancel));
        var inPartnerCenter = await Client.GetSubscriptionAsync(customer.CustomerTenantId.ToString(), created.MicrosoftSubscriptionId.ToString(), Cancel);

        Assert.Equal(6, outcome.Subscription.Quantity);
        Assert.Equal((4, bought.TermEndDate), (created.Quantity, created.TermEndDate));
        Assert.Equal((E3, 4), (inPartnerCenter.OfferId, inPartnerCenter.Quantity));
        Assert.Contains(outcome.Preview.MicrosoftCharges, l => l.ChargeType == "convert" && l.Quantity == 4 && l.Subtotal < 0);

        // A change to the new subscription later is charged in the same history as the upgrade that made it.
        Time.Advance(TimeSpan.FromDays(1));
        await ActAsync<ActionOutcome>($"/api/subscriptions/{created.Id}/seats", new { quantity = 5 });
        Time.Advance(TimeSpan.FromDays(4));
        await AssertInvoicedAsShadowAsync(new DateOnly(2026, 11, 1), bought.MicrosoftSubscriptionId, created.MicrosoftSubscriptionId);
    }

    [Fact]
    public async Task Upgrade_IntoAnExistingSubscription_MovesTheSeatsAndBothAreInvoicedAsTheShadowInvoiceSays()
    {
        var customer = await CustomerAsync();
        var source = await OrderAsync(customer, BusinessBasic, "P1Y", "monthly", 8);
        var into = await OrderAsync(customer, BusinessStandard, "P1Y", "monthly", 2);
        Time.Advance(TimeSpan.FromDays(8));

        var outcome = await ActAsync<ActionOutcome>($"/api/subscriptions/{source.Id}/upgrade", new { toCatalogItemId = BusinessStandard, quantity = 3, toSubscriptionId = into.Id });
        var target = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == into.Id, Cancel));

        Assert.Equal((5, 5), (outcome.Subscription.Quantity, target.Quantity));
        Assert.Contains(outcome.Preview.MicrosoftCharges, l => l.ChargeType == "moveQuantity" && l.Quantity == 3 && l.Subtotal > 0);

        Time.Advance(TimeSpan.FromDays(2));
        await AssertInvoicedAsShadowAsync(new DateOnly(2026, 11, 1), source.MicrosoftSubscriptionId, into.MicrosoftSubscriptionId);
    }

    [Fact]
    public async Task Upgrade_IntoASubscriptionStillInItsCancellationWindow_IsRefusedWithPartnerCentersReasonAndNothingSent()
    {
        var customer = await CustomerAsync();
        var source = await OrderAsync(customer, BusinessBasic, "P1Y", "monthly", 8);
        Time.Advance(TimeSpan.FromDays(8));
        var into = await OrderAsync(customer, BusinessStandard, "P1Y", "monthly", 2);
        Time.Advance(TimeSpan.FromDays(1));

        var preview = await PreviewAsync($"/api/subscriptions/{source.Id}/upgrade/preview", new { toCatalogItemId = BusinessStandard, quantity = 3, toSubscriptionId = into.Id });
        var refused = await PostAsync($"/api/subscriptions/{source.Id}/upgrade", new { toCatalogItemId = BusinessStandard, quantity = 3, toSubscriptionId = into.Id });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal((false, "subscription.upgrade_not_eligible"), (preview.Allowed, preview.Refusal?.Code));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("subscription.upgrade_not_eligible", problem.GetProperty("code").GetString());
        Assert.Contains("within cancellation window", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await Client.GetSubscriptionAsync(customer.CustomerTenantId.ToString(), into.MicrosoftSubscriptionId.ToString(), Cancel)).Quantity);
    }

    [Fact]
    public async Task Upgrade_ToALesserProduct_IsRefusedWithPartnerCentersReasonAndNothingSent()
    {
        var customer = await CustomerAsync();
        var bought = await OrderAsync(customer, BusinessStandard, "P1Y", "monthly", 5);
        Time.Advance(TimeSpan.FromHours(1));

        var downgrade = await PostAsync($"/api/subscriptions/{bought.Id}/upgrade", new { toCatalogItemId = BusinessBasic });
        var tooMany = await PostAsync($"/api/subscriptions/{bought.Id}/upgrade/preview", new { toCatalogItemId = E3, quantity = 6 });
        var problem = await downgrade.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var audit = await App.WithDbAsync(db => db.AuditEntries.Where(a => a.SubscriptionId == bought.Id && a.Action == UpgradeSubscription.Action).ToListAsync(Cancel));

        Assert.Equal(HttpStatusCode.Conflict, downgrade.StatusCode);
        Assert.Equal("subscription.upgrade_not_eligible", problem.GetProperty("code").GetString());
        Assert.Contains("downgrades", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal((Query.InvalidParameter, "quantity"), await CodeAndParameterAsync(tooMany));
        Assert.Equal(AuditOutcome.Refused, Assert.Single(audit).Outcome);
        Assert.Equal(BusinessStandard, (await Client.GetSubscriptionAsync(customer.CustomerTenantId.ToString(), bought.MicrosoftSubscriptionId.ToString(), Cancel)).OfferId);
    }

    /// <summary>
    /// Partner Center down while the platform reads what it allows — the upgrades a subscription may take, the end dates
    /// an order may align to — is a 502 that says to try again; nothing was asked of Partner Center to change.
    /// </summary>
    [Fact]
    public async Task PartnerCenterUnavailable_WhileReadingWhatItAllows_Is502AndNothingIsSent()
    {
        var customer = await CustomerAsync();
        var tenant = customer.CustomerTenantId.ToString();
        var bought = await OrderAsync(customer, BusinessBasic, "P1Y", "monthly", 5);
        var ordersBefore = (await Client.ListOrdersAsync(tenant, Cancel)).Count;
        using var simulator = new HttpClient { BaseAddress = new Uri(App.SimulatorUrl!) };
        (await simulator.PostAsJsonAsync("/_sim/faults", new Csp.PartnerCenter.Simulator.Http.Fault(
            Csp.PartnerCenter.Simulator.Http.FaultKind.Error, $"/v1/customers/{tenant}/subscriptions/", "GET", Times: 1000), Json, Cancel)).EnsureSuccessStatusCode();

        var upgrades = await WhileTheClockMovesAsync(App.CreateClient().GetAsync($"/api/subscriptions/{bought.Id}/upgrades", Cancel));
        var order = await WhileTheClockMovesAsync(PostAsync(
            $"/api/customers/{customer.Id}/subscriptions", new { catalogItemId = BusinessBasic, term = "P1M", billingPlan = "monthly", quantity = 2, customTermEndDate = "2026-11-30" }));
        (await simulator.DeleteAsync("/_sim/faults", Cancel)).EnsureSuccessStatusCode();

        foreach (var answer in new[] { upgrades, order })
        {
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
            Assert.Equal("partner_center.unavailable", problem.GetProperty("code").GetString());
            Assert.EndsWith("Try again shortly.", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, problem.GetProperty("microsoftRequestId").ValueKind);
        }

        Assert.Equal(ordersBefore, (await Client.ListOrdersAsync(tenant, Cancel)).Count);
    }

    /// <summary>The client backs off between attempts on the host's clock: the clock moves until the answer comes.</summary>
    private async Task<HttpResponseMessage> WhileTheClockMovesAsync(Task<HttpResponseMessage> sending)
    {
        while (!sending.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, Cancel);
        }

        return await sending;
    }

    [Fact]
    public async Task OtherReseller_GetsNotFoundForTheUpgradeAndBillingPlanRoutes()
    {
        var customer = await CustomerAsync();
        var bought = await OrderAsync(customer, E3, "P3Y", "monthly", 2);
        var other = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller && p.Id != customer.PartnerId).Select(p => p.Id).FirstAsync(Cancel));
        await using var asOther = new CommerceApp(Database, Time, other);
        var client = asOther.CreateClient();
        Task<HttpResponseMessage> Act(string path, object body) => PostWithKeyAsync(client, path, body);

        HttpResponseMessage[] answers =
        [
            await client.GetAsync($"/api/subscriptions/{bought.Id}/upgrades", Cancel),
            await client.PostAsJsonAsync($"/api/subscriptions/{bought.Id}/upgrade/preview", new { toCatalogItemId = "CFQ7TTC0LFLZ:0002:CFQ7TTC0K5GF" }, Cancel),
            await Act($"/api/subscriptions/{bought.Id}/upgrade", new { toCatalogItemId = "CFQ7TTC0LFLZ:0002:CFQ7TTC0K5GF" }),
            await client.PostAsJsonAsync($"/api/subscriptions/{bought.Id}/billing-plan/preview", new { billingPlan = "annual" }, Cancel),
            await Act($"/api/subscriptions/{bought.Id}/billing-plan", new { billingPlan = "annual" }),
        ];

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        Assert.Equal(("monthly", E3), await Client.GetSubscriptionAsync(customer.CustomerTenantId.ToString(), bought.MicrosoftSubscriptionId.ToString(), Cancel) is var s ? (s.BillingCycle, s.OfferId) : default);
    }

    private Task<Customer> CustomerAsync() => App.WithDbAsync(db => db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel));

    private async Task<Subscription> OrderAsync(Customer customer, string catalogItemId, string term, string billingPlan, int quantity)
    {
        var outcome = await ActAsync<OrderOutcome>($"/api/customers/{customer.Id}/subscriptions", new { catalogItemId, term, billingPlan, quantity });
        return await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == outcome.Subscription.Id, Cancel));
    }

    private static async Task<(string?, string?)> CodeAndParameterAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString());
    }
}

public sealed class SqliteUpgradeAndBillingPlanTests : UpgradeAndBillingPlanTests<SqliteDatabase>;

public sealed class PostgresUpgradeAndBillingPlanTests : UpgradeAndBillingPlanTests<PostgresDatabase>;
