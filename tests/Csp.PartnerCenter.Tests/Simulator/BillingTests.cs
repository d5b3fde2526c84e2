using System.Net.Http.Json;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator;
using Csp.PartnerCenter.Simulator.Features;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>The simulator's audit records and invoices: a month of activity through the client, billed as Microsoft bills it.</summary>
public sealed class BillingTests
{
    private static readonly DateTimeOffset November2 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly November2Day = new(2026, 11, 2);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string BusinessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ";
    private const string E3 = "CFQ7TTC0LFLX:0001:CFQ7TTC0K5DQ";
    private const string Premium = "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1";

    /// <summary>
    /// November in a German customer's account: 10 seats bought on the 2nd, 15 on the 4th, back to 13 on the 5th (inside
    /// the window), suspended on the 10th; a one-month term bought on the 5th and cancelled on the 7th; an annual E3 bought
    /// on the 7th with auto-renew turned off on the 8th.
    /// </summary>
    private static async Task<(SimulatedPartnerCenter Pc, Customer Customer, string[] Ids)> NovemberAsync()
    {
        var pc = new SimulatedPartnerCenter(November2, settings: new Dictionary<string, string> { ["Simulator:ExportDuration"] = "00:00:01" });
        var customer = await pc.CustomerAsync("DE");
        var a = await pc.SubscribeAsync(customer, BusinessBasic, 10);
        await pc.AdvanceAsync(TimeSpan.FromDays(2));
        a = await PatchAsync(pc, customer, a, s => s with { Quantity = 15 });
        await pc.AdvanceAsync(TimeSpan.FromDays(1));
        a = await PatchAsync(pc, customer, a, s => s with { Quantity = 13 });
        var b = await pc.SubscribeAsync(customer, BusinessStandard, 5, "P1M", "Monthly");
        await pc.AdvanceAsync(TimeSpan.FromDays(2));
        await PatchAsync(pc, customer, b, s => s with { Status = "deleted" });
        var c = await pc.SubscribeAsync(customer, E3, 3, "P1Y", "Annual");
        await pc.AdvanceAsync(TimeSpan.FromDays(1));
        await PatchAsync(pc, customer, c, s => s with { AutoRenewEnabled = false });
        await pc.AdvanceAsync(TimeSpan.FromDays(2));
        await PatchAsync(pc, customer, a, s => s with { Status = "suspended" });
        return (pc, customer, [a.Id, b.Id, c.Id]);
    }

    private static async Task<Subscription> PatchAsync(SimulatedPartnerCenter pc, Customer customer, Subscription subscription, Func<Subscription, Subscription> change)
    {
        var current = await pc.Client.GetSubscriptionAsync(customer.Id!, subscription.Id, Cancel);
        return await pc.Client.PatchSubscriptionAsync(customer.Id!, change(current), Guid.NewGuid(), Cancel);
    }

    [Fact]
    public async Task AuditRecords_OfAMonth_AreEveryOperationInOrderWithBeforeAndAfter()
    {
        var (pc, customer, ids) = await NovemberAsync();
        await using var _ = pc;

        var records = new List<AuditRecord>();
        await foreach (var record in pc.Client.ListAuditRecordsAsync(new DateOnly(2026, 11, 1), null, Cancel))
        {
            records.Add(record);
        }

        Assert.Equal(
            ["add_customer", "create_order", "update_subscription", "update_subscription", "create_order", "update_subscription", "create_order", "update_subscription", "update_subscription"],
            records.Select(r => r.OperationType));
        Assert.All(records, r => Assert.Equal(customer.Id, r.CustomerId));
        var seats = records.Where(r => r.OperationType == "update_subscription").Take(2).Select(r => SubscriptionChanges.Between(
            System.Text.Json.JsonSerializer.Deserialize(r.ResourceOldValue!, PartnerCenterJson.Default.Subscription)!,
            System.Text.Json.JsonSerializer.Deserialize(r.ResourceNewValue!, PartnerCenterJson.Default.Subscription)!,
            BillingClock.MicrosoftDay(r.OperationDate))).ToList();
        Assert.Equal([new ChangeQuantity(new DateOnly(2026, 11, 4), ids[0], 15)], seats[0]);
        Assert.Equal([new ChangeQuantity(new DateOnly(2026, 11, 5), ids[0], 13)], seats[1]);
    }

