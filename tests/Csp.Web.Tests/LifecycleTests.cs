using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Renewals;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Web.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Subscription = Csp.Data.Subscription;

namespace Csp.Web.Tests;

/// <summary>
/// Lifecycle actions end to end: over HTTP into the host, through the client over HTTP into demo mode's simulator, on a
/// fake clock that moves; on SQLite and PostgreSQL.
/// </summary>
public abstract class LifecycleTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{

    [Fact]
    public async Task ChangeSeats_Increase_PreviewIsWhatTheActionDoesAndWroteNothing()
    {
        var (s, tenant) = await BoughtAsync();
        var before = await CountsAsync(s);

        var preview = await PreviewAsync($"/api/subscriptions/{s.Id}/seats/preview", new { quantity = s.Quantity + 3 });
        var afterPreview = await CountsAsync(s);
        var outcome = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 3 });
        var inPartnerCenter = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);
        var recorded = await App.WithDbAsync(db => db.SubscriptionEvents.Where(e => e.SubscriptionId == s.Id).OrderByDescending(e => e.Id).FirstAsync(Cancel));

        Assert.Equal(before, afterPreview);
        Assert.True(preview.Allowed);
        Assert.Equivalent(preview, outcome.Preview, strict: true);
        Assert.Contains(preview.MicrosoftCharges, l => l.ChargeType == "addQuantity" && l.Quantity == s.Quantity + 3);
        Assert.True(preview.CommittedUntilTermEnd!.Difference > 0);
        Assert.Contains(preview.Warnings, w => w.Contains($"these 3 seats can no longer be reduced after {Time.GetUtcNow().AddHours(168):yyyy-MM-dd HH:mm} UTC", StringComparison.Ordinal));
        Assert.Equal(s.Quantity + 3, inPartnerCenter.Quantity);
        Assert.Equal(s.Quantity + 3, outcome.Subscription.Quantity);
        Assert.Equal((SubscriptionEventKind.QuantityChanged, s.Quantity + 3, (Guid?)outcome.MicrosoftRequestId), (recorded.Kind, recorded.QuantityAfter, recorded.MicrosoftRequestId));
    }

    [Fact]
    public async Task ChangeSeats_ReducingAddedSeats_IsAllowedUntilTheWindowsLastInstantAndRefusedAtIt()
    {
        var (s, _) = await BoughtAsync();
        var addedAt = Time.GetUtcNow();
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 5 });

        Time.Advance(TimeSpan.FromHours(168) - TimeSpan.FromSeconds(1));
        var lastMoment = await PreviewAsync($"/api/subscriptions/{s.Id}/seats/preview", new { quantity = s.Quantity + 1 });
        Time.Advance(TimeSpan.FromSeconds(1));
        var tooLate = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 1 });
        var problem = await tooLate.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var audit = await GetAsync<List<AuditEntryView>>($"/api/subscriptions/{s.Id}/audit");

        Assert.True(lastMoment.Allowed);
        Assert.Contains(lastMoment.MicrosoftCharges, l => l.ChargeType == "removeQuantity");
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        Assert.Equal("subscription.seat_reduction_window_closed", problem.GetProperty("code").GetString());
        Assert.Equal(addedAt.AddHours(168), problem.GetProperty("allowedUntil").GetDateTimeOffset());
        Assert.Equal([AuditOutcome.Refused, AuditOutcome.Done, AuditOutcome.Done], audit.Select(a => a.Outcome)); // newest first: the order is the last
        Assert.Equal("subscription.seat_reduction_window_closed", audit[0].Code);
    }

    [Fact]
    public async Task Cancel_InsideTheWindow_RefundsAndDeletesInPartnerCenter()
    {
        var (s, tenant) = await BoughtAsync();

        var preview = await PreviewAsync($"/api/subscriptions/{s.Id}/cancel/preview", new { });
        var outcome = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/cancel", new { });
        var inPartnerCenter = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);

        Assert.True(preview.Allowed);
        Assert.Contains(preview.MicrosoftCharges, l => l.ChargeType == "cancelImmediate" && l.Subtotal < 0);
        Assert.Contains(preview.Warnings, w => w.StartsWith("Cancelling is irreversible", StringComparison.Ordinal));
        Assert.Equal("deleted", inPartnerCenter.Status);
        Assert.Equal(SubscriptionStatus.Deleted, outcome.Subscription.Status);
    }

    [Fact]
    public async Task Cancel_AfterTheWindow_IsRefusedWithTheInstantItClosedAndNothingSent()
    {
        var (s, tenant) = await DemoSubscriptionAsync(s => s.TermStartedAt < CommerceApp.Now.AddDays(-30) && !s.IsTrial);

        var preview = await PreviewAsync($"/api/subscriptions/{s.Id}/cancel/preview", new { });
        var answer = await PostAsync($"/api/subscriptions/{s.Id}/cancel", new { });
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var inPartnerCenter = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);

        Assert.False(preview.Allowed);
        Assert.Equal(("subscription.cancellation_window_closed", s.TermStartedAt.AddHours(168)), (preview.Refusal!.Code, preview.Refusal.AllowedUntil!.Value));
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal(s.TermStartedAt.AddHours(168), problem.GetProperty("allowedUntil").GetDateTimeOffset());
        Assert.Equal("active", inPartnerCenter.Status);
    }

    [Fact]
    public async Task SuspendThenReactivate_SuspensionRefusesSeatChangesAndTurnsAutoRenewOff()
    {
        var (s, tenant) = await DemoSubscriptionAsync(s => s.AutoRenewEnabled && s.EndOfTerm == null);

        var suspendPreview = await PreviewAsync($"/api/subscriptions/{s.Id}/suspend/preview", new { });
        var suspended = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/suspend", new { });
        var seats = await PreviewAsync($"/api/subscriptions/{s.Id}/seats/preview", new { quantity = s.Quantity + 1 });
        Time.Advance(TimeSpan.FromHours(2));
        var reactivated = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/reactivate", new { });
        var inPartnerCenter = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);

        Assert.Contains(suspendPreview.Warnings, w => w.Contains("enters a paid Extended Service Term", StringComparison.Ordinal));
        Assert.Equal((SubscriptionStatus.Suspended, false), (suspended.Subscription.Status, suspended.Subscription.EndOfTerm.AutoRenewEnabled));
        Assert.Equal("subscription.suspended", seats.Refusal!.Code);
        Assert.Equal(SubscriptionStatus.Active, reactivated.Subscription.Status);
        Assert.True(reactivated.Subscription.EndOfTerm.DriftsIntoEst);
        Assert.Equal(("active", false), (inPartnerCenter.Status, inPartnerCenter.AutoRenewEnabled));
    }

    [Fact]
    public async Task Reactivate_AnActiveSubscription_IsRefusedAndNothingIsSent()
    {
        var (s, tenant) = await BoughtAsync();

        var answer = await PostAsync($"/api/subscriptions/{s.Id}/reactivate", new { });
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal("subscription.not_suspended", problem.GetProperty("code").GetString());
        Assert.Equal(0, await UpdatesInPartnerCenterAsync(s));
        Assert.Equal([AuditOutcome.Refused, AuditOutcome.Done], (await GetAsync<List<AuditEntryView>>($"/api/subscriptions/{s.Id}/audit")).Select(a => a.Outcome)); // the refusal, and the order
    }

    [Fact]
    public async Task ChangeSeats_ToTheSameNumberOrBelowOne_IsRefusedWithItsCode()
    {
        var (s, _) = await BoughtAsync();

        var same = await PreviewAsync($"/api/subscriptions/{s.Id}/seats/preview", new { quantity = s.Quantity });
        var none = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = 0 });

        Assert.Equal("subscription.nothing_to_change", same.Refusal!.Code);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal("request.invalid_parameter", (await none.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task SetEndOfTerm_AChoiceAlreadyMade_IsNothingToChange()
    {
        var (s, _) = await DemoSubscriptionAsync(s => s.EndOfTerm == null && s.TermStartDate >= new DateOnly(2025, 4, 1) && s.TermEndDate > new DateOnly(2027, 1, 1));

        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/end-of-term", new { choice = EndOfTerm.Cancel });
        var again = await PreviewAsync($"/api/subscriptions/{s.Id}/end-of-term/preview", new { choice = EndOfTerm.Cancel });
        var other = await PreviewAsync($"/api/subscriptions/{s.Id}/end-of-term/preview", new { choice = EndOfTerm.Est });

        Assert.Equal("subscription.nothing_to_change", again.Refusal!.Code);
        Assert.True(other.Allowed);
    }

    [Theory]
    [InlineData(EndOfTerm.Cancel, "Cancel", false)]
    [InlineData(EndOfTerm.Est, "RenewToExtendedServiceTerm", false)]
    [InlineData(EndOfTerm.Renew, "RenewToNewTerm", true)]
    public async Task SetEndOfTerm_SendsTheExplicitScheduledAction(EndOfTerm choice, string actionType, bool autoRenew)
    {
        var (s, tenant) = await DemoSubscriptionAsync(s => s.EndOfTerm == null && s.TermEndDate > new DateOnly(2027, 1, 1) && s.TermStartDate >= new DateOnly(2025, 4, 1));

        var outcome = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/end-of-term", new { choice });
        var inPartnerCenter = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);

        Assert.Equal(actionType, Assert.Single(inPartnerCenter.ScheduledActions!).ActionType);
        Assert.Equal(autoRenew, inPartnerCenter.AutoRenewEnabled);
        Assert.Equal((choice, true, false), (outcome.Subscription.EndOfTerm.Choice, outcome.Subscription.EndOfTerm.Explicit, outcome.Subscription.EndOfTerm.DriftsIntoEst));
    }

    [Fact]
    public async Task SetEndOfTerm_RenewWithFewerSeats_SchedulesTheRenewalAndPreviewsTheNextTermsCharges()
    {
        var (s, tenant) = await DemoSubscriptionAsync(s => s.Quantity > 3 && s.TermEndDate > new DateOnly(2027, 1, 1) && s.TermEndDate < new DateOnly(2027, 6, 1));
        var request = new { choice = EndOfTerm.Renew, renewal = new { quantity = s.Quantity - 2 } };

        var preview = await PreviewAsync($"/api/subscriptions/{s.Id}/end-of-term/preview", request);
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/end-of-term", request);
        var inPartnerCenter = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);
        var scheduled = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(x => x.Id == s.Id, Cancel));

        Assert.True(preview.Allowed);
        Assert.Contains(preview.MicrosoftCharges, l => l.ChargeStartDate == s.TermEndDate!.Value.AddDays(1) && l.Quantity == s.Quantity - 2);
        Assert.Equal(s.Quantity - 2, inPartnerCenter.ScheduledNextTermInstructions!.Quantity);
        Assert.Equal(s.Quantity - 2, scheduled.ScheduledRenewal!.Quantity);
    }

    [Fact]
    public async Task SetEndOfTerm_RenewWithATermItsPlanCannotBill_IsRefusedNamingTheField()
    {
        var (s, _) = await DemoSubscriptionAsync(s => s.Term == Csp.Domain.Terms.Term.P1Y && s.BillingPlan == Csp.Domain.Terms.BillingPlan.Annual);

        var preview = await App.CreateClient().PostAsJsonAsync($"/api/subscriptions/{s.Id}/end-of-term/preview", new { choice = EndOfTerm.Renew, renewal = new { term = "P1M" } }, Json, Cancel);
        var problem = await preview.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, preview.StatusCode);
        Assert.Equal(("request.invalid_parameter", "renewal.billingPlan"), (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString()));
        Assert.StartsWith("renewal.billingPlan", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetEndOfTerm_EstForATermEndingBeforeEnforcement_IsRefused()
    {
        var (s, _) = await DemoSubscriptionAsync(s => s.TermStartDate < new DateOnly(2025, 4, 1) && s.TermEndDate > CommerceApp.Now.Date.ToDateOnly());

        var answer = await PostAsync($"/api/subscriptions/{s.Id}/end-of-term", new { choice = EndOfTerm.Est });
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal("subscription.est_not_eligible", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Idempotency_ThirtyTwoConcurrentIdenticalPosts_ChangePartnerCenterOnce()
    {
        var (s, tenant) = await BoughtAsync();
        var key = Guid.NewGuid().ToString();
        Task<int> SeatChangesAsync() => App.WithDbAsync(db => db.SubscriptionEvents.CountAsync(e => e.SubscriptionId == s.Id && e.Kind == SubscriptionEventKind.QuantityChanged && e.Actor != "Partner Center", Cancel));
        var before = await SeatChangesAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 1 }, key)));
        var replay = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 1 }, key);
        var updates = await UpdatesInPartnerCenterAsync(s);
        var events = await SeatChangesAsync() - before;

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK && !a.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True(replay.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(1, updates);
        Assert.Equal(1, events);
        Assert.Equal(s.Quantity + 1, (await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel)).Quantity);
    }

    [Fact]
    public async Task Idempotency_ReplayReturnsTheFirstResponse_ADifferentBodyIs422_NoKeyIs400()
    {
        var (s, _) = await BoughtAsync();
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 2 }, key);
        Time.Advance(TimeSpan.FromHours(23));
        var again = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 2 }, key);
        var other = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 4 }, key);
        var missing = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 4 }, key: "");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Cancel), await again.Content.ReadAsStringAsync(Cancel));
        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        Assert.Equal("idempotency.key_reused", (await other.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("idempotency.key_required", (await missing.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString());
        Assert.Equal(1, await UpdatesInPartnerCenterAsync(s));
    }

    /// <summary>
    /// Partner Center answers 503 to every attempt: the caller gets 502, the failure is audited, and the key is not kept —
    /// the same request under the same key, once Partner Center is back, is carried out, once.
    /// </summary>
    [Fact]
    public async Task PartnerCenterUnavailable_Is502AndTheSameKeyCompletesTheChangeOnceItIsBack()
    {
        var (s, tenant) = await BoughtAsync();
        var key = Guid.NewGuid().ToString();
        using var simulator = new HttpClient { BaseAddress = new Uri(App.SimulatorUrl!) };
        (await simulator.PostAsJsonAsync("/_sim/faults", new Csp.PartnerCenter.Simulator.Http.Fault(
            Csp.PartnerCenter.Simulator.Http.FaultKind.Error, $"/v1/customers/{tenant}/subscriptions/{s.MicrosoftSubscriptionId}", "PATCH", Times: 100), Json, Cancel)).EnsureSuccessStatusCode();

        // The client backs off between attempts on the host's clock: the clock moves until the answer comes.
        var sending = PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 1 }, key);
        while (!sending.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, Cancel);
        }

        var failed = await sending;
        (await simulator.DeleteAsync("/_sim/faults", Cancel)).EnsureSuccessStatusCode();
        var retried = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 1 }, key);
        var audit = await GetAsync<List<AuditEntryView>>($"/api/subscriptions/{s.Id}/audit");

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("partner_center.unavailable", (await failed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString());
        Assert.Equal(s.Quantity + 1, retried.Subscription.Quantity);
        Assert.Equal([AuditOutcome.Done, AuditOutcome.Failed, AuditOutcome.Done], audit.Select(a => a.Outcome)); // newest first: the order is the last
        Assert.Equal(1, await UpdatesInPartnerCenterAsync(s));
    }

    [Fact]
    public async Task Idempotency_ARequestStillRunningUnderTheKey_Is409()
    {
        var (s, _) = await BoughtAsync();
        var key = Guid.NewGuid().ToString();
        await App.WithDbAsync(async db =>
        {
            // A request under this key that a host began and has not finished; keys are the acting partner's (the distributor).
            var acting = await db.Partners.Where(p => p.ParentPartnerId == null).Select(p => p.Id).SingleAsync(Cancel);
            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"POST /api/subscriptions/{s.Id}/seats\n{{\"quantity\":{s.Quantity + 1}}}")));
            db.IdempotencyRecords.Add(new IdempotencyRecord(acting, key, fingerprint, Time.GetUtcNow(), Time.GetUtcNow().Add(Idempotency.Lease)));
            return await db.SaveChangesAsync(Cancel);
        });

        var answer = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 1 }, key);

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal("idempotency.in_progress", (await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString());
        Assert.Equal(0, await UpdatesInPartnerCenterAsync(s));
    }

    [Fact]
    public async Task Idempotency_ARetryAfterACrashedRequestsLease_TakesItOverAndPartnerCenterActsOnce()
    {
        var (s, _) = await BoughtAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { quantity = s.Quantity + 1 };

        // The first attempt reached Partner Center, then its host died before recording anything.
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", body, key);
        await App.WithDbAsync(async db =>
        {
            await db.SubscriptionEvents.Where(e => e.SubscriptionId == s.Id && e.Kind == SubscriptionEventKind.QuantityChanged && e.MicrosoftRequestId != null).ExecuteDeleteAsync(Cancel);
            await db.Subscriptions.Where(x => x.Id == s.Id).ExecuteUpdateAsync(x => x.SetProperty(p => p.Quantity, s.Quantity), Cancel);
            return await db.IdempotencyRecords.Where(r => r.Key == key).ExecuteUpdateAsync(r => r.SetProperty(x => x.CompletedAt, (DateTimeOffset?)null).SetProperty(x => x.StatusCode, (int?)null).SetProperty(x => x.ResponseBody, (string?)null), Cancel);
        });
        var whileLeased = await PostAsync($"/api/subscriptions/{s.Id}/seats", body, key);
        Time.Advance(Idempotency.Lease);
        var retried = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", body, key);

        Assert.Equal(HttpStatusCode.Conflict, whileLeased.StatusCode);
        Assert.Equal(s.Quantity + 1, retried.Subscription.Quantity);
        Assert.Equal(1, await UpdatesInPartnerCenterAsync(s));
    }

    [Fact]
    public async Task Order_PreviewThenOrder_BuysInPartnerCenterAndRecordsThePurchase()
    {
        var (customer, tenant, catalogItemId) = await OfferAsync();
        var body = new { catalogItemId, term = "P1Y", billingPlan = "monthly", quantity = 7 };
        var ordersBefore = (await Client.ListOrdersAsync(tenant, Cancel)).Count;

        var preview = await PreviewAsync($"/api/customers/{customer.Id}/subscriptions/preview", body);
        var outcome = await ActAsync<OrderOutcome>($"/api/customers/{customer.Id}/subscriptions", body);
        var inPartnerCenter = await Client.GetSubscriptionAsync(tenant, outcome.Subscription.MicrosoftSubscriptionId.ToString(), Cancel);
        var purchase = await App.WithDbAsync(db => db.SubscriptionEvents.SingleAsync(e => e.SubscriptionId == outcome.Subscription.Id, Cancel));

        Assert.True(preview.Allowed);
        Assert.Equivalent(preview, outcome.Preview, strict: true);
        Assert.Equal(12, preview.MicrosoftCharges.Count);
        Assert.All(preview.MicrosoftCharges, l => Assert.Equal(7, l.Quantity));
        Assert.Contains(preview.Warnings, w => w.Contains($"cancelled with a prorated refund until {CommerceApp.Now.AddHours(168):yyyy-MM-dd HH:mm} UTC", StringComparison.Ordinal));
        Assert.Equal(ordersBefore + 1, (await Client.ListOrdersAsync(tenant, Cancel)).Count);
        Assert.Equal((catalogItemId, 7, "P1Y"), (inPartnerCenter.OfferId, inPartnerCenter.Quantity, inPartnerCenter.TermDuration));
        Assert.Equal((SubscriptionEventKind.Purchased, 7, (Guid?)outcome.MicrosoftRequestId), (purchase.Kind, purchase.QuantityAfter, purchase.MicrosoftRequestId));
        Assert.Equal(outcome.Subscription.CustomerId, customer.Id);
    }

    [Fact]
    public async Task Order_ThirtyTwoConcurrentIdenticalPosts_PlaceOnePartnerCenterOrder()
    {
        var (customer, tenant, catalogItemId) = await OfferAsync();
        var body = new { catalogItemId, term = "P1Y", billingPlan = "annual", quantity = 3 };
        var key = Guid.NewGuid().ToString();
        var ordersBefore = (await Client.ListOrdersAsync(tenant, Cancel)).Count;

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => PostAsync($"/api/customers/{customer.Id}/subscriptions", body, key)));
        var replay = await PostAsync($"/api/customers/{customer.Id}/subscriptions", body, key);
        var bought = await App.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.CustomerId == customer.Id && s.CatalogItemId == catalogItemId && s.Quantity == 3 && s.StartDate == new DateOnly(2026, 11, 26), Cancel));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK && !a.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.True(replay.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(ordersBefore + 1, (await Client.ListOrdersAsync(tenant, Cancel)).Count);
        Assert.Equal(1, bought);
    }

    [Fact]
    public async Task Order_ThenCancel_IsRefundedInsideTheWindowAndRefusedFromItsLastInstant()
    {
        var (customer, _, catalogItemId) = await OfferAsync();
        var bought = await ActAsync<OrderOutcome>($"/api/customers/{customer.Id}/subscriptions", new { catalogItemId, term = "P1Y", billingPlan = "monthly", quantity = 4 });

        Time.Advance(TimeSpan.FromDays(3));
        var inside = await PreviewAsync($"/api/subscriptions/{bought.Subscription.Id}/cancel/preview", new { });
        Time.Advance(TimeSpan.FromDays(4));
        var outside = await PreviewAsync($"/api/subscriptions/{bought.Subscription.Id}/cancel/preview", new { });

        Assert.True(inside.Allowed);
        Assert.Contains(inside.MicrosoftCharges, l => l.ChargeType == "cancelImmediate");
        Assert.False(outside.Allowed);
        Assert.Equal(("subscription.cancellation_window_closed", CommerceApp.Now.AddHours(168)), (outside.Refusal!.Code, outside.Refusal.AllowedUntil!.Value));
    }

    [Fact]
    public async Task Order_NotInTheCatalogIsRefusedAndAudited_ABadQuantityIs400AndNotAnAction()
    {
        var (customer, _, catalogItemId) = await OfferAsync();

        var unknown = await PostAsync($"/api/customers/{customer.Id}/subscriptions", new { catalogItemId = "NOPE:0001:NOPE", term = "P1Y", billingPlan = "monthly", quantity = 1 });
        var tooMany = await PostAsync($"/api/customers/{customer.Id}/subscriptions", new { catalogItemId, term = "P1Y", billingPlan = "monthly", quantity = 100_000 });
        var audit = await GetAsync<List<AuditEntryView>>($"/api/customers/{customer.Id}/audit");

        Assert.Equal(HttpStatusCode.Conflict, unknown.StatusCode);
        Assert.Equal("order.not_offered", (await unknown.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("quantity", (await tooMany.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
        Assert.Equal([AuditOutcome.Refused], audit.Select(a => a.Outcome));
    }

    [Fact]
    public async Task BulkEndOfTerm_CancelForEveryEstRisk_PreviewsThenAppliesEachOnceAndStopsTheDrift()
    {
        var atRisk = (await GetAsync<EstRiskReport>("/api/renewals/est-risk")).Subscriptions.Select(r => r.SubscriptionId).Order().ToList();
        var body = new { choice = EndOfTerm.Cancel, filter = new { estRiskOnly = true } };
        var key = Guid.NewGuid().ToString();

        var preview = await PreviewBulkAsync(body);
        var applied = await ActAsync<BulkEndOfTermResult>("/api/renewals/end-of-term", body, key);
        var replayed = await PostAsync("/api/renewals/end-of-term", body, key);
        var again = await ActAsync<BulkEndOfTermResult>("/api/renewals/end-of-term", new { choice = EndOfTerm.Cancel, filter = new { subscriptionIds = atRisk } });
        var left = await GetAsync<EstRiskReport>("/api/renewals/est-risk");
        var one = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == atRisk[0], Cancel));
        var inPartnerCenter = await Client.GetSubscriptionAsync(
            await App.WithDbAsync(db => db.Customers.Where(c => c.Id == one.CustomerId).Select(c => c.CustomerTenantId.ToString()).SingleAsync(Cancel)), one.MicrosoftSubscriptionId.ToString(), Cancel);

        Assert.NotEmpty(atRisk);
        Assert.Equal(atRisk, preview.Items.Select(i => i.SubscriptionId).Order());
        Assert.All(preview.Items, i => Assert.Equal("allowed", i.Result));
        Assert.Equal((atRisk.Count, atRisk.Count), (applied.Count, applied.Done));
        Assert.True(replayed.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal((atRisk.Count, 0), (again.Unchanged, again.Done));
        Assert.Empty(left.Subscriptions);
        Assert.Equal(("Cancel", false), (Assert.Single(inPartnerCenter.ScheduledActions!).ActionType, inPartnerCenter.AutoRenewEnabled));
    }

    [Fact]
    public async Task BulkEndOfTerm_PartnerCenterDownForOne_Is502WithEveryResultAndTheSameKeyFinishesIt()
    {
        var atRisk = (await GetAsync<EstRiskReport>("/api/renewals/est-risk")).Subscriptions.Select(r => r.SubscriptionId).Order().Take(2).ToList();
        var down = await App.WithDbAsync(async db =>
        {
            var s = await db.Subscriptions.SingleAsync(x => x.Id == atRisk[1], Cancel);
            return $"/v1/customers/{(await db.Customers.SingleAsync(c => c.Id == s.CustomerId, Cancel)).CustomerTenantId}/subscriptions/{s.MicrosoftSubscriptionId}";
        });
        using var simulator = new HttpClient { BaseAddress = new Uri(App.SimulatorUrl!) };
        (await simulator.PostAsJsonAsync("/_sim/faults", new Csp.PartnerCenter.Simulator.Http.Fault(Csp.PartnerCenter.Simulator.Http.FaultKind.Error, down, "PATCH", Times: 100), Json, Cancel)).EnsureSuccessStatusCode();
        var body = new { choice = EndOfTerm.Cancel, filter = new { subscriptionIds = atRisk } };
        var key = Guid.NewGuid().ToString();

        var sending = PostAsync("/api/renewals/end-of-term", body, key);
        while (!sending.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, Cancel);
        }

        var first = await sending;
        var partly = await first.Content.ReadFromJsonAsync<BulkEndOfTermResult>(Json, Cancel);
        (await simulator.DeleteAsync("/_sim/faults", Cancel)).EnsureSuccessStatusCode();
        var finished = await ActAsync<BulkEndOfTermResult>("/api/renewals/end-of-term", body, key);

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal((1, 1), (partly!.Done, partly.Failed));
        Assert.Equal((1, 1, 0), (finished.Unchanged, finished.Done, finished.Failed));
        Assert.DoesNotContain((await GetAsync<EstRiskReport>("/api/renewals/est-risk")).Subscriptions, r => atRisk.Contains(r.SubscriptionId));
    }

    [Fact]
    public async Task BulkEndOfTerm_WithoutAFilter_IsRefusedNamingIt()
    {
        var answer = await PostAsync("/api/renewals/end-of-term", new { choice = EndOfTerm.Cancel, filter = new { } });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("filter", (await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task MalformedBody_Is400NamingWhereTheJsonWentWrong_AndTheKeyStaysUnused()
    {
        var (s, _) = await BoughtAsync();
        var key = Guid.NewGuid().ToString();
        async Task<(HttpStatusCode Status, JsonElement Problem)> SendAsync(string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/subscriptions/{s.Id}/seats") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(Idempotency.Header, key);
            var response = await App.CreateClient().SendAsync(request, Cancel);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Cancel));
        }

        var wrongType = await SendAsync("{\"quantity\": \"twelve\"}");
        var notJson = await SendAsync("quantity=12");
        var fixedUp = await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = s.Quantity + 1 }, key);

        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Equal(("request.malformed", "$.quantity"), (wrongType.Problem.GetProperty("code").GetString(), wrongType.Problem.GetProperty("parameter").GetString()));
        Assert.Contains("$.quantity must be a whole number (line 1", wrongType.Problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Equal("request.malformed", notJson.Problem.GetProperty("code").GetString());
        Assert.Equal(s.Quantity + 1, fixedUp.Subscription.Quantity);
    }

    [Fact]
    public async Task OtherReseller_GetsNotFoundForEveryLifecycleRoute()
    {
        var (s, _) = await BoughtAsync();
        var other = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller && p.Id != s.PartnerId).Select(p => p.Id).FirstAsync(Cancel));
        await using var asOther = new CommerceApp(Database, Time, other);
        var client = asOther.CreateClient();
        Task<HttpResponseMessage> Act(string path, object body) => PostWithKeyAsync(client, path, body);

        HttpResponseMessage[] answers =
        [
            await client.PostAsJsonAsync($"/api/subscriptions/{s.Id}/seats/preview", new { quantity = 2 }, Cancel),
            await Act($"/api/subscriptions/{s.Id}/seats", new { quantity = 2 }),
            await Act($"/api/subscriptions/{s.Id}/cancel", new { }),
            await Act($"/api/subscriptions/{s.Id}/suspend", new { }),
            await Act($"/api/subscriptions/{s.Id}/reactivate", new { }),
            await Act($"/api/subscriptions/{s.Id}/end-of-term", new { choice = "cancel" }),
            await client.PostAsJsonAsync($"/api/subscriptions/{s.Id}/cancel/preview", new { }, Cancel),
            await client.PostAsJsonAsync($"/api/subscriptions/{s.Id}/suspend/preview", new { }, Cancel),
            await client.PostAsJsonAsync($"/api/subscriptions/{s.Id}/reactivate/preview", new { }, Cancel),
            await client.PostAsJsonAsync($"/api/subscriptions/{s.Id}/end-of-term/preview", new { choice = "cancel" }, Cancel),
            await client.PostAsJsonAsync($"/api/customers/{s.CustomerId}/subscriptions/preview", new { catalogItemId = s.CatalogItemId, term = "P1Y", billingPlan = "monthly", quantity = 1 }, Cancel),
            await Act($"/api/customers/{s.CustomerId}/subscriptions", new { catalogItemId = s.CatalogItemId, term = "P1Y", billingPlan = "monthly", quantity = 1 }),
            await client.GetAsync($"/api/subscriptions/{s.Id}/audit", Cancel),
            await client.GetAsync($"/api/subscriptions/{s.Id}/end-of-term", Cancel),
            await client.GetAsync($"/api/customers/{s.CustomerId}/audit", Cancel),
            await client.GetAsync($"/api/subscriptions/{s.Id}/upgrades", Cancel),
            await Act($"/api/subscriptions/{s.Id}/upgrade", new { toCatalogItemId = "CFQ7TTC0LFLZ:0002:CFQ7TTC0K5GF" }),
            await Act($"/api/subscriptions/{s.Id}/billing-plan", new { billingPlan = "annual" }),
        ];

        var bulk = await Act("/api/renewals/end-of-term", new { choice = "cancel", filter = new { subscriptionIds = new[] { s.Id } } });

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        Assert.Equal(0, (await bulk.Content.ReadFromJsonAsync<BulkEndOfTermResult>(Json, Cancel))!.Count);
        Assert.Equal(0, await UpdatesInPartnerCenterAsync(s));
    }

    /// <summary>A subscription bought for the test through the platform: 5 seats, one year billed monthly, a minute old.</summary>
    private async Task<(Subscription Subscription, string Tenant)> BoughtAsync()
    {
        var s = await BuyThroughPlatformAsync(5);
        return (s, await TenantAsync(s.CustomerId));
    }

    /// <summary>
    /// A demo subscription in service with a past no test can buy today — a term begun months ago, before EST, with a
    /// given end-of-term choice — chosen by <paramref name="also"/>, its term ending more than 14 days from now.
    /// </summary>
    private async Task<(Subscription Subscription, string Tenant)> DemoSubscriptionAsync(Func<Subscription, bool> also) =>
        await App.WithDbAsync(async db =>
        {
            var candidates = await db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active && s.Term != null && !s.IsTrial).OrderBy(s => s.Id).ToListAsync(Cancel);
            var s = candidates.First(s => also(s) && s.TermEndDate > CommerceApp.Now.Date.ToDateOnly().AddDays(14));
            return (s, (await db.Customers.SingleAsync(c => c.Id == s.CustomerId, Cancel)).CustomerTenantId.ToString());
        });

    private Task<(int Events, int Audit, int Subscriptions)> CountsAsync(Subscription s) =>
        App.WithDbAsync(async db => (
            await db.SubscriptionEvents.CountAsync(Cancel),
            await db.AuditEntries.CountAsync(Cancel),
            await db.Subscriptions.CountAsync(x => x.Id == s.Id && x.Quantity == s.Quantity, Cancel)));

    /// <summary>The changes Partner Center's audit records show for <paramref name="s"/> today.</summary>
    private async Task<int> UpdatesInPartnerCenterAsync(Subscription s)
    {
        var count = 0;
        await foreach (var record in Client.ListAuditRecordsAsync(CommerceApp.Now.Date.ToDateOnly(), null, Cancel))
        {
            count += record.OperationType == "update_subscription" && record.ResourceNewValue?.Contains(s.MicrosoftSubscriptionId.ToString(), StringComparison.Ordinal) == true ? 1 : 0;
        }

        return count;
    }

    private async Task<BulkEndOfTermResult> PreviewBulkAsync(object body)
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/renewals/end-of-term/preview", body, Json, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BulkEndOfTermResult>(Json, Cancel))!;
    }

    private async Task<T> GetAsync<T>(string path) => (await App.CreateClient().GetFromJsonAsync<T>(path, Json, Cancel))!;
}

public sealed class SqliteLifecycleTests : LifecycleTests<SqliteDatabase>;

public sealed class PostgresLifecycleTests : LifecycleTests<PostgresDatabase>;

internal static class DateTimeExtensions
{
    public static DateOnly ToDateOnly(this DateTime date) => new(date.Year, date.Month, date.Day);
}
