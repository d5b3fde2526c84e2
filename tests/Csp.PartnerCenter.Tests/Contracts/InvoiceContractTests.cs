using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Invoices against Microsoft's get-a-collection-of-invoices and get-invoice-by-id: the client reads both samples (the
/// list's without a billing period); the simulator's new commerce invoice has every documented name but the two
/// documents it does not render (conformance.md), and its detail's link reads its line items.
/// </summary>
public sealed class InvoiceContractTests
{
    private const string List = "get-a-collection-of-invoices.response.json";
    private const string ById = "get-invoice-by-id.response.json";
    private const string LineItems = "get-invoiceline-items.onetime.response.json";

    /// <summary>What the simulator deliberately leaves out: it renders no PDF and issues no tax receipts.</summary>
    private static readonly string[] NoDocuments = ["pdfDownloadLink: missing", "taxReceipts: empty where Microsoft's sample has items, so their names cannot be compared"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsInvoices()
    {
        var listed = MicrosoftSample.Read(List).Body.Deserialize(PartnerCenterJson.Default.ResourcePageInvoice)!.Items;
        var invoice = MicrosoftSample.Read(ById).Body.Deserialize(PartnerCenterJson.Default.Invoice)!;

        Assert.Equal([("Recurring", "invoice", null), ("OneTime", "void_note", null)], listed.Select(i => (i.InvoiceType, i.DocumentType, i.BillingPeriodStartDate)));
        Assert.Equal(("OneTime", "invoice", "$", 2076.63m), (invoice.InvoiceType, invoice.DocumentType, invoice.CurrencySymbol, invoice.TotalCharges));
        Assert.Equal(new DateTimeOffset(2018, 2, 1, 22, 40, 37, TimeSpan.Zero), invoice.BillingPeriodStartDate!.Value.AddTicks(-invoice.BillingPeriodStartDate.Value.Ticks % TimeSpan.TicksPerSecond));
        Assert.Equal(("billing_line_items", "one_time"), (invoice.InvoiceDetails![0].InvoiceLineItemType, invoice.InvoiceDetails[0].BillingProvider));
    }

    // Microsoft's new commerce line items write their numbers as text; the client reads text or numbers.
    [Fact]
    public void Client_ReadsMicrosoftsInvoiceLineItems()
    {
        var items = MicrosoftSample.Read(LineItems).Body.GetProperty("items").EnumerateArray().Select((item, i) => BillingExportFile.ReadReconLine(item, i + 1, LineItems)).ToList();

        Assert.Equal([("new", 0m, 25m, 0m), ("new", 14.4m, 50m, 720m), ("new", 16m, 1m, 16m)], items.Select(l => (l.ChargeType, l.EffectiveUnitPrice, l.Quantity, l.Subtotal)));
        Assert.Equal(("39NFJQT1X27N:0002:39NFJQT1Q5KL", 793m, new DateOnly(2022, 5, 19)), (items[1].PromotionId, items[1].Total, items[1].SubscriptionEndDate));
    }

    // The simulator writes its amounts as numbers, as the page's last item and the billing export do; its first items write text.
    private static IEnumerable<string> Textual(JsonElement item) => item.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Name);

    private static IEnumerable<string> Numeric(JsonElement item) => item.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).Select(p => p.Name);

    [Fact]
    public async Task Simulator_Invoice_HasMicrosoftsNames_AndItsDetailLinkReadsItsLines()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        await pc.SubscribeAsync(customer, quantity: 3);
        await pc.AdvanceAsync(TimeSpan.FromDays(40));

        var list = await pc.GetJsonAsync("v1/invoices");
        var invoice = list.GetProperty("items")[0];
        var byId = await pc.GetJsonAsync($"v1{invoice.GetProperty("links").GetProperty("self").GetProperty("uri").GetString()}");
        var lines = await pc.GetJsonAsync($"v1{invoice.GetProperty("invoiceDetails")[0].GetProperty("links").GetProperty("self").GetProperty("uri").GetString()}");

        Assert.Equal(NoDocuments, JsonShape.Missing(MicrosoftSample.Read(ById).Body, byId));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(ById).Body, byId));
        Assert.Equal(NoDocuments.Select(d => $"items[].{d}"), JsonShape.Missing(MicrosoftSample.Read(List).Body, list).Where(d => !d.StartsWith("links.next", StringComparison.Ordinal)));
        Assert.Equal(("invoice", "OneTime", "$"), (byId.GetProperty("documentType").GetString(), byId.GetProperty("invoiceType").GetString(), byId.GetProperty("currencySymbol").GetString()));
        Assert.Equal(invoice.GetProperty("id").GetString(), lines.GetProperty("items")[0].GetProperty("invoiceNumber").GetString());
        // The page's items write the reseller's PartnerID as text or as a number, beside the partner's own as text: it is text here.
        Assert.Equal(["resellerMpnId: string where Microsoft's sample has number"], JsonShape.Missing(MicrosoftSample.Read(LineItems).Body.GetProperty("items")[2], lines.GetProperty("items")[0]));
        Assert.DoesNotContain(JsonShape.Missing(MicrosoftSample.Read(LineItems).Body.GetProperty("items")[0], lines.GetProperty("items")[0]), d => !d.Contains("where Microsoft's sample has string", StringComparison.Ordinal) && !d.StartsWith("productQualifiers: empty", StringComparison.Ordinal));
        Assert.Equal(["billableQuantity", "effectiveUnitPrice", "pcToBCExchangeRate", "quantity", "subtotal", "taxTotal", "totalForCustomer", "unitPrice"], Textual(MicrosoftSample.Read(LineItems).Body.GetProperty("items")[0]).Intersect(Numeric(lines.GetProperty("items")[0])).Order());
        Assert.Equal(byId.GetProperty("totalCharges").GetDecimal(), lines.GetProperty("items").EnumerateArray().Sum(l => l.GetProperty("subtotal").GetDecimal()));
    }
}
