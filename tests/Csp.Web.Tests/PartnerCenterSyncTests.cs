using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Sync;
using Csp.Data;
using Csp.Domain.Reconciliation;
using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;
using ApiCustomer = Csp.PartnerCenter.Api.Customer;
using ApiSubscription = Csp.PartnerCenter.Api.Subscription;

namespace Csp.Web.Tests;

/// <summary>
/// Sync with Partner Center (demo mode's simulator), through the client: the first import, drift flagged within one
/// sync, and a month of activity in Partner Center that the platform's shadow invoice matches to the cent.
/// </summary>
public abstract class PartnerCenterSyncTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private async Task<SyncResult> SyncAsync()
    {
        var response = await App.CreateClient().PostAsync("/api/partner-center/sync", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SyncResult>(Json, Cancel))!;
    }

    private async Task DriftAsync(object drift)
    {
        using var simulator = new HttpClient { BaseAddress = new Uri(App.SimulatorUrl!) };
        (await simulator.PostAsJsonAsync("/_sim/drift", drift, Cancel)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Sync_First_FindsTheDemoAsThePlatformHoldsItAndASecondSyncThatDayFindsNothing()
    {
        var first = await SyncAsync();
        Time.Advance(TimeSpan.FromHours(13));
        var second = await SyncAsync();

        Assert.True(first.FirstImport);
        Assert.Equal((0, 0, 0), (first.CustomersImported, first.SubscriptionsImported, first.Drift));
        Assert.Equal((0, 0), (first.CatalogItemsImported, first.PricesImported));
        Assert.False(second.FirstImport);
        Assert.Equal((0, 0), (second.ChangesApplied, second.Drift));
    }

    /// <summary>The demo's history in Partner Center's audit records, read back 89 days, is the platform's history: no drift.</summary>
    private async Task<SyncRunView> FollowAsync(Guid id)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            var run = (await App.CreateClient().GetFromJsonAsync<SyncRunView>($"/api/partner-center/syncs/{id}", Json, timeout.Token))!;
            if (run.Status != SyncRunStatus.Running)
            {
                return run;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private async Task<(HttpStatusCode Status, SyncRunView Run, string? Location)> BeginAsync()
    {
        var response = await App.CreateClient().PostAsync("/api/partner-center/syncs", null, Cancel);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<SyncRunView>(Json, Cancel))!, response.Headers.Location?.ToString());
    }

    /// <summary>
    /// A sync in the background: asked for twice, it runs once — the second answer is the same run — and ends with the
    /// figures a sync within the request gives; the list of syncs holds it, with who started it.
    /// </summary>
    [Fact]
    public async Task SyncInTheBackground_AskedForTwice_RunsOnce_AndEndsWithItsFigures()
    {
        var first = await BeginAsync();
        var second = await BeginAsync();
        var done = await FollowAsync(first.Run.Id);
        var runs = await App.CreateClient().GetFromJsonAsync<List<SyncRunView>>("/api/partner-center/syncs", Json, Cancel);
        var third = await BeginAsync();
        await FollowAsync(third.Run.Id);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.Status, second.Status));
        Assert.Equal($"/api/partner-center/syncs/{first.Run.Id}", first.Location);
        Assert.Equal(first.Run.Id, second.Run.Id);
        Assert.Equal(SyncRunStatus.Done, done.Status);
        Assert.True(done.Result!.FirstImport);
        Assert.Equal((0, 0, 0), (done.Result.CustomersImported, done.Result.SubscriptionsImported, done.Result.Drift));
        Assert.NotNull(done.FinishedAt);
        Assert.Null(done.Progress);
        Assert.StartsWith("key ", Assert.Single(runs!).StartedBy, StringComparison.Ordinal);
        Assert.NotEqual(first.Run.Id, third.Run.Id);
    }

    /// <summary>
    /// A run left unfinished: by this host (it stopped; it runs nothing of it now) it is interrupted when the next sync is
    /// asked for, which starts; by another host, it stands in the way of a second sync (409) until it is six hours old.
    /// </summary>
    [Fact]
    public async Task Sync_LeftRunning_ByThisHostIsInterrupted_ByAnotherHostRefusesASecondUntilAbandoned()
    {
        var left = await LeaveRunningAsync(Environment.MachineName);

        var begun = await BeginAsync();
        await FollowAsync(begun.Run.Id);
        var interrupted = await App.CreateClient().GetFromJsonAsync<SyncRunView>($"/api/partner-center/syncs/{left}", Json, Cancel);

        var elsewhere = await LeaveRunningAsync("another-host");
        var refused = await App.CreateClient().PostAsync("/api/partner-center/sync", null, Cancel);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Time.Advance(StartSync.AbandonedAfter + TimeSpan.FromMinutes(1));
        var afterwards = await App.CreateClient().PostAsync("/api/partner-center/sync", null, Cancel);
        var abandoned = await App.CreateClient().GetFromJsonAsync<SyncRunView>($"/api/partner-center/syncs/{elsewhere}", Json, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, begun.Status);
        Assert.NotEqual(left, begun.Run.Id);
        Assert.Equal((SyncRunStatus.Interrupted, "partner_center.sync_interrupted"), (interrupted!.Status, interrupted.ErrorCode));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("partner_center.sync_running", problem.GetProperty("code").GetString());
        Assert.Contains(elsewhere.ToString(), problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(SyncRunStatus.Interrupted, abandoned!.Status);
        Assert.Contains("another-host", abandoned.Error, StringComparison.Ordinal);
    }

    /// <summary>A host starting runs no sync: what it left running when it stopped is interrupted, and applied nothing.</summary>
    [Fact]
    public async Task Sync_LeftRunningWhenTheHostStopped_IsInterruptedAsItStartsAgain()
    {
        var left = await LeaveRunningAsync(Environment.MachineName);

        await using var restarted = new CommerceApp(Database, Time);
        var run = await restarted.CreateClient().GetFromJsonAsync<SyncRunView>($"/api/partner-center/syncs/{left}", Json, Cancel);

        Assert.Equal((SyncRunStatus.Interrupted, "partner_center.sync_interrupted"), (run!.Status, run.ErrorCode));
        Assert.Contains("nothing was applied", run.Error, StringComparison.Ordinal);
    }

    private Task<Guid> LeaveRunningAsync(string host) => App.WithDbAsync(async db =>
    {
        var root = await db.Partners.Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel);
        var run = db.SyncRuns.Add(new SyncRun(Guid.CreateVersion7(Time.GetUtcNow()), root, "a person", Time.GetUtcNow(), host)).Entity;
        await db.SaveChangesAsync(Cancel);
        return run.Id;
    });

    [Fact]
    public async Task Sync_ReadingTheDemosAuditRecordsOf89Days_FindsNoDrift()
    {
        await SyncAsync();
        await App.WithDbAsync(db => db.PartnerCenterSyncs.ExecuteUpdateAsync(s => s.SetProperty(x => x.AppliedThrough, CommerceApp.Now.AddDays(-89)).SetProperty(x => x.ImportedAt, CommerceApp.Now.AddDays(-89)), Cancel));

        var again = await SyncAsync();

        Assert.True(again.ChangesApplied > 0, "the audit records were read");
        Assert.Equal(0, again.Drift);
    }

    [Fact]
    public async Task Sync_WithAMarketsPriceListMissing_ImportsItFromThePriceSheetOnceAMonth()
    {
        var (removed, rows) = await App.WithDbAsync(async db =>
        {
            var held = await db.Prices.Where(p => p.Market == "NL").Select(p => new { p.ProductId, p.SkuId, p.Term, p.BillingPlan, p.UnitPrice, p.EffectiveFrom, p.EffectiveTo }).ToListAsync(Cancel);
            return (await db.Prices.Where(p => p.Market == "NL").ExecuteDeleteAsync(Cancel), held);
        });

        var first = await SyncAsync();
        var second = await SyncAsync();
        var back = await App.WithDbAsync(db => db.Prices.Where(p => p.Market == "NL").Select(p => new { p.ProductId, p.SkuId, p.Term, p.BillingPlan, p.UnitPrice, p.EffectiveFrom, p.EffectiveTo }).ToListAsync(Cancel));

        Assert.Equal(rows.Count, removed);
        Assert.Equal(rows.Count(r => r.EffectiveTo is null), first.PricesImported);
        Assert.Equal(0, second.PricesImported);
        Assert.Equal(rows.Where(r => r.EffectiveTo is null).OrderBy(r => (r.ProductId, r.Term, r.BillingPlan)).ToList(), back.OrderBy(r => (r.ProductId, r.Term, r.BillingPlan)).ToList());
    }

    [Fact]
    public async Task Sync_AfterDriftInPartnerCenter_FlagsEachChangeAndAppliesIt()
    {
        await SyncAsync();
        var subscription = await BuyThroughPlatformAsync(5);
        var customerId = Guid.Parse(await TenantAsync(subscription.CustomerId));
        await DriftAsync(new { customerId, subscriptionId = subscription.MicrosoftSubscriptionId, quantity = subscription.Quantity + 7 });
        await DriftAsync(new { customerId, catalogItemId = "CFQ7TTC0LFLZ:0002:CFQ7TTC0K5GF", quantity = 4 });

        var found = await SyncAsync();
        var again = await SyncAsync();
        var flagged = await App.CreateClient().GetFromJsonAsync<List<PartnerCenterChangeView>>("/api/partner-center/changes?drift=true", Json, Cancel);
        var (seats, events, bought) = await App.WithDbAsync(async db => (
            (await db.Subscriptions.SingleAsync(s => s.Id == subscription.Id, Cancel)).Quantity,
            await db.SubscriptionEvents.Where(e => e.SubscriptionId == subscription.Id && e.Actor == SyncPartnerCenter.Actor && e.Kind == SubscriptionEventKind.QuantityChanged).CountAsync(Cancel),
            await db.Subscriptions.Where(s => s.ProductId == "CFQ7TTC0LFLZ" && s.Quantity == 4 && s.StartDate == new DateOnly(2026, 11, 26)).CountAsync(Cancel)));

        Assert.Equal((3, 2, 1), (found.ChangesApplied, found.Drift, found.SubscriptionsImported)); // the platform's own order, found as its own, and the two drifts
        Assert.Equal((0, 0), (again.ChangesApplied, again.Drift));
        Assert.Equal(2, flagged!.Count);
        Assert.Contains(flagged, c => c.SubscriptionId == subscription.Id && c.Description.Contains($"quantity {subscription.Quantity} → {subscription.Quantity + 7}", StringComparison.Ordinal));
        Assert.Equal((subscription.Quantity + 7, 1, 1), (seats, events, bought));
    }

    [Fact]
    public async Task Sync_AfterSeatChangesMadeThroughThePlatform_RecordsNothingAndTheShadowInvoiceKeepsItsLines()
    {
        await SyncAsync();
        var s = await BuyThroughPlatformAsync(4);
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = 5 });
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = 6 });
        var before = await HistoryAsync(s.Id);

        var found = await SyncAsync();

        Assert.Equal(0, found.Drift);
        Assert.Equal(before, await HistoryAsync(s.Id));
    }

    [Fact]
    public async Task Sync_AfterSeatChangesMadeThroughThePlatformBeforeTheFirstSync_RecordsNothing()
    {
        var s = await BuyThroughPlatformAsync(4);
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = 5 });
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = 6 });
        var before = await HistoryAsync(s.Id);

        var first = await SyncAsync();
        Time.Advance(TimeSpan.FromHours(1));
        var second = await SyncAsync();

        Assert.Equal((0, 0), (first.Drift, second.Drift));
        Assert.Equal(before, await HistoryAsync(s.Id));
    }

    /// <summary>Seats changed in Partner Center's portal, then by the platform on top of them: the portal's change alone is drift, and the platform ends where Partner Center is.</summary>
    [Fact]
    public async Task Sync_AfterDriftAndThenAPlatformChange_RecordsOnlyTheDriftAndEndsAsPartnerCenterIs()
    {
        await SyncAsync();
        var s = await BuyThroughPlatformAsync(4);
        var tenant = await App.WithDbAsync(db => db.Customers.Where(c => c.Id == s.CustomerId).Select(c => c.CustomerTenantId).SingleAsync(Cancel));
        await DriftAsync(new { customerId = tenant, subscriptionId = s.MicrosoftSubscriptionId, quantity = 7 });
        Time.Advance(TimeSpan.FromMinutes(5));
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = 9 });

        var found = await SyncAsync();
        var (held, events) = await App.WithDbAsync(async db => (
            (await db.Subscriptions.SingleAsync(x => x.Id == s.Id, Cancel)).Quantity,
            (await db.SubscriptionEvents.Where(e => e.SubscriptionId == s.Id && e.Kind == SubscriptionEventKind.QuantityChanged).ToListAsync(Cancel)).OrderBy(e => e.OccurredAt).Select(e => e.QuantityAfter).ToList()));

        Assert.Equal(1, found.Drift);
        Assert.Equal(9, held);
        Assert.Equal([7, 9], events);
    }

    /// <summary>The subscription's events in order, and its lines in this month's shadow invoice.</summary>
    private async Task<(string Events, string Lines)> HistoryAsync(Guid id)
    {
        var events = await App.WithDbAsync(db => db.SubscriptionEvents.Where(e => e.SubscriptionId == id).OrderBy(e => e.Id).Select(e => e.Change).ToListAsync(Cancel));
        var microsoftId = (await App.WithDbAsync(db => db.Subscriptions.Where(x => x.Id == id).Select(x => x.MicrosoftSubscriptionId).SingleAsync(Cancel))).ToString();
        var csv = await App.CreateClient().GetStringAsync($"/api/shadow-invoice?month={Time.GetUtcNow():yyyy-MM}", Cancel);
        var lines = InvoiceReconFile.Read(new StringReader(csv), "shadow-invoice.csv").Where(l => l.SubscriptionId == microsoftId).Select(l => $"{l.ChargeType} {l.Quantity} {l.Subtotal}").ToList();
        Assert.NotEmpty(lines);
        return (string.Join(" | ", events), string.Join(" | ", lines));
    }

    [Fact]
    public async Task Sync_TwiceAtOnce_AppliesADriftOnce()
    {
        await SyncAsync();
        var subscription = await BuyThroughPlatformAsync(5);
        var customerId = Guid.Parse(await TenantAsync(subscription.CustomerId));
        await DriftAsync(new { customerId, subscriptionId = subscription.MicrosoftSubscriptionId, quantity = subscription.Quantity + 2 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => App.CreateClient().PostAsync("/api/partner-center/sync", null, Cancel)));
        var events = await App.WithDbAsync(db => db.SubscriptionEvents.CountAsync(e => e.SubscriptionId == subscription.Id && e.Kind == SubscriptionEventKind.QuantityChanged && e.Actor == SyncPartnerCenter.Actor, Cancel));

        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task Sync_AfterARenewalChangeScheduledInPartnerCenter_FlagsItAsDriftAndAppliesIt()
    {
        await SyncAsync();
        var (customerId, subscriptionId) = await App.WithDbAsync(async db =>
        {
            var s = await db.Subscriptions.Where(s => s.Status == Csp.Domain.Subscriptions.SubscriptionStatus.Active && s.AutoRenewEnabled && s.Term != null && !s.IsTrial && s.EndOfTerm != EndOfTerm.Est)
                .OrderBy(s => s.Id).FirstAsync(Cancel);
            return ((await db.Customers.SingleAsync(c => c.Id == s.CustomerId, Cancel)).CustomerTenantId.ToString(), s.MicrosoftSubscriptionId.ToString());
        });
        var current = await Client.GetSubscriptionAsync(customerId, subscriptionId, Cancel);
        await Client.PatchSubscriptionAsync(customerId, current with { ScheduledNextTermInstructions = new ScheduledNextTermInstructions(null, current.Quantity + 3) }, Guid.NewGuid(), Cancel);

        var found = await SyncAsync();
        var flagged = await App.CreateClient().GetFromJsonAsync<List<PartnerCenterChangeView>>("/api/partner-center/changes?drift=true", Json, Cancel);

        var held = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.MicrosoftSubscriptionId == Guid.Parse(subscriptionId), Cancel));
        var again = await SyncAsync();

        Assert.Equal((1, 1), (found.ChangesApplied, found.Drift));
        Assert.Contains($"renewal scheduled as {current.Quantity + 3} seats", Assert.Single(flagged!).Description, StringComparison.Ordinal);
        Assert.Equal(current.Quantity + 3, held.ScheduledRenewal!.Quantity);
        Assert.Equal(0, again.Drift);
    }

    [Fact]
    public async Task Sync_AfterTheRenewalWasScheduledThroughThePlatform_FindsNoDrift()
    {
        await SyncAsync();
        var id = await App.WithDbAsync(db => db.Subscriptions
            .Where(s => s.Status == SubscriptionStatus.Active && s.Term != null && !s.IsTrial && s.Quantity > 2 && s.TermEndDate > new DateOnly(2027, 1, 1))
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.Quantity }).FirstAsync(Cancel));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/subscriptions/{id.Id}/end-of-term")
        {
            Content = JsonContent.Create(new { choice = "renew", renewal = new { quantity = id.Quantity - 1, billingPlan = "annual" } }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().SendAsync(request, Cancel)).StatusCode);

        var found = await SyncAsync();

        Assert.Equal(0, found.Drift);
    }

    /// <summary>
    /// The rest of November in a new German customer's Partner Center account, through the client (as another tool, or
    /// a person, would): purchases, seats added and given back inside the window, a cancellation, auto-renew turned off,
    /// a suspension, a purchase with a 15% promotion. The platform only syncs (reading the promotion's discount from Partner
    /// Center); Microsoft's invoice for November must be its shadow invoice, line for line.
    /// </summary>
    [Fact]
    public async Task ShadowInvoice_OfAMonthOfActivityFoundBySync_MatchesTheSimulatorsInvoiceWithZeroDiscrepancies()
    {
        await SyncAsync();
        var customer = await Client.CreateCustomerAsync(
            new ApiCustomer(null, new CompanyProfile("Fabrikam", "fabrikam-sync.onmicrosoft.com"), new BillingProfile("de-DE", "de", null, "it@fabrikam.example", new Address("DE"), "Fabrikam GmbH")), Guid.NewGuid(), Cancel);
        var basic = await BuyAsync(customer, "CFQ7TTC0LH18:0001:CFQ7TTC0K971", 10, "P1Y", "Monthly");
        var standard = await BuyAsync(customer, "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ", 5, "P1M", "Monthly");
        var e3 = await BuyAsync(customer, "CFQ7TTC0LFLX:0001:CFQ7TTC0K5DQ", 3, "P1Y", "Annual");
        var promoted = await BuyAsync(customer, "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1", 4, "P1Y", "Monthly", "CFQ7TTC0LCHC:0002:39NFJQT1Q5KN");
        Time.Advance(TimeSpan.FromDays(1));
        await PatchAsync(customer, basic, s => s with { Quantity = 15 });
        await PatchAsync(customer, e3, s => s with { AutoRenewEnabled = false });
        Time.Advance(TimeSpan.FromDays(1));
        await PatchAsync(customer, basic, s => s with { Quantity = 12 });
        await SyncAsync();
        Time.Advance(TimeSpan.FromDays(1));
        await PatchAsync(customer, standard, s => s with { Status = "deleted" });
        Time.Advance(TimeSpan.FromDays(1));
        await PatchAsync(customer, basic, s => s with { Status = "suspended" });
        await SyncAsync();
        Time.Advance(TimeSpan.FromDays(2));

        var invoice = Assert.Single(await Client.ListInvoicesAsync(Cancel), i => i.CurrencyCode == "EUR" && i.BillingPeriodStartDate == new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var billed = new List<ReconLine>();
        await foreach (var line in Client.ListInvoiceLineItemsAsync(invoice.Id, 2000, Cancel))
        {
            billed.Add(line);
        }

        var csv = await App.CreateClient().GetStringAsync("/api/shadow-invoice?month=2026-11", Cancel);
        var expected = InvoiceReconFile.Read(new StringReader(csv), "shadow-invoice.csv").Where(l => l.CustomerId == customer.Id).ToList();
        var result = ReconMatcher.Match(expected, billed.Where(l => l.CustomerId == customer.Id));

        Assert.Empty(result.Differences);
        Assert.Equal(billed.Count(l => l.CustomerId == customer.Id), result.Matched);
        Assert.True(result.Matched >= 7, $"{result.Matched} lines matched");
        var discounted = Assert.Single(billed, l => l.SubscriptionId == promoted.Id);
        Assert.Equal(("CFQ7TTC0LCHC:0002:39NFJQT1Q5KN", discounted.UnitPrice * 0.85m), (discounted.PromotionId, discounted.EffectiveUnitPrice));
        Assert.Equal(0.15m, await App.WithDbAsync(db => db.Subscriptions.Where(x => x.MicrosoftSubscriptionId == Guid.Parse(promoted.Id)).Select(x => x.PromotionDiscount).SingleAsync(Cancel)));
        Assert.Equal(billed.Where(l => l.CustomerId == customer.Id).Sum(l => l.Subtotal), expected.Sum(l => l.Subtotal));
    }

    [Fact]
    public async Task Sync_AsAReseller_Is404AndItSeesNoneOfTheDistributorsChanges()
    {
        await SyncAsync();
        await DriftAsync(new { customerId = await App.WithDbAsync(db => db.Customers.OrderBy(c => c.Id).Select(c => c.CustomerTenantId).FirstAsync(Cancel)), catalogItemId = "CFQ7TTC0LH18:0001:CFQ7TTC0K971", quantity = 2 });
        await SyncAsync();
        var reseller = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel));
        await using var asReseller = new CommerceApp(Database, Time, reseller);

        var sync = await asReseller.CreateClient().PostAsync("/api/partner-center/sync", null, Cancel);
        var changes = await asReseller.CreateClient().GetFromJsonAsync<List<PartnerCenterChangeView>>("/api/partner-center/changes", Json, Cancel);
        var problem = await sync.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.NotFound, sync.StatusCode);
        Assert.Equal("partner_center.no_account", problem.GetProperty("code").GetString());
        Assert.Empty(changes!);
    }

    private async Task<ApiSubscription> BuyAsync(ApiCustomer customer, string catalogItemId, int quantity, string term, string billing, string? promotionId = null)
    {
        var cart = await Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, catalogItemId, quantity, term, billing, PromotionId: promotionId)], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);
        var checkout = await Client.CheckoutAsync(customer.Id!, cart.Id!, Guid.NewGuid(), Cancel);
        return await Client.GetSubscriptionAsync(customer.Id!, Assert.Single(Assert.Single(checkout.Orders).LineItems).SubscriptionId!, Cancel);
    }

    private async Task PatchAsync(ApiCustomer customer, ApiSubscription subscription, Func<ApiSubscription, ApiSubscription> change)
    {
        var current = await Client.GetSubscriptionAsync(customer.Id!, subscription.Id, Cancel);
        await Client.PatchSubscriptionAsync(customer.Id!, change(current), Guid.NewGuid(), Cancel);
    }
}

public sealed class SqlitePartnerCenterSyncTests : PartnerCenterSyncTests<SqliteDatabase>;

public sealed class PostgresPartnerCenterSyncTests : PartnerCenterSyncTests<PostgresDatabase>;
