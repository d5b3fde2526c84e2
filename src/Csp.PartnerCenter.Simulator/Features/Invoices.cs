using System.Globalization;
using System.Text.Json;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Subscription = Csp.PartnerCenter.Api.Subscription;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Billing (<c>/v1/invoices</c>): one invoice per billing month and currency, whose reconciliation line items are what
/// Microsoft's charge engine (the platform's, in <c>Csp.Domain</c>) makes of the partner's history — the purchases and
/// changes in the audit records, on the days they happened. A month is invoiced once it has ended on the simulator's
/// clock. Line items are read in pages, as Microsoft's v1 API serves them, or exported (<see cref="BillingExports"/>).
/// </summary>
/// <remarks>
/// Azure plan subscriptions are billed their month's usage (<see cref="Usage"/>), one line per meter. An upgrade is
/// billed as the engine bills it (<c>convert</c>, or <c>moveQuantity</c> into an existing subscription), with the
/// subscriptions it joined charged as one history.
/// </remarks>
public static class Invoices
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/invoices", ListAsync);
        v1.MapGet("/invoices/{invoiceId}", GetAsync);
        v1.MapGet("/invoices/{invoiceId}/lineitems", LineItemsAsync);
        v1.MapGet("/invoices/{invoiceId}/lineitems/{provider}/{invoiceLineItemType}", LineItemsAsync);
    }

    /// <summary>An invoice's id: <c>G</c>, the month, and the currency's place in the simulator's markets.</summary>
    public static string InvoiceId(BillingPeriod month, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"G{month.Start:yyyyMM}{Array.IndexOf(Currencies, currency):000}");

    /// <summary>The month and currency of an invoice id, with or without Microsoft's <c>OneTime-</c> prefix.</summary>
    public static bool TryRead(string invoiceId, out BillingPeriod month, out string currency)
    {
        (month, currency) = (default, "");
        invoiceId = invoiceId.StartsWith(OneTime, StringComparison.OrdinalIgnoreCase) ? invoiceId[OneTime.Length..] : invoiceId;
        if (invoiceId.Length != 10 || invoiceId[0] != 'G'
            || !DateOnly.TryParseExact(invoiceId[1..7] + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            || !int.TryParse(invoiceId[7..], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= Currencies.Length)
        {
            return false;
        }

        (month, currency) = (BillingPeriod.Month(first), Currencies[index]);
        return true;
    }

    private static readonly string[] Currencies = SimulatorCatalog.Markets.Select(m => m.Currency).Distinct().ToArray();

    /// <summary>The SKU names the invoice lines print, by product and SKU, from the catalog.</summary>
    private static readonly IReadOnlyDictionary<(string ProductId, string SkuId), string> SkuNames =
        SimulatorCatalog.Offers.DistinctBy(o => (o.ProductId, o.SkuId)).ToDictionary(o => (o.ProductId, o.SkuId), o => o.Title);

    /// <summary>
    /// The lines Microsoft posts for <paramref name="month"/> in <paramref name="currency"/> (every currency when null),
    /// in the order of the file: by subscription as bought, then as charged.
    /// </summary>
    public static async Task<List<ReconLine>> LinesAsync(SimulatorDb db, BillingPeriod month, string? currency, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var end = BillingClock.StartOfDay(month.End.AddDays(1));
        var records = await db.AuditRecords
            .Where(r => r.OperationDate < end && (r.OperationType == "create_order" || r.OperationType == "update_subscription" || r.OperationType == "upgrade_subscription"))
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);
        var customers = await db.Customers.ToDictionaryAsync(c => c.Id, cancellationToken);
        var subscriptions = await db.Subscriptions.Select(s => new { s.Id, s.IsUsage, s.UnitPrice, s.PromotionId, s.PromotionDiscount, s.AvailabilityId, s.PartnerIdOnRecord }).ToListAsync(cancellationToken);
        var bought = subscriptions.Where(s => !s.IsUsage).ToDictionary(s => s.Id.ToString(), s => (s.UnitPrice, s.PromotionId, s.PromotionDiscount));
        var placed = subscriptions.ToDictionary(s => s.Id.ToString(), s => (s.AvailabilityId, s.PartnerIdOnRecord), StringComparer.OrdinalIgnoreCase);

        var history = new RecordedHistory();
        var customerOf = new Dictionary<string, SimCustomer>(StringComparer.OrdinalIgnoreCase);
        var orderIds = new Dictionary<string, string>();
        foreach (var record in records)
        {
            var day = BillingClock.MicrosoftDay(record.OperationDate);
            var customer = customers[record.CustomerId!.Value];
            switch (record.OperationType)
            {
                case "create_order":
                    var order = JsonSerializer.Deserialize(record.ResourceNewValue!, SimulatorJson.Default.AuditedOrder)!;
                    foreach (var line in order.LineItems)
                    {
                        if (Purchase(line, line.BillingCycle ?? order.BillingCycle ?? "monthly", customer, record.OperationDate, bought) is { } purchased)
                        {
                            history.Buy(purchased);
                            customerOf[purchased.Id] = customer;
                            orderIds[purchased.Id] = order.Id;
                        }
                    }

                    break;
                case "update_subscription":
                    var before = JsonSerializer.Deserialize(record.ResourceOldValue!, PartnerCenterJson.Default.Subscription)!;
                    var after = JsonSerializer.Deserialize(record.ResourceNewValue!, PartnerCenterJson.Default.Subscription)!;
                    foreach (var change in SubscriptionChanges.Between(before, after, day))
                    {
                        history.Change(after.Id, change with { At = record.OperationDate });
                    }

                    if (Scheduled(before, after, customer, day) is { } schedule)
                    {
                        history.Change(after.Id, schedule with { At = record.OperationDate });
                    }

                    if (PlanChanged(before, after, customer, day) is { } switched)
                    {
                        history.Change(after.Id, switched with { At = record.OperationDate });
                    }

                    break;
                default:
                    var transition = JsonSerializer.Deserialize(record.ResourceNewValue!, PartnerCenterJson.Default.Transition)!;
                    if (!history.Knows(transition.FromSubscriptionId!) || Catalog.Find(transition.ToCatalogItemId) is not { } target)
                    {
                        break;
                    }

                    var term = TermExtensions.ParseTerm(transition.TermDuration).Value;
                    var plan = TermExtensions.ParseBillingPlan(transition.BillingCycle, term).Value;
                    var currencyOf = Currency.FromCode(customer.Currency).Value;
                    history.Upgrade(
                        day,
                        record.OperationDate,
                        transition.FromSubscriptionId!,
                        transition.ToSubscriptionId!,
                        transition.Quantity,
                        key => history.Purchase(key) ?? new PurchasedSubscription(
                            key, target.ProductId, target.SkuId, target.Title, new Money(SimulatorCatalog.UnitPrice(target, customer.Country, term, plan, day), currencyOf),
                            term, plan, day, transition.Quantity,
                            MonthlyTermUnitPrice: target.MonthlyTerm ? new Money(SimulatorCatalog.UnitPrice(target, customer.Country, Term.P1M, BillingPlan.Monthly, day), currencyOf) : null),
                        record.Id);
                    break;
            }
        }

        var lines = new List<ReconLine>();
        foreach (var (members, family) in history.Families(id => Currency.FromCode(customerOf[id].Currency).Value, month.End))
        {
            var customer = customerOf[members[0]];
            if (currency is not null && customer.Currency != currency)
            {
                continue;
            }

            var charges = ChargeEngine.Run(family, options.ChargeRules);
            if (!charges.IsSuccess)
            {
                // The simulator refused nothing the engine refuses: a history it cannot charge is the simulator's fault.
                throw new InvalidOperationException($"Subscriptions {string.Join(", ", members)}: {charges.Error.Message}");
            }

            var names = new InvoiceNames(customer.CompanyName, customer.Domain, customer.Country, orderIds, SkuNames);
            lines.AddRange(ShadowInvoice.For(charges.Value, month, customer.Id.ToString(), names));
        }

        var usage = await Usage.LinesAsync(db, month.Start, month.End, currency, month.End.AddDays(1), options, cancellationToken);
        lines.AddRange(Usage.InvoiceLines(usage, month));
        return lines.Select((line, i) => line with { LineNumber = i + 2L, OtherColumns = Partnered(line, month, placed.GetValueOrDefault(line.SubscriptionId), options) }).ToList();
    }

    /// <summary>
    /// What Microsoft prints on every line beside the charge: the partner (tenant and PartnerID), the indirect reseller's
    /// PartnerID (0 for none), the availability bought, the order's alternate id and the invoice's number.
    /// </summary>
    private static Dictionary<string, string> Partnered(ReconLine line, BillingPeriod month, (string? AvailabilityId, string? Reseller) placed, SimulatorOptions options) =>
        new(line.OtherColumns, StringComparer.OrdinalIgnoreCase)
        {
            ["PartnerId"] = options.PartnerTenantId.ToString(),
            ["MpnId"] = options.PartnerMpnId,
            ["ResellerMpnId"] = placed.Reseller ?? "0",
            ["AvailabilityId"] = placed.AvailabilityId ?? line.OtherColumns.GetValueOrDefault("AvailabilityId", ""),
            ["AlternateId"] = line.OtherColumns.GetValueOrDefault("OrderId", ""),
            ["InvoiceNumber"] = InvoiceId(month, line.Currency),
        };

    /// <summary>
    /// A change of billing frequency: the new plan from the next charge cycle, at the price list's price for it in force when
    /// the term began (the term's price is locked then); null when the plan did not change.
    /// </summary>
    private static ChangeBillingPlan? PlanChanged(Subscription before, Subscription after, SimCustomer customer, DateOnly day)
    {
        if (before.BillingCycle.Equals(after.BillingCycle, StringComparison.OrdinalIgnoreCase) || Catalog.Find(after.OfferId) is not { } offer)
        {
            return null;
        }

        var term = TermExtensions.ParseTerm(after.TermDuration).Value;
        var plan = TermExtensions.ParseBillingPlan(after.BillingCycle, term).Value;
        var termStart = BillingClock.MicrosoftDay(after.EffectiveStartDate);
        return new ChangeBillingPlan(day, after.Id, plan, new Money(SimulatorCatalog.UnitPrice(offer, customer.Country, term, plan, termStart), Currency.FromCode(customer.Currency).Value));
    }

    /// <summary>
    /// The next term as a change scheduled it: the instructions' product, term, plan and seats at the price list's price on
    /// the renewal day; null when the instructions did not change, or were only dropped by a mid-term change (which the
    /// engine drops them for itself).
    /// </summary>
    private static ScheduleNextTerm? Scheduled(Subscription before, Subscription after, SimCustomer customer, DateOnly day)
    {
        if (!SubscriptionChanges.Rescheduled(before, after))
        {
            return null;
        }

        var now = after.ScheduledNextTermInstructions;
        if (now is null || after.CommitmentEndDate is not { } end)
        {
            return new ScheduleNextTerm(day, after.Id, null);
        }

        var product = now.Product;
        var offer = Catalog.Find(product is null ? after.OfferId : $"{product.ProductId}:{product.SkuId}:{product.AvailabilityId}")!;
        var term = TermExtensions.ParseTerm(product?.TermDuration ?? after.TermDuration).Value;
        var plan = TermExtensions.ParseBillingPlan(product?.BillingCycle ?? after.BillingCycle, term).Value;
        var renewal = BillingClock.MicrosoftDay(end).AddDays(1);
        var price = new Money(SimulatorCatalog.UnitPrice(offer, customer.Country, term, plan, renewal), Currency.FromCode(customer.Currency).Value);
        return new ScheduleNextTerm(day, after.Id, new NextTerm(offer.ProductId, offer.SkuId, offer.Title, term, plan, now.Quantity ?? after.Quantity, price));
    }

    /// <summary>
    /// A licence subscription as an order line bought it at <paramref name="at"/>: at the price list's price in the customer's market that day,
    /// with its promotion and the share it takes off.
    /// </summary>
    private static PurchasedSubscription? Purchase(SimOrderLine line, string billingCycle, SimCustomer customer, DateTimeOffset at, Dictionary<string, (decimal UnitPrice, string? PromotionId, decimal? PromotionDiscount)> bought)
    {
        var day = BillingClock.MicrosoftDay(at);
        if (Catalog.Find(line.OfferId) is not { IsUsage: false } offer || line.SubscriptionId is null)
        {
            return null;
        }

        // A trial is free for its month and converts to a one-year term billed monthly.
        var trial = billingCycle.Equals("none", StringComparison.OrdinalIgnoreCase);
        var term = trial ? Term.P1Y : TermExtensions.ParseTerm(line.TermDuration).Value;
        var plan = trial ? BillingPlan.Monthly : TermExtensions.ParseBillingPlan(billingCycle, term).Value;
        var currency = Currency.FromCode(customer.Currency).Value;
        var monthly = offer.MonthlyTerm ? new Money(SimulatorCatalog.UnitPrice(offer, customer.Country, Term.P1M, BillingPlan.Monthly, day), currency) : (Money?)null;
        return new PurchasedSubscription(
            line.SubscriptionId, offer.ProductId, offer.SkuId, offer.Title,
            new Money(bought.TryGetValue(line.SubscriptionId, out var held) && held.UnitPrice > 0 ? held.UnitPrice : SimulatorCatalog.UnitPrice(offer, customer.Country, term, plan, day), currency),
            term, plan, day, line.Quantity, trial, MonthlyTermUnitPrice: monthly, PromotionId: held.PromotionId,
            CustomTermEndDate: line.CustomTermEndDate is { } end ? BillingClock.MicrosoftDay(end) : null,
            PromotionDiscount: held.PromotionDiscount,
            PurchasedAt: at);
    }

    /// <summary>Every invoice issued so far: one per ended month and currency with charges.</summary>
    private static async Task<IResult> ListAsync(SimulatorDb db, SimulatorClock clock, IssuedInvoices issued, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        var invoices = new List<InvoiceResource>();
        var firstOperation = await db.AuditRecords.OrderBy(r => r.Id).Select(r => (DateTimeOffset?)r.OperationDate).FirstOrDefaultAsync(cancellationToken);
        var firstPlan = (await db.Subscriptions.Where(s => s.IsUsage).Select(s => s.CreatedAt).ToListAsync(cancellationToken)).Order().Select(at => (DateTimeOffset?)at).FirstOrDefault();
        var first = new[] { firstOperation, firstPlan }.Where(at => at is not null).Min();
        var today = BillingClock.MicrosoftDay(clock.GetUtcNow());
        for (var month = first is { } at ? BillingPeriod.Month(BillingClock.MicrosoftDay(at)) : default; first is not null && month.End < today; month = BillingPeriod.Month(month.End.AddDays(1)))
        {
            var lines = await issued.LinesAsync(db, month, null, options.Value, cancellationToken);
            invoices.AddRange(lines.GroupBy(l => l.Currency).OrderBy(g => Array.IndexOf(Currencies, g.Key)).Select(g => View(month, g.Key, g)));
        }

        return TypedResults.Json(
            new InvoicePage(invoices.Count, invoices, new CollectionLinksResource(LinkResource.Get("/invoices")), new AttributesResource(null, "Collection")), SimulatorJson.Default.InvoicePage);
    }

    private static async Task<IResult> GetAsync(string invoiceId, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, IOptions<SimulatorOptions> options, CancellationToken cancellationToken) =>
        await IssuedAsync(invoiceId, db, clock, invoices, options.Value, cancellationToken) is { } issued
            ? TypedResults.Json(View(issued.Month, issued.Currency, issued.Lines), SimulatorJson.Default.InvoiceResource)
            : MicrosoftErrors.NotFound($"Invoice {invoiceId}");

    /// <summary>
    /// A page of an invoice's reconciliation line items (<c>provider=onetime</c>, <c>invoicelineitemtype=billinglineitems</c>);
    /// the next page is <c>…/lineitems/OneTime/BillingLineItems?seekOperation=Next</c> with the previous page's token.
    /// </summary>
    private static async Task<IResult> LineItemsAsync(
        string invoiceId, string? provider, string? invoiceLineItemType, int? size, string? seekOperation, HttpRequest request, SimulatorDb db, SimulatorClock clock,
        IssuedInvoices invoices, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        if (!"onetime".Equals(provider, StringComparison.OrdinalIgnoreCase) || !"billinglineitems".Equals(invoiceLineItemType, StringComparison.OrdinalIgnoreCase))
        {
            return MicrosoftErrors.InvalidInput("provider must be onetime and invoicelineitemtype billinglineitems: new commerce has one data model for every product.");
        }

        if (!ContinuationToken.TrySkip(seekOperation, request, out var skip))
        {
            return MicrosoftErrors.InvalidInput("seekOperation=Next needs the MS-ContinuationToken of the previous page.");
        }

        if (await IssuedAsync(invoiceId, db, clock, invoices, options.Value, cancellationToken) is not { } issued)
        {
            return MicrosoftErrors.NotFound($"Invoice {invoiceId}");
        }

        var pageSize = Math.Clamp(size ?? 2000, 1, 2000);
        var page = issued.Lines.Skip(skip).Take(pageSize).ToList();
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalCount", page.Count);
            writer.WriteStartArray("items");
            foreach (var line in page)
            {
                writer.WriteStartObject();
                BillingExportFile.WriteReconLine(writer, line);
                writer.WriteString("invoiceLineItemType", "billing_line_items");
                writer.WriteString("billingProvider", "one_time");
                writer.WriteStartObject("attributes");
                writer.WriteString("objectType", "OneTimeInvoiceLineItem");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (skip + page.Count < issued.Lines.Count)
            {
                writer.WriteStartObject("links");
                writer.WriteStartObject("next");
                writer.WriteString("uri", $"/v1/invoices/{invoiceId}/lineitems/OneTime/BillingLineItems?size={pageSize}&seekOperation=Next");
                writer.WriteString("method", "GET");
                writer.WriteStartArray("headers");
                writer.WriteStartObject();
                writer.WriteString("key", "MS-ContinuationToken");
                writer.WriteString("value", ContinuationToken.Write(skip + pageSize));
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Results.Bytes(json.ToArray(), "application/json; charset=utf-8");
    }

    /// <summary>The invoice's month, currency and lines, when it has been issued (its month has ended) and has lines.</summary>
    public static async Task<(BillingPeriod Month, string Currency, List<ReconLine> Lines)?> IssuedAsync(
        string invoiceId, SimulatorDb db, SimulatorClock clock, IssuedInvoices invoices, SimulatorOptions options, CancellationToken cancellationToken)
    {
        if (!TryRead(invoiceId, out var month, out var currency) || month.End >= BillingClock.MicrosoftDay(clock.GetUtcNow()))
        {
            return null;
        }

        var lines = await invoices.LinesAsync(db, month, currency, options, cancellationToken);
        return lines.Count == 0 ? null : (month, currency, lines);
    }

    /// <remarks>No tax receipts and no PDF: the simulator renders no documents (conformance.md).</remarks>
    private static InvoiceResource View(BillingPeriod month, string currency, IEnumerable<ReconLine> lines)
    {
        var id = InvoiceId(month, currency);
        return new InvoiceResource(
            id,
            BillingClock.StartOfDay(month.End.AddDays(1)),
            BillingClock.StartOfDay(month.Start),
            BillingClock.StartOfDay(month.End),
            lines.Sum(l => l.Subtotal),
            0m,
            currency,
            SimulatorCatalog.CurrencySymbol(currency),
            [],
            [new InvoiceDetailResource("billing_line_items", "one_time", new SelfLinksResource(LinkResource.Get($"/invoices/{OneTime}{id}/lineitems/OneTime/BillingLineItems")), new AttributesResource(null, "InvoiceDetail"))],
            "invoice",
            "OneTime",
            new SelfLinksResource(LinkResource.Get($"/invoices/{OneTime}{id}")),
            new AttributesResource(null, "Invoice"));
    }

    /// <summary>The prefix of a new commerce invoice's id in Microsoft's links (<c>/invoices/OneTime-G000024135</c>).</summary>
    private const string OneTime = "OneTime-";

}

/// <summary>
/// The lines of invoices already issued, computed once: a month that has ended on the simulator's clock can no longer
/// change (operations are recorded when they happen, and the clock only moves forward) — except by a usage spike set
/// for one of its days, which clears what is held.
/// </summary>
public sealed class IssuedInvoices
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(DateOnly Month, string? Currency), List<ReconLine>> held = new();

    public async Task<List<ReconLine>> LinesAsync(SimulatorDb db, BillingPeriod month, string? currency, SimulatorOptions options, CancellationToken cancellationToken)
    {
        if (held.TryGetValue((month.Start, currency), out var lines))
        {
            return lines;
        }

        lines = await Invoices.LinesAsync(db, month, currency, options, cancellationToken);
        held[(month.Start, currency)] = lines;
        return lines;
    }

    public void Clear() => held.Clear();
}