    [Fact]
    public async Task Invoice_OfAMonthOfActivity_IsWhatTheChargeEngineMakesOfItAndBothApisAgree()
    {
        var (pc, customer, ids) = await NovemberAsync();
        await using var _ = pc;
        Assert.Empty(await pc.Client.ListInvoicesAsync(Cancel));
        await pc.AdvanceAsync(TimeSpan.FromDays(22));

        var invoice = Assert.Single(await pc.Client.ListInvoicesAsync(Cancel));
        var paged = await ToListAsync(pc.Client.ListInvoiceLineItemsAsync(invoice.Id, 2, Cancel));
        var exported = await pc.WhileTheClockMovesAsync(ToListAsync(pc.Client.ExportInvoiceReconciliationAsync(invoice.Id, Guid.NewGuid(), Cancel)));

        var expected = Expected(customer, ids);
        var result = ReconMatcher.Match(expected, paged);
        Assert.Equal(("EUR", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), (invoice.CurrencyCode, invoice.BillingPeriodStartDate));
        Assert.Empty(result.Differences);
        Assert.Equal(expected.Count, result.Matched);
        Assert.Equal(expected.Sum(l => l.Subtotal), invoice.TotalCharges);
        Assert.Equal(paged.Select(Comparable), exported.Select(Comparable));
        Assert.Contains(paged, l => l.ChargeType == "cancelImmediate" && l.SubscriptionId == ids[1]);
    }

    /// <summary>
    /// Upgrades in a month: 4 of 10 Business Basic seats into a new Business Standard subscription on the 4th, the other
    /// 6 into Business Premium in full on the 6th (the subscription keeps its id), 2 more Premium seats on the 8th.
    /// </summary>
    [Fact]
    public async Task Invoice_OfAMonthWithUpgrades_BillsThemAsTheChargeEngineDoes()
    {
        await using var pc = new SimulatedPartnerCenter(November2);
        var customer = await pc.CustomerAsync("DE");
        var basic = await pc.SubscribeAsync(customer, BusinessBasic, 10);
        await pc.AdvanceAsync(TimeSpan.FromDays(2));
        var partial = await pc.Client.TransitionAsync(customer.Id!, basic.Id, new Transition(BusinessBasic, BusinessStandard, 4, "transition_only"), Guid.NewGuid(), Cancel);
        await pc.AdvanceAsync(TimeSpan.FromDays(2));
        await pc.Client.TransitionAsync(customer.Id!, basic.Id, new Transition(BusinessBasic, Premium, 6, "transition_only"), Guid.NewGuid(), Cancel);
        await pc.AdvanceAsync(TimeSpan.FromDays(2));
        await PatchAsync(pc, customer, basic, s => s with { Quantity = 8 });
        await pc.AdvanceAsync(TimeSpan.FromDays(24));

        var invoice = Assert.Single(await pc.Client.ListInvoicesAsync(Cancel));
        var billed = await ToListAsync(pc.Client.ListInvoiceLineItemsAsync(invoice.Id, 2000, Cancel));

        var eur = Currency.FromCode("EUR").Value;
        Money Price(string item, Term term) => new(SimulatorCatalog.UnitPrice(Catalog.Find(item)!, "DE", term, BillingPlan.Monthly, new DateOnly(2026, 11, 2)), eur);
        PurchasedSubscription Bought(string id, string item, DateOnly day, int seats)
        {
            var offer = Catalog.Find(item)!;
            return new(id, offer.ProductId, offer.SkuId, offer.Title, Price(item, Term.P1Y), Term.P1Y, BillingPlan.Monthly, day, seats, MonthlyTermUnitPrice: Price(item, Term.P1M));
        }

        var history = new ChargeHistory(eur, new DateOnly(2026, 11, 30), [Bought(basic.Id, BusinessBasic, new DateOnly(2026, 11, 2), 10)],
        [
            new Upgrade(new DateOnly(2026, 11, 4), basic.Id, 4, Bought(partial.ToSubscriptionId!, BusinessStandard, new DateOnly(2026, 11, 4), 4), false),
            new Upgrade(new DateOnly(2026, 11, 6), basic.Id, 6, Bought("premium", Premium, new DateOnly(2026, 11, 6), 6), false),
            new ChangeQuantity(new DateOnly(2026, 11, 8), "premium", 8),
        ]);
        var expected = ShadowInvoice.For(ChargeEngine.Run(history, ChargeRules.Default).Value, BillingPeriod.Month(new DateOnly(2026, 11, 1)), customer.Id!).ToList();
        var result = ReconMatcher.Match(expected, billed);

        Assert.Empty(result.Differences);
        Assert.Equal(expected.Count, result.Matched);
        Assert.Equal(4, billed.Count(l => l.ChargeType == "convert"));
        Assert.All(billed.Where(l => l.ProductId == Catalog.Find(Premium)!.ProductId), l => Assert.Equal(basic.Id, l.SubscriptionId));
    }

