using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Domain;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// Margin rules, billing runs and customer invoices over HTTP on the demo (every customer a reseller's: two tiers), on SQLite
/// and PostgreSQL: the month billed once at the customer's price, line for line Microsoft's charges; runs and issues at
/// the same time; what a reseller may see; credit notes; previews; frozen invoices.
/// </summary>
public abstract class BillingTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private const string November = "2026-11";

    /// <summary>The demo's distributor and <paramref name="reseller"/>, or its reseller in Great Britain.</summary>
    private async Task<(Guid Distributor, Guid Reseller)> PartnersAsync(Guid? reseller = null) =>
        await App.WithDbAsync(async db =>
        {
            var distributor = await db.Partners.Where(p => p.Kind == PartnerKind.Distributor).Select(p => p.Id).SingleAsync(Cancel);
            return (distributor, reseller ?? await db.Partners.Where(p => p.ParentPartnerId == distributor && p.Country == "GB").Select(p => p.Id).SingleAsync(Cancel));
        });

    private static object Markup(decimal percent, string level = "business", string? target = null, string from = "2026-01-01") =>
        new { level, target, method = "markup", percent, ceilingAtList = false, promotions = "passOn", effectiveFrom = from };

    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The distributor's 10 % on Microsoft's cost and the reseller's 20 % on its cost: 1.1 and 1.32.</summary>
    private async Task<(Guid Distributor, Guid Reseller, CommerceApp AsReseller)> TwoTiersAsync(Guid? of = null)
    {
        var (distributor, reseller) = await PartnersAsync(of);
        await OkAsync(PostWithKeyAsync(App.CreateClient(), "/api/margin-rules", Markup(10)));
        var asReseller = new CommerceApp(Database, Time, reseller);
        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/margin-rules", Markup(20)));
        return (distributor, reseller, asReseller);
    }

    private Task<JsonElement> RunAsync(Guid partner, string month = November, HttpClient? client = null) =>
        OkAsync(PostWithKeyAsync(client ?? App.CreateClient(), "/api/billing-runs", new { partnerId = partner, month }));

    private Task<List<InvoiceLine>> LinesAsync(Guid partner) =>
        App.WithDbAsync(db => db.InvoiceLines.Where(l => l.PartnerId == partner).ToListAsync(Cancel));

    [Fact]
    public async Task BillingRun_AMonthWithSeatChanges_BillsEveryChargeOnceAtTheCustomersPriceLineForLineAsMicrosoft()
    {
        var bought = await BuyThroughPlatformAsync(3);
        await ActAsync<JsonElement>($"/api/subscriptions/{bought.Id}/seats", new { quantity = 7 });
        var (_, reseller, asReseller) = await TwoTiersAsync(bought.PartnerId);
        await using var _ = asReseller;

        var first = await RunAsync(reseller);
        var second = await RunAsync(reseller);

        Assert.True(first.GetProperty("linesAdded").GetInt32() > 50, first.ToString());
        Assert.Empty(first.GetProperty("unpriced").EnumerateArray());
        Assert.Equal(0, second.GetProperty("linesAdded").GetInt32());
        Assert.Equal(first.GetProperty("linesAdded").GetInt32(), second.GetProperty("alreadyBilled").GetInt32());
        var lines = await LinesAsync(reseller);
        Assert.Equal(first.GetProperty("linesAdded").GetInt32(), lines.Count);
        Assert.All(lines, l =>
        {
            var minor = Currency.FromCode(l.Currency).Value.MinorUnits;
            Assert.Equal(Math.Round(l.MicrosoftSubtotal * 1.1m, minor, Rounding.CustomerInvoiceLine), l.ResellerCost);
            Assert.Equal(Math.Round(l.MicrosoftSubtotal * 1.32m, minor, Rounding.CustomerInvoiceLine), l.Amount);
        });
        Assert.Contains(lines, l => l.SubscriptionId == bought.Id && l.ChargeType == Csp.Domain.Charges.ChargeType.AddQuantity && l.Amount < 0);
        Assert.Contains(lines, l => l.SubscriptionId == bought.Id && l.ChargeType == Csp.Domain.Charges.ChargeType.AddQuantity && l.BillableQuantity == 7);

        // Cost side: the lines are the shadow invoice's lines of the reseller's customers, one for one.
        var tenants = (await App.WithDbAsync(db => db.Customers.Where(c => c.PartnerId == reseller).Select(c => c.CustomerTenantId).ToListAsync(Cancel))).Select(t => t.ToString()).ToList();
        var shadow = InvoiceReconFile.Read(new StringReader(await App.CreateClient().GetStringAsync($"/api/shadow-invoice?month={November}", Cancel)), "shadow.csv")
            .Where(l => tenants.Contains(l.CustomerId)).ToList();
        Assert.Equal(
            shadow.Select(l => (l.SubscriptionId, l.ChargeType, l.ChargeStartDate, l.ChargeEndDate, l.BillableQuantity, l.Subtotal)).Order(),
            lines.Select(l => (l.MicrosoftSubscriptionId, Csp.Domain.Charges.ChargeTypeNames.ToMicrosoft(l.ChargeType), l.ChargeStartDate, l.ChargeEndDate, (decimal)l.BillableQuantity, l.MicrosoftSubtotal)).Order());

        // Sell side: the reseller's margin report is the invoices, to the cent; the distributor's is its own margin.
        var margins = await OkAsync(asReseller.CreateClient().GetAsync($"/api/margins?from={November}&by=customer", Cancel));
        var invoices = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).ToListAsync(Cancel));
        foreach (var currency in invoices.Select(i => i.Currency).Distinct())
        {
            var rows = margins.EnumerateArray().Where(r => r.GetProperty("currency").GetString() == currency).ToList();
            Assert.Equal(invoices.Where(i => i.Currency == currency).Sum(i => i.Net), rows.Sum(r => r.GetProperty("revenue").GetDecimal()));
            Assert.Equal(lines.Where(l => l.Currency == currency).Sum(l => l.ResellerCost!.Value), rows.Sum(r => r.GetProperty("cost").GetDecimal()));
        }

        // By month, the same sales summed once more: one row a currency, the customers' rows added up.
        var byMonth = await OkAsync(asReseller.CreateClient().GetAsync($"/api/margins?from={November}&by=month", Cancel));
        foreach (var currency in invoices.Select(i => i.Currency).Distinct())
        {
            var rows = margins.EnumerateArray().Where(r => r.GetProperty("currency").GetString() == currency).ToList();
            var month = Assert.Single(byMonth.EnumerateArray(), r => r.GetProperty("currency").GetString() == currency);
            Assert.Equal(
                (November, rows.Sum(r => r.GetProperty("revenue").GetDecimal()), rows.Sum(r => r.GetProperty("cost").GetDecimal()), rows.Sum(r => r.GetProperty("lines").GetInt32())),
                (month.GetProperty("key").GetString(), month.GetProperty("revenue").GetDecimal(), month.GetProperty("cost").GetDecimal(), month.GetProperty("lines").GetInt32()));
        }

        var distributorMargins = await OkAsync(App.CreateClient().GetAsync($"/api/margins?from={November}&by=reseller", Cancel));
        var row = Assert.Single(distributorMargins.EnumerateArray(), r => r.GetProperty("key").GetString() == reseller.ToString() && r.GetProperty("currency").GetString() == lines[0].Currency);
        Assert.Equal(lines.Where(l => l.Currency == lines[0].Currency).Sum(l => l.ResellerCost!.Value - l.MicrosoftSubtotal), row.GetProperty("margin").GetDecimal());
    }

    [Fact]
    public async Task Margins_AfterAnItemARunARerateAndACredit_AreTheSalesOfEveryLine_ByEveryGrouping_AndTheirTotalsRebuildTheSame()
    {
        var (distributor, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        var customer = await App.WithDbAsync(db => db.Customers.Where(c => c.PartnerId == reseller).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Cancel));
        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), $"/api/customers/{customer}/invoice-items", new { month = November, description = "Workshop", quantity = 2, unitPrice = 100m, unitCost = 40m }));
        await RunAsync(reseller);
        var invoices = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).OrderBy(i => i.Id).Take(2).ToListAsync(Cancel));
        foreach (var invoice in invoices)
        {
            await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/issue", new { dueInDays = 30 }));
        }

        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/margin-rules", Markup(30, "customer", invoices[0].CustomerId.ToString())));
        await OkAsync(PostWithKeyAsync(App.CreateClient(), "/api/billing-runs/rerate", new { partnerId = reseller, month = November }));
        await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoices[1].Id}/credit", new { allLines = true }));

        foreach (var (viewer, client) in new[] { (distributor, App.CreateClient()), (reseller, asReseller.CreateClient()) })
        {
            var sales = await App.WithDbAsync(db => Sales.OfAsync(db, viewer, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1), issuedOnly: false, Cancel));
            Assert.Contains(sales, s => s.Revenue < 0);
            foreach (var by in Enum.GetValues<MarginGrouping>())
            {
                var expected = sales
                    .GroupBy(s => (Key: by switch
                    {
                        MarginGrouping.Customer => s.CustomerId.ToString(),
                        MarginGrouping.Reseller => s.SellerId == viewer ? "" : s.SellerId.ToString(),
                        MarginGrouping.Product => s.ProductId,
                        _ => $"{s.Month:yyyy-MM}",
                    }, s.Currency))
                    .Select(g => (g.Key.Key, g.Key.Currency, g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Count()))
                    .Order();
                var margins = await OkAsync(client.GetAsync($"/api/margins?from={November}&by={by.ToString().ToLowerInvariant()}", Cancel));
                Assert.Equal(
                    expected,
                    margins.EnumerateArray().Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("currency").GetString()!, r.GetProperty("revenue").GetDecimal(), r.GetProperty("cost").GetDecimal(), r.GetProperty("lines").GetInt32())).Order());
            }
        }

        // A database billed before totals were kept: worked out again from the lines, the same totals — once, when two
        // hosts sharing a PostgreSQL database start at the same time (a SQLite file has one host).
        static List<SalesTotal> Sorted(List<SalesTotal> totals) => [.. totals.OrderBy(t => t.Key)];
        var kept = await App.WithDbAsync(async db => Sorted(await db.SalesTotals.AsNoTracking().ToListAsync(Cancel)));
        var onSqlite = await App.WithDbAsync(db => Task.FromResult(db.OnSqlite));
        await App.WithDbAsync(db => db.SalesTotals.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ExecuteDeleteAsync(Cancel));
        var rebuilds = await Task.WhenAll(Enumerable.Range(0, onSqlite ? 1 : 2).Select(_ => App.WithDbAsync(db => SalesTotals.RebuildIfMissingAsync(db, Cancel))));
        Assert.Single(rebuilds, rebuiltHere => rebuiltHere);
        Assert.False(await App.WithDbAsync(db => SalesTotals.RebuildIfMissingAsync(db, Cancel)));
        var rebuilt = await App.WithDbAsync(async db => Sorted(await db.SalesTotals.AsNoTracking().ToListAsync(Cancel)));
        Assert.Equal(
            kept.Select(t => (t.Key, t.ProductName, t.Lines, t.Amount, t.Cost, t.ResoldLines, t.ResoldRevenue, t.ResoldCost)),
            rebuilt.Select(t => (t.Key, t.ProductName, t.Lines, t.Amount, t.Cost, t.ResoldLines, t.ResoldRevenue, t.ResoldCost)));
    }

    [Fact]
    public async Task BillingRun_Again_SkipsCustomersBilledAndUnchanged_AndBillsOnlyWhatChangedSince()
    {
        var bought = await BuyThroughPlatformAsync(3);
        var (_, reseller, asReseller) = await TwoTiersAsync(bought.PartnerId);
        await using var _ = asReseller;
        var first = await RunAsync(reseller);
        var marks = await App.WithDbAsync(db => db.BilledCustomerMonths.Where(b => b.PartnerId == reseller).ToListAsync(Cancel));
        Assert.Equal(first.GetProperty("customers").GetInt32(), marks.Count(m => m.Lines > 0));
        Assert.Equal(first.GetProperty("linesAdded").GetInt32(), marks.Sum(m => m.Lines));

        // Seats added after the run: the customer's month changed, so the next run reads it again and bills the change only.
        await ActAsync<JsonElement>($"/api/subscriptions/{bought.Id}/seats", new { quantity = 5 });
        var second = await RunAsync(reseller);
        var third = await RunAsync(reseller);

        var added = (await LinesAsync(reseller)).Where(l => l.SubscriptionId == bought.Id && l.ChargeType == Csp.Domain.Charges.ChargeType.AddQuantity).ToList();
        Assert.Equal(2, second.GetProperty("linesAdded").GetInt32());
        Assert.Equal(2, added.Count);
        Assert.Equal(first.GetProperty("linesAdded").GetInt32(), second.GetProperty("alreadyBilled").GetInt32());
        Assert.Equal(first.GetProperty("customers").GetInt32(), second.GetProperty("customers").GetInt32());
        Assert.Equal((0, first.GetProperty("linesAdded").GetInt32() + 2), (third.GetProperty("linesAdded").GetInt32(), third.GetProperty("alreadyBilled").GetInt32()));

        // Any save that changes a subscription counts a revision, whatever changed it (a sync records no event).
        var revision = await App.WithDbAsync(async db =>
        {
            var subscription = await db.Subscriptions.SingleAsync(s => s.Id == bought.Id, Cancel);
            var before = subscription.Revision;
            subscription.DecideEndOfTerm(subscription.EndOfTerm, !subscription.AutoRenewEnabled);
            await db.SaveChangesAsync(Cancel);
            return (before, await db.Subscriptions.Where(s => s.Id == bought.Id).Select(s => s.Revision).SingleAsync(Cancel));
        });
        Assert.Equal(revision.before + 1, revision.Item2);
    }

    [Fact]
    public async Task BillingRun_InPagesOfAFewCustomers_BillsWhatOnePageWould_OnceEach()
    {
        var (_, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        var month = BillingPeriod.Month(new DateOnly(2026, 11, 1));
        var rules = Csp.Domain.Charges.ChargeRules.Default;
        var customers = await App.WithDbAsync(db => db.Customers.CountAsync(c => c.PartnerId == reseller, Cancel));
        var whole = await App.WithDbAsync(db => RunBilling.PreviewAsync(db, reseller, month, rules, Cancel));

        var paged = await App.WithDbAsync(db => RunBilling.RunAsync(db, reseller, month, rules, "test", Time, Cancel, customersPerPage: 3));
        var again = await RunAsync(reseller);

        Assert.True(customers > 6, $"{customers} customers make too few pages");
        Assert.Equal((whole.Value.LinesAdded, whole.Value.InvoicesCreated, whole.Value.Customers), (paged.Value.LinesAdded, paged.Value.InvoicesCreated, paged.Value.Customers));
        Assert.Equal(whole.Value.Added, paged.Value.Added);
        Assert.Equal(0, again.GetProperty("linesAdded").GetInt32());
        var invoices = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).ToListAsync(Cancel));
        Assert.Equal(invoices.Count, invoices.Select(i => i.CustomerId).Distinct().Count());
        Assert.Equal(paged.Value.LinesAdded, await App.WithDbAsync(db => db.InvoiceLines.CountAsync(l => l.PartnerId == reseller, Cancel)));

        // On PostgreSQL the run has the lines sampled as it writes them: the planner knows they are there without waiting
        // for autovacuum (which would leave a month planned as empty for a minute).
        if (typeof(TDatabase) == typeof(PostgresDatabase))
        {
            var (sampled, stored) = await App.WithDbAsync(async db => (
                await db.Database.SqlQuery<float>($"SELECT reltuples AS \"Value\" FROM pg_class WHERE relname = 'InvoiceLines'").SingleAsync(Cancel),
                await db.InvoiceLines.IgnoreQueryFilters([CommerceDb.PartnerFilter]).CountAsync(Cancel)));
            Assert.Equal(stored, sampled);
        }
    }

    [Fact]
    public async Task LifecyclePreview_ASeatChange_ShowsTheCustomersPriceBesideMicrosoftsCharge()
    {
        var bought = await BuyThroughPlatformAsync(3);
        var (_, _, asReseller) = await TwoTiersAsync(bought.PartnerId);
        await using var _ = asReseller;

        var preview = await OkAsync(App.CreateClient().PostAsJsonAsync($"/api/subscriptions/{bought.Id}/seats/preview", new { quantity = 7 }, Cancel));

        var microsoft = preview.GetProperty("microsoftCharges").EnumerateArray().ToList();
        var customer = preview.GetProperty("customerCharges").EnumerateArray().ToList();
        Assert.NotEmpty(microsoft);
        Assert.Equal(microsoft.Count, customer.Count);
        for (var i = 0; i < microsoft.Count; i++)
        {
            var minor = Currency.FromCode(microsoft[i].GetProperty("currency").GetString()).Value.MinorUnits;
            Assert.Equal(microsoft[i].GetProperty("chargeType").GetString(), customer[i].GetProperty("chargeType").GetString());
            Assert.Equal(Math.Round(microsoft[i].GetProperty("subtotal").GetDecimal() * 1.32m, minor, Rounding.CustomerInvoiceLine), customer[i].GetProperty("subtotal").GetDecimal());
        }
    }

    [Fact]
    public async Task Rerate_AfterAPastRuleChange_ShowsOldBesideNew_AndAppliesOnceAsACreditNoteAndNewLines()
    {
        var (_, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        await RunAsync(reseller);
        var issued = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).OrderBy(i => i.Id).FirstAsync(Cancel));
        await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{issued.Id}/issue", new { dueInDays = 30 }));
        var billed = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == issued.Id).ToListAsync(Cancel));
        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/margin-rules", Markup(30, "customer", issued.CustomerId.ToString(), "2026-01-01")));
        var request = new { partnerId = reseller, month = November };

        var preview = await OkAsync(App.CreateClient().PostAsJsonAsync("/api/billing-runs/rerate/preview", request, Cancel));
        var applied = await OkAsync(PostWithKeyAsync(App.CreateClient(), "/api/billing-runs/rerate", request));
        var again = await OkAsync(PostWithKeyAsync(App.CreateClient(), "/api/billing-runs/rerate", request));

        var minor = Currency.FromCode(issued.Currency).Value.MinorUnits;
        var listed = preview.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(billed.Select(l => l.Id).Order(), listed.Select(l => Guid.Parse(l.GetProperty("lineId").GetString()!)).Order());
        Assert.All(listed, l =>
        {
            var line = billed.Single(b => b.Id == Guid.Parse(l.GetProperty("lineId").GetString()!));
            Assert.Equal(line.Amount, l.GetProperty("oldAmount").GetDecimal());
            Assert.Equal(Math.Round(line.MicrosoftSubtotal * 1.1m * 1.3m, minor, Rounding.CustomerInvoiceLine), l.GetProperty("newAmount").GetDecimal());
            Assert.StartsWith("Customer rule", l.GetProperty("newExplanation").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal((1, 2 * billed.Count), (applied.GetProperty("creditNotesCreated").GetInt32(), applied.GetProperty("linesAdded").GetInt32()));
        Assert.Equal((0, 0), (again.GetProperty("lines").GetArrayLength(), again.GetProperty("linesAdded").GetInt32()));

        var (invoices, lines) = await App.WithDbAsync(async db => (
            await db.Invoices.Where(i => i.CustomerId == issued.CustomerId).ToListAsync(Cancel),
            await db.InvoiceLines.Where(l => l.CustomerId == issued.CustomerId).ToListAsync(Cancel)));
        var credit = Assert.Single(invoices, i => i.Kind == InvoiceKind.CreditNote);
        var draft = Assert.Single(invoices, i => i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Draft);
        Assert.Equal((issued.Id, -issued.Net), (credit.CorrectsInvoiceId, credit.Net));
        Assert.Equal(listed.Sum(l => l.GetProperty("newAmount").GetDecimal()), draft.Net);
        Assert.Equal(draft.Net, lines.Sum(l => l.Amount));
        Assert.Equal(2026, (await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.Id == issued.Id, Cancel))).IssueDate!.Value.Year);
    }

    [Fact]
    public async Task OrderPreview_ShowsTheFirstTermAtTheCustomersPriceBesideMicrosofts()
    {
        var (customer, _, catalogItemId) = await OfferAsync();
        var (_, _, asReseller) = await TwoTiersAsync(customer.PartnerId);
        await using var _ = asReseller;

        var preview = await OkAsync(App.CreateClient().PostAsJsonAsync($"/api/customers/{customer.Id}/subscriptions/preview", new { catalogItemId, term = "P1Y", billingPlan = "monthly", quantity = 4 }, Cancel));

        var microsoft = preview.GetProperty("microsoftCharges").EnumerateArray().ToList();
        var priced = preview.GetProperty("customerCharges").EnumerateArray().ToList();
        var minor = Currency.FromCode(customer.Currency).Value.MinorUnits;
        Assert.Equal(12, microsoft.Count);
        Assert.Equal(
            microsoft.Select(l => Math.Round(l.GetProperty("subtotal").GetDecimal() * 1.32m, minor, Rounding.CustomerInvoiceLine)),
            priced.Select(l => l.GetProperty("subtotal").GetDecimal()));
    }

    [Fact]
    public async Task BillingRun_TwoStartedAtOnce_BillEveryChargeOnce()
    {
        var (_, reseller) = await PartnersAsync();
        var preview = await OkAsync(App.CreateClient().PostAsJsonAsync("/api/billing-runs/preview", new { partnerId = reseller, month = November }, Cancel));

        var runs = await Task.WhenAll(RunAsync(reseller, client: App.CreateClient()), RunAsync(reseller, client: App.CreateClient()));

        var lines = await LinesAsync(reseller);
        Assert.Equal(preview.GetProperty("linesAdded").GetInt32(), lines.Count);
        Assert.Equal(lines.Count, runs.Sum(r => r.GetProperty("linesAdded").GetInt32()));
        Assert.Equal(lines.Count, lines.Select(l => l.ChargeKey).Distinct().Count());
        Assert.Equal(0, (await RunAsync(reseller)).GetProperty("linesAdded").GetInt32());
        var drafts = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).ToListAsync(Cancel));
        Assert.Equal(drafts.Count, drafts.Select(i => i.CustomerId).Distinct().Count());
        Assert.All(drafts, d => Assert.Equal(lines.Where(l => l.InvoiceId == d.Id).Sum(l => l.Amount), d.Net));
    }

    [Fact]
    public async Task Issue_EveryDraftAtOnce_NumbersThemOneToNWithoutGaps()
    {
        var (_, reseller) = await PartnersAsync();
        await RunAsync(reseller);
        var drafts = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).Select(i => i.Id).ToListAsync(Cancel));

        var issued = await Task.WhenAll(drafts.Select(id => OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{id}/issue", new { dueInDays = 30 }))));
        var again = await PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{drafts[0]}/issue", new { dueInDays = 30 });

        Assert.Equal(
            Enumerable.Range(1, drafts.Count).Select(n => $"INV-{n:D6}"),
            issued.Select(i => i.GetProperty("number").GetString()).Order(StringComparer.Ordinal));
        Assert.All(issued, i => Assert.Equal("2026-12-26", i.GetProperty("dueDate").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("invoice.not_draft", await again.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoice_AsTheReseller_ShowsItsOwnCostAndNeverMicrosofts_TheDistributorSeesBoth()
    {
        var (_, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        await RunAsync(reseller);
        var invoice = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).Select(i => i.Id).FirstAsync(Cancel));

        var theirs = await OkAsync(asReseller.CreateClient().GetAsync($"/api/invoices/{invoice}", Cancel));
        var ours = await OkAsync(App.CreateClient().GetAsync($"/api/invoices/{invoice}", Cancel));

        Assert.All(theirs.GetProperty("lines").EnumerateArray(), l =>
        {
            Assert.Equal(JsonValueKind.Null, l.GetProperty("microsoftSubtotal").ValueKind);
            Assert.Equal(JsonValueKind.Null, l.GetProperty("distributorExplanation").ValueKind);
            Assert.Equal(l.GetProperty("resellerCost").GetDecimal(), l.GetProperty("cost").GetDecimal());
            Assert.StartsWith("Business rule", l.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        });
        Assert.All(ours.GetProperty("lines").EnumerateArray(), l =>
        {
            Assert.Equal(JsonValueKind.Number, l.GetProperty("microsoftSubtotal").ValueKind);
            Assert.Contains("markup 10 % on cost", l.GetProperty("distributorExplanation").GetString(), StringComparison.Ordinal);
        });
        var rules = await OkAsync(asReseller.CreateClient().GetAsync("/api/margin-rules", Cancel));
        Assert.Equal(reseller.ToString(), Assert.Single(rules.EnumerateArray()).GetProperty("partnerId").GetString());
    }

    [Fact]
    public async Task Credit_AnIssuedInvoice_ReversesEveryLineOnceOnANumberedCreditNote()
    {
        var (_, reseller) = await PartnersAsync();
        await RunAsync(reseller);
        var invoice = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).OrderBy(i => i.Id).FirstAsync(Cancel));
        var draftCredit = await PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/credit", new { allLines = true });
        await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/issue", new { dueInDays = 14 }));

        var credit = await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/credit", new { allLines = true }));
        var twice = await PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/credit", new { allLines = true });
        var issued = await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{credit.GetProperty("invoice").GetProperty("id").GetString()}/issue", new { dueInDays = 14 }));

        Assert.Equal(HttpStatusCode.Conflict, draftCredit.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("invoice.already_credited", await twice.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(("creditNote", "CRN-000002", invoice.Id.ToString()), (issued.GetProperty("kind").GetString(), issued.GetProperty("number").GetString(), issued.GetProperty("correctsInvoiceId").GetString()));
        Assert.Equal(-invoice.Net, issued.GetProperty("net").GetDecimal());
        var lines = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == invoice.Id).ToListAsync(Cancel));
        Assert.Equal(
            lines.Select(l => (l.Id, -l.Amount)).Order(),
            credit.GetProperty("lines").EnumerateArray().Select(l => (Guid.Parse(l.GetProperty("reversesLineId").GetString()!), l.GetProperty("amount").GetDecimal())).Order());
    }

    [Fact]
    public async Task Credit_NamedLines_CreditsThoseOnly_AndAnIdNotOnTheInvoiceIsRefused()
    {
        var (_, reseller) = await PartnersAsync();
        await RunAsync(reseller);
        var invoice = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller && i.LineCount > 1).OrderBy(i => i.Id).FirstAsync(Cancel));
        await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/issue", new { dueInDays = 14 }));
        var line = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == invoice.Id).OrderBy(l => l.Id).FirstAsync(Cancel));

        var stranger = await PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/credit", new { allLines = false, lineIds = new[] { line.Id, Guid.Empty } });
        var tomorrow = await PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/pay", new { paidOn = "2026-11-27" });
        var credit = await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{invoice.Id}/credit", new { allLines = false, lineIds = new[] { line.Id } }));

        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Equal("lineIds", (await stranger.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tomorrow.StatusCode);
        Assert.Equal(line.Id.ToString(), Assert.Single(credit.GetProperty("lines").EnumerateArray()).GetProperty("reversesLineId").GetString());
        Assert.Equal(-line.Amount, credit.GetProperty("invoice").GetProperty("net").GetDecimal());
    }

    [Fact]
    public async Task Preview_ACustomersNextInvoice_ChangesWithANewRuleVersionBeforeItApplies()
    {
        var (_, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        var customer = await App.WithDbAsync(db => db.Subscriptions.Where(s => s.PartnerId == reseller && s.Term != null && s.Status == Csp.Domain.Subscriptions.SubscriptionStatus.Active).OrderBy(s => s.Id).Select(s => s.CustomerId).FirstAsync(Cancel));
        var path = $"/api/invoices/preview?customerId={customer}&month=2026-12";

        var before = await OkAsync(asReseller.CreateClient().GetAsync(path, Cancel));
        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/margin-rules", Markup(30, "customer", customer.ToString(), "2026-12-01")));
        var after = await OkAsync(asReseller.CreateClient().GetAsync(path, Cancel));

        var was = before.GetProperty("lines").EnumerateArray().ToList();
        var now = after.GetProperty("lines").EnumerateArray().ToList();
        Assert.NotEmpty(now);
        Assert.Equal(was.Count, now.Count);
        for (var i = 0; i < was.Count; i++)
        {
            var (old, changed) = (was[i].GetProperty("amount").GetDecimal(), now[i].GetProperty("amount").GetDecimal());
            Assert.Equal(was[i].GetProperty("cost").GetDecimal(), now[i].GetProperty("cost").GetDecimal());
            Assert.StartsWith("Business rule", was[i].GetProperty("explanation").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("Customer rule", now[i].GetProperty("explanation").GetString(), StringComparison.Ordinal);
            Assert.InRange(changed - (old / 1.32m * 1.43m), -0.01m, 0.01m);
        }

        Assert.Empty(await App.WithDbAsync(db => db.InvoiceLines.ToListAsync(Cancel)));
    }

    [Fact]
    public async Task Tax_ByTheCustomersCountry_OrNoneUnderReverseCharge()
    {
        var (_, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        var customers = await App.WithDbAsync(db => db.Customers.Where(c => c.PartnerId == reseller && c.Country == "GB").OrderBy(c => c.Id).Select(c => c.Id).Take(2).ToListAsync(Cancel));
        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/tax-rates", new { country = "GB", percent = 20m, effectiveFrom = "2026-01-01" }));
        await OkAsync(asReseller.CreateClient().PostAsJsonAsync($"/api/customers/{customers[1]}/tax", new { reverseCharge = true, taxId = "GB123456789" }, Cancel));

        await RunAsync(reseller);

        var invoices = await App.WithDbAsync(db => db.Invoices.Where(i => customers.Contains(i.CustomerId)).ToDictionaryAsync(i => i.CustomerId, Cancel));
        var taxed = invoices[customers[0]];
        Assert.Equal((20m, false), (taxed.TaxPercent, taxed.ReverseCharge));
        var lines = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == taxed.Id).ToListAsync(Cancel));
        Assert.All(lines, l => Assert.Equal(Math.Round(l.Amount * 0.2m, 2, Rounding.Tax), l.Tax));
        Assert.Equal(lines.Sum(l => l.Tax), taxed.Tax);
        Assert.Equal((0m, true, 0m), (invoices[customers[1]].TaxPercent, invoices[customers[1]].ReverseCharge, invoices[customers[1]].Tax));
    }

    [Fact]
    public async Task ExchangeRate_ACustomerInvoicedInAnotherCurrency_IsConvertedAtTheRateOfTheOrderDate_OrLeftUnpricedWithoutOne()
    {
        var (_, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        var customer = await App.WithDbAsync(db => db.Customers.Where(c => c.PartnerId == reseller && c.Currency == "GBP").OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Cancel));
        var currency = await OkAsync(asReseller.CreateClient().PostAsJsonAsync($"/api/customers/{customer}/invoice-currency", new { currency = "EUR" }, Cancel));
        Assert.Equal(("GBP", "EUR"), (currency.GetProperty("microsoftCurrency").GetString(), currency.GetProperty("invoiceCurrency").GetString()));

        var withoutRate = await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/billing-runs/preview", new { partnerId = reseller, month = November }));
        var unpriced = withoutRate.GetProperty("unpriced").EnumerateArray().ToList();
        Assert.NotEmpty(unpriced);
        Assert.All(unpriced, u => Assert.Equal((customer.ToString(), "pricing.no_exchange_rate"), (u.GetProperty("customerId").GetString(), u.GetProperty("code").GetString())));

        // A batch with a bad rate adds nothing, and names the rate and field.
        using (var bad = await PostWithKeyAsync(asReseller.CreateClient(), "/api/exchange-rates", new { rates = new object[] { new { from = "GBP", to = "EUR", rate = 1.17m, effectiveFrom = "2026-10-01" }, new { from = "GBP", to = "EUR", rate = -1m, effectiveFrom = "2026-12-01" } } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("rates[1].rate", await bad.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }

        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/exchange-rates", new { rates = new[] { new { from = "GBP", to = "EUR", rate = 1.17m, effectiveFrom = "2026-10-01" }, new { from = "GBP", to = "EUR", rate = 1.2m, effectiveFrom = "2026-12-01" } }, source = "ECB reference rates" }));
        var run = await RunAsync(reseller);

        Assert.Empty(run.GetProperty("unpriced").EnumerateArray());
        var invoice = await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.CustomerId == customer, Cancel));
        var lines = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == invoice.Id).ToListAsync(Cancel));
        Assert.Equal("EUR", invoice.Currency);
        Assert.NotEmpty(lines);
        Assert.All(lines, l =>
        {
            Assert.Equal(("EUR", "GBP", 1.17m, new DateOnly(2026, 10, 1)), (l.Currency, l.MicrosoftCurrency, l.ExchangeRate, l.ExchangeRateDate));
            Assert.Equal(Math.Round(l.MicrosoftSubtotal * 1.17m, 2, Rounding.CustomerInvoiceLine), l.MicrosoftCost);
            Assert.Equal(Math.Round(l.MicrosoftSubtotal * 1.17m * 1.1m, 2, Rounding.CustomerInvoiceLine), l.ResellerCost);
            Assert.Equal(Math.Round(l.MicrosoftSubtotal * 1.17m * 1.32m, 2, Rounding.CustomerInvoiceLine), l.Amount);
        });
        Assert.Equal(lines.Sum(l => l.Amount), invoice.Net);

        var detail = await OkAsync(asReseller.CreateClient().GetAsync($"/api/invoices/{invoice.Id}", Cancel));
        var line = detail.GetProperty("lines")[0];
        Assert.Equal((1.17m, "2026-10-01", "GBP"), (line.GetProperty("exchangeRate").GetDecimal(), line.GetProperty("exchangeRateDate").GetString(), line.GetProperty("microsoftCurrency").GetString()));
        var rates = await OkAsync(asReseller.CreateClient().GetAsync("/api/exchange-rates?from=GBP&to=EUR", Cancel));
        Assert.Equal(["2026-12-01", "2026-10-01"], rates.EnumerateArray().Select(r => r.GetProperty("effectiveFrom").GetString()));
        using var twice = await PostWithKeyAsync(asReseller.CreateClient(), "/api/exchange-rates", new { rates = new[] { new { from = "GBP", to = "EUR", rate = 1.18m, effectiveFrom = "2026-10-01" } } });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    /// <summary>A daily rated usage file for <paramref name="days"/> of October 2026 of the subscriptions named, each day's amount by <paramref name="amount"/>.</summary>
    private static string UsageFile(Guid tenant, IEnumerable<Guid> subscriptions, int days, Func<int, decimal> amount)
    {
        var lines = new List<string> { string.Join(',', DailyRatedUsageFile.Columns) };
        foreach (var subscription in subscriptions)
        {
            for (var day = 1; day <= days; day++)
            {
                lines.Add(string.Join(',', DailyRatedUsageFile.Columns.Select(c => c switch
                {
                    "CustomerId" => tenant.ToString(),
                    "SubscriptionId" => subscription.ToString(),
                    "UsageDate" => $"10/{day:00}/2026",
                    "Quantity" => "24",
                    "BillingPreTaxTotal" => amount(day).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "BillingCurrency" => "GBP",
                    _ => "",
                })));
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Imports a usage file a minute after the one before: a day in two files counts from the later.</summary>
    private async Task ImportUsageAsync(string file, string name)
    {
        Time.Advance(TimeSpan.FromMinutes(1));
        using var response = await App.CreateClient().PostAsync($"/api/usage-imports?fileName={name}", new StringContent(file, System.Text.Encoding.UTF8, "text/csv"), Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task AzureUsage_OfAClosedMonth_IsInvoicedAtCostTimesTheRules_OnceTheFilesReachItsEnd_AndALaterFileAddsOnlyTheDifference()
    {
        const string October = "2026-10";
        var plan = await App.WithDbAsync(db => db.Subscriptions
            .Where(s => s.Term == null && s.Currency == "GBP" && s.StartDate < new DateOnly(2026, 10, 1))
            .Join(db.Customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.Id, s.PartnerId, s.CustomerId, s.MicrosoftSubscriptionId, c.CustomerTenantId })
            .OrderBy(s => s.Id).FirstAsync(Cancel));
        var (_, reseller, asReseller) = await TwoTiersAsync(plan.PartnerId);
        await using var _ = asReseller;
        var unknown = Guid.Parse("7d9c3f0e-2a4b-4c6d-8e1f-3a5b7c9d1e2f");
        decimal Day(int day) => 3.141593m + (day * 0.000001m);

        // The unbilled file, to the 30th: the month is not known in full, so nothing of it is invoiced.
        await ImportUsageAsync(UsageFile(plan.CustomerTenantId, [plan.MicrosoftSubscriptionId, unknown], 30, Day), "unbilled.csv");
        var open = await RunAsync(reseller, October, asReseller.CreateClient());
        Assert.Contains(open.GetProperty("unpriced").EnumerateArray(), u => u.GetProperty("code").GetString() == "usage.month_open" && u.GetProperty("microsoftSubscriptionId").GetString() == plan.MicrosoftSubscriptionId.ToString());
        Assert.DoesNotContain(await LinesAsync(reseller), l => l.Kind == InvoiceLineKind.Usage);

        // The billed file, to the 31st, the first day restated: the month is invoiced from it, each day once.
        decimal Billed(int day) => day == 1 ? 2.5m : Day(day);
        await ImportUsageAsync(UsageFile(plan.CustomerTenantId, [plan.MicrosoftSubscriptionId, unknown], 31, Billed), "billed.csv");
        var run = await RunAsync(reseller, October, asReseller.CreateClient());
        var cost = Enumerable.Range(1, 31).Sum(Billed);
        var usage = Assert.Single(await LinesAsync(reseller), l => l.Kind == InvoiceLineKind.Usage);
        Assert.Equal((plan.Id, plan.MicrosoftSubscriptionId.ToString(), "GBP"), (usage.SubscriptionId!.Value, usage.MicrosoftSubscriptionId, usage.Currency));
        Assert.Equal((cost, cost), (usage.MicrosoftSubtotal, usage.MicrosoftCost));
        Assert.Equal(Math.Round(cost * 1.1m, 2, Rounding.CustomerInvoiceLine), usage.ResellerCost);
        Assert.Equal(Math.Round(cost * 1.32m, 2, Rounding.CustomerInvoiceLine), usage.Amount);
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), 1), (usage.ChargeStartDate, usage.ChargeEndDate, usage.BillableQuantity));
        Assert.Contains(run.GetProperty("unpriced").EnumerateArray(), u => u.GetProperty("code").GetString() == "usage.unknown_subscription" && u.GetProperty("microsoftSubscriptionId").GetString() == unknown.ToString());
        Assert.Equal(0, (await RunAsync(reseller, October, asReseller.CreateClient())).GetProperty("linesAdded").GetInt32());

        // A later file restates a day: the next run adds the difference only, so the month's lines add up to it priced once.
        await ImportUsageAsync(UsageFile(plan.CustomerTenantId, [plan.MicrosoftSubscriptionId], 31, day => day == 7 ? 8.75m : Billed(day)), "corrected.csv");
        var preview = await OkAsync(asReseller.CreateClient().GetAsync($"/api/invoices/preview?customerId={plan.CustomerId}&month={October}", Cancel));
        Assert.Contains(preview.GetProperty("lines").EnumerateArray(), l => l.GetProperty("kind").GetString() == "usage" && !l.GetProperty("billed").GetBoolean());
        Assert.Equal(1, (await RunAsync(reseller, October, asReseller.CreateClient())).GetProperty("linesAdded").GetInt32());
        var corrected = cost - Day(7) + 8.75m;
        var both = (await LinesAsync(reseller)).Where(l => l.Kind == InvoiceLineKind.Usage).OrderBy(l => l.ChargeKey, StringComparer.Ordinal).ToList();
        Assert.Equal(2, both.Count);
        Assert.EndsWith("|usage|2026-10|2", both[1].ChargeKey, StringComparison.Ordinal);
        Assert.Equal(corrected, both.Sum(l => l.MicrosoftSubtotal));
        Assert.Equal(Math.Round(corrected * 1.32m, 2, Rounding.CustomerInvoiceLine), both.Sum(l => l.Amount));
        Assert.Equal(Math.Round(corrected * 1.1m, 2, Rounding.CustomerInvoiceLine), both.Sum(l => l.ResellerCost));
        Assert.Equal(0, (await RunAsync(reseller, October, asReseller.CreateClient())).GetProperty("linesAdded").GetInt32());
    }

    [Fact]
    public async Task OneOffItem_IsAddedToTheCustomersDraftOnce_TaxedAsItsInvoices_AndCountsInTheMargins()
    {
        var (_, reseller, asReseller) = await TwoTiersAsync();
        await using var _ = asReseller;
        var customer = await App.WithDbAsync(db => db.Customers.Where(c => c.PartnerId == reseller && c.Currency == "GBP").OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Cancel));
        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/tax-rates", new { country = "GB", percent = 20m, effectiveFrom = "2026-01-01" }));
        var item = new { month = November, description = "Onboarding workshop", quantity = 3, unitPrice = 333.3333m, unitCost = 150m };
        var key = Guid.NewGuid().ToString();

        var added = await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), $"/api/customers/{customer}/invoice-items", item, key));
        var again = await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), $"/api/customers/{customer}/invoice-items", item, key));

        var line = added.GetProperty("line");
        Assert.Equal(("item", "Onboarding workshop", 1000.00m, 200.00m, 450.00m), (line.GetProperty("kind").GetString(), line.GetProperty("productName").GetString(), line.GetProperty("amount").GetDecimal(), line.GetProperty("tax").GetDecimal(), line.GetProperty("cost").GetDecimal()));
        Assert.Equal(line.GetProperty("id").GetString(), again.GetProperty("line").GetProperty("id").GetString());
        var items = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.CustomerId == customer && l.Kind == InvoiceLineKind.Item).ToListAsync(Cancel));
        var invoice = await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.Id == items.Single().InvoiceId, Cancel));
        Assert.Equal((InvoiceStatus.Draft, 1, 1000.00m, 200.00m), (invoice.Status, invoice.LineCount, invoice.Net, invoice.Tax));

        // A billing run adds the month's charges beside it, on the same draft.
        await RunAsync(reseller);
        var draft = await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.Id == invoice.Id, Cancel));
        var lines = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == invoice.Id).ToListAsync(Cancel));
        Assert.True(lines.Count > 1);
        Assert.Equal((lines.Sum(l => l.Amount), lines.Count), (draft.Net, draft.LineCount));

        var margins = await OkAsync(asReseller.CreateClient().GetAsync($"/api/margins?from={November}&by=product", Cancel));
        var oneOff = Assert.Single(margins.EnumerateArray(), r => r.GetProperty("key").GetString() == "one-off");
        Assert.Equal(("One-off items", 1000.00m, 450.00m, 550.00m), (oneOff.GetProperty("name").GetString(), oneOff.GetProperty("revenue").GetDecimal(), oneOff.GetProperty("cost").GetDecimal(), oneOff.GetProperty("margin").GetDecimal()));

        foreach (var (bad, parameter) in new (object Body, string Parameter)[]
        {
            (item with { quantity = 0 }, "quantity"),
            (item with { unitPrice = 1.23456m }, "unitPrice"),
            (item with { description = new string('x', 201) }, "description"),
            (item with { month = "2028-01" }, "month"),
        })
        {
            using var refused = await PostWithKeyAsync(asReseller.CreateClient(), $"/api/customers/{customer}/invoice-items", bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(parameter, (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
        }
    }

    [Fact]
    public async Task ExchangeRate_ACustomerWhoseInvoiceCurrencyChangesAfterARun_GetsASecondDraftInTheNewCurrency_TheFirstKeepsItsLines()
    {
        var bought = await BuyThroughPlatformAsync(3);
        var (_, reseller, asReseller) = await TwoTiersAsync(bought.PartnerId);
        await using var _ = asReseller;
        await RunAsync(reseller);
        var first = await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.CustomerId == bought.CustomerId, Cancel));
        Assert.Equal(bought.Currency, first.Currency);

        var other = bought.Currency == "EUR" ? "GBP" : "EUR";
        await OkAsync(asReseller.CreateClient().PostAsJsonAsync($"/api/customers/{bought.CustomerId}/invoice-currency", new { currency = other }, Cancel));
        await OkAsync(PostWithKeyAsync(asReseller.CreateClient(), "/api/exchange-rates", new { rates = new[] { new { from = bought.Currency, to = other, rate = 1.25m, effectiveFrom = "2026-01-01" } } }));
        await ActAsync<JsonElement>($"/api/subscriptions/{bought.Id}/seats", new { quantity = 5 });
        var run = await RunAsync(reseller);

        var invoices = await App.WithDbAsync(db => db.Invoices.Where(i => i.CustomerId == bought.CustomerId).ToListAsync(Cancel));
        var lines = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.CustomerId == bought.CustomerId).ToListAsync(Cancel));
        Assert.Equal(2, run.GetProperty("linesAdded").GetInt32());
        Assert.Equal(2, invoices.Count);
        var kept = Assert.Single(invoices, i => i.Currency == bought.Currency);
        var second = Assert.Single(invoices, i => i.Currency == other);
        Assert.Equal((first.Id, first.LineCount), (kept.Id, kept.LineCount));
        var converted = lines.Where(l => l.InvoiceId == second.Id).ToList();
        Assert.Equal(2, converted.Count);
        Assert.All(converted, l => Assert.Equal((other, bought.Currency, 1.25m), (l.Currency, l.MicrosoftCurrency, l.ExchangeRate)));
        Assert.All(lines.Where(l => l.InvoiceId == first.Id), l => Assert.Equal((bought.Currency, (decimal?)null), (l.Currency, l.ExchangeRate)));
    }

    [Fact]
    public async Task IssuedInvoice_IsNeverEdited_OnlyMarkedPaid()
    {
        var (_, reseller) = await PartnersAsync();
        await RunAsync(reseller);
        var id = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).Select(i => i.Id).FirstAsync(Cancel));
        await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{id}/issue", new { dueInDays = 30 }));

        var edit = await Record.ExceptionAsync(() => App.WithDbAsync(async db =>
        {
            var line = await db.InvoiceLines.FirstAsync(l => l.InvoiceId == id, Cancel);
            db.Entry(line).Property(l => l.Amount).CurrentValue = 0m;
            return await db.SaveChangesAsync(Cancel);
        }));
        var reissue = await Record.ExceptionAsync(() => App.WithDbAsync(async db =>
        {
            var invoice = await db.Invoices.FirstAsync(i => i.Id == id, Cancel);
            invoice.Issue(99, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31), CommerceApp.Now, "someone");
            return await db.SaveChangesAsync(Cancel);
        }));
        var paid = await OkAsync(PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{id}/pay", new { paidOn = "2026-11-26" }));

        Assert.IsType<InvalidOperationException>(edit);
        Assert.IsType<InvalidOperationException>(reissue);
        Assert.Equal(("paid", "2026-11-26"), (paid.GetProperty("status").GetString(), paid.GetProperty("paidOn").GetString()));
    }
}

public sealed class SqliteBillingTests : BillingTests<SqliteDatabase>;

public sealed class PostgresBillingTests : BillingTests<PostgresDatabase>;