    /// <summary>
    /// A one-month Business Basic term whose end is scheduled on the 5th as a transition: 12 seats of Business Standard.
    /// It renews on 2 December into Standard, and December's invoice charges the renewal in that shape.
    /// </summary>
    [Fact]
    public async Task Invoice_AfterATransitionScheduledForTheTermsEnd_ChargesTheRenewalInTheNewProduct()
    {
        await using var pc = new SimulatedPartnerCenter(November2);
        var customer = await pc.CustomerAsync("DE");
        var basic = await pc.SubscribeAsync(customer, BusinessBasic, 10, "P1M", "Monthly");
        await pc.AdvanceAsync(TimeSpan.FromDays(3));
        var standard = Catalog.Find(BusinessStandard)!;
        var instructions = new ScheduledNextTermInstructions(new ScheduledProduct(standard.ProductId, standard.SkuId, standard.AvailabilityId, "Monthly", "P1M"), 12);
        var customDate = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, basic, s => s with { ScheduledActions = [new ScheduledAction("CustomDate", "Cancel", new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero))] }));
        var downgrade = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, basic, s => s with
        {
            ScheduledActions = [new ScheduledAction("TermEnd", "Transition", Instructions: new ScheduledNextTermInstructions(new ScheduledProduct("CFQ7TTC0LH16", "0001", "CFQ7TTC0K5F1", "Monthly", "P1M"), 12))],
        }));
        await PatchAsync(pc, customer, basic, s => s with { ScheduledActions = [new ScheduledAction("TermEnd", "Transition", Instructions: instructions)] });
        await pc.AdvanceAsync(TimeSpan.FromDays(57));

        var renewed = await pc.Client.GetSubscriptionAsync(customer.Id!, basic.Id, Cancel);
        var invoice = Assert.Single(await pc.Client.ListInvoicesAsync(Cancel), i => i.BillingPeriodStartDate?.Month == 12);
        var billed = await ToListAsync(pc.Client.ListInvoiceLineItemsAsync(invoice.Id, 2000, Cancel));
        var eur = Currency.FromCode("EUR").Value;
        var bought = new PurchasedSubscription(
            basic.Id, "CFQ7TTC0LH18", "0001", "Microsoft 365 Business Basic", new Money(SimulatorCatalog.UnitPrice(Catalog.Find(BusinessBasic)!, "DE", Term.P1M, BillingPlan.Monthly, November2Day), eur),
            Term.P1M, BillingPlan.Monthly, November2Day, 10);
        var next = new NextTerm(standard.ProductId, standard.SkuId, standard.Title, Term.P1M, BillingPlan.Monthly, 12, new Money(SimulatorCatalog.UnitPrice(standard, "DE", Term.P1M, BillingPlan.Monthly, new DateOnly(2026, 12, 2)), eur));
        var history = new ChargeHistory(eur, new DateOnly(2026, 12, 31), [bought], [new ScheduleNextTerm(new DateOnly(2026, 11, 5), basic.Id, next)]);
        var expected = ShadowInvoice.For(ChargeEngine.Run(history, ChargeRules.Default).Value, BillingPeriod.Month(new DateOnly(2026, 12, 1)), customer.Id!).ToList();
        var result = ReconMatcher.Match(expected, billed);

        Assert.Equal(("800002", "800002"), (customDate.Code, downgrade.Code));
        Assert.Equal((BusinessStandard, 12), (renewed.OfferId, renewed.Quantity));
        Assert.Empty(result.Differences);
        Assert.Contains(billed, l => l.ChargeType == "renew" && l.ProductId == standard.ProductId && l.Quantity == 12);
    }

    [Fact]
    public async Task AzurePlan_AMonthOfUsageWithASpike_IsBilledAsItsDailyRatedUsageAddsUp()
    {
        await using var pc = new SimulatedPartnerCenter(November2, settings: new Dictionary<string, string> { ["Simulator:ExportDuration"] = "00:00:01" });
        var customer = await pc.CustomerAsync("DE");
        var plan = await pc.SubscribeAsync(customer, "DZH318Z0BPS6:0001:DZH318Z0BPKG", 1, "", "none");
        (await pc.Control.PostAsJsonAsync("/_sim/usage", new UsageSpike(Guid.Parse(plan.Id), new DateOnly(2026, 11, 10), 5m), Cancel)).EnsureSuccessStatusCode();
        await pc.AdvanceAsync(TimeSpan.FromDays(29));

        var invoice = Assert.Single(await pc.Client.ListInvoicesAsync(Cancel));
        var lines = await ToListAsync(pc.Client.ListInvoiceLineItemsAsync(invoice.Id, 2000, Cancel));
        await pc.AdvanceAsync(TimeSpan.FromDays(4));
        var usage = await pc.WhileTheClockMovesAsync(ToListAsync(pc.Client.ExportBilledUsageAsync(invoice.Id, Guid.NewGuid(), Cancel)));
        var unbilled = await pc.WhileTheClockMovesAsync(ToListAsync(pc.Client.ExportUnbilledUsageAsync("EUR", "current", Guid.NewGuid(), Cancel)));

        var days = usage.GroupBy(u => u.UsageDate).ToDictionary(g => g.Key, g => g.Sum(u => u.BillingPreTaxTotal));
        var month = BillingPeriod.Month(new DateOnly(2026, 11, 1));
        var result = AzureUsageMatcher.Match(lines, [new SubscriptionUsage(customer.Id!, plan.Id, usage.Sum(u => u.Quantity), usage.Sum(u => u.BillingPreTaxTotal), "EUR", days.Count)], month);
        Assert.Equal(29, days.Count);
        Assert.All(lines, l => Assert.Equal(plan.Id, l.SubscriptionId));
        Assert.True(lines.Count >= 3, $"{lines.Count} meters billed");
        Assert.True(result.IsZeroDiscrepancy, string.Join("; ", result.Differences.Select(d => d.Detail)));
        Assert.True(days[new DateOnly(2026, 11, 10)] > 3 * days.Where(d => d.Key != new DateOnly(2026, 11, 10)).Max(d => d.Value), "the spike shows");
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2), new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 4)], unbilled.Select(u => u.UsageDate).Distinct().Order());
    }

    /// <summary>The same month, stated by hand: what Microsoft charges for it by the charge engine's rules.</summary>
    private static List<ReconLine> Expected(Customer customer, string[] ids)
    {
        var eur = Currency.FromCode("EUR").Value;
        Money Price(string catalogItemId, Term term, BillingPlan plan) =>
            new(SimulatorCatalog.UnitPrice(Catalog.Find(catalogItemId)!, "DE", term, plan, new DateOnly(2026, 11, 2)), eur);
        PurchasedSubscription Bought(string id, string catalogItemId, Term term, BillingPlan plan, DateOnly day, int seats)
        {
            var offer = Catalog.Find(catalogItemId)!;
            return new(id, offer.ProductId, offer.SkuId, offer.Title, Price(catalogItemId, term, plan), term, plan, day, seats, MonthlyTermUnitPrice: Price(catalogItemId, Term.P1M, BillingPlan.Monthly));
        }

        var histories = new[]
        {
            new ChargeHistory(eur, new DateOnly(2026, 11, 30), [Bought(ids[0], BusinessBasic, Term.P1Y, BillingPlan.Monthly, new DateOnly(2026, 11, 2), 10)],
                [new ChangeQuantity(new DateOnly(2026, 11, 4), ids[0], 15), new ChangeQuantity(new DateOnly(2026, 11, 5), ids[0], 13), new SetEndOfTerm(new DateOnly(2026, 11, 10), ids[0], EndOfTerm.Est), new Suspend(new DateOnly(2026, 11, 10), ids[0])]),
            new ChargeHistory(eur, new DateOnly(2026, 11, 30), [Bought(ids[1], BusinessStandard, Term.P1M, BillingPlan.Monthly, new DateOnly(2026, 11, 5), 5)],
                [new Cancel(new DateOnly(2026, 11, 7), ids[1])]),
            new ChargeHistory(eur, new DateOnly(2026, 11, 30), [Bought(ids[2], E3, Term.P1Y, BillingPlan.Annual, new DateOnly(2026, 11, 7), 3)],
                [new SetEndOfTerm(new DateOnly(2026, 11, 8), ids[2], EndOfTerm.Est)]),
        };
        return histories.SelectMany(h => ShadowInvoice.For(ChargeEngine.Run(h, ChargeRules.Default).Value, BillingPeriod.Month(new DateOnly(2026, 11, 1)), customer.Id!)).ToList();
    }

    /// <summary>A line's values, whatever its place in the file and its other columns' dictionary.</summary>
    private static ReconLine Comparable(ReconLine line) => line with { LineNumber = 0, OtherColumns = EmptyColumns };

    private static readonly Dictionary<string, string> EmptyColumns = [];

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
