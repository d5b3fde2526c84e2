using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Billing;
using Csp.Domain.Charges;
using Csp.Domain.Pricing;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using UglyToad.PdfPig;

namespace Csp.Web.Tests;

/// <summary>
/// Invoices as the partner sends and files them, read back: the PDF (text and pages, with PdfPig), the lines as CSV and
/// XLSX (with MiniExcel), the journal; on SQLite and PostgreSQL. And a long invoice's pages, rendered directly.
/// </summary>
public abstract class InvoiceExportTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    /// <summary>A 4 × 4 PNG in the platform's blue.</summary>
    private const string Logo = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGPgz9kLRwzEcQDwYxOBO2RwsAAAAABJRU5ErkJggg==";

    private static readonly string[] Address = ["1 Kingsway", "London WC2B 6AN"];

    private async Task<(Guid Reseller, CommerceApp AsReseller, CustomerInvoice Invoice)> IssuedAsync()
    {
        var reseller = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller && p.Country == "GB").Select(p => p.Id).SingleAsync(Cancel));
        var asReseller = new CommerceApp(Database, Time, reseller);
        var branding = await asReseller.CreateClient().PostAsJsonAsync(
            "/api/branding", new { displayName = "Contoso IT Services Ltd", addressLines = Address, primaryColour = "#7A1FA2", taxId = "GB123456789", logoPng = Logo }, Cancel);
        Assert.Equal(HttpStatusCode.OK, branding.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostWithKeyAsync(App.CreateClient(), "/api/billing-runs", new { partnerId = reseller, month = "2026-11" })).StatusCode);
        var invoice = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).OrderByDescending(i => i.LineCount).ThenBy(i => i.Id).FirstAsync(Cancel));
        Assert.Equal(HttpStatusCode.OK, (await PostWithKeyAsync(asReseller.CreateClient(), $"/api/invoices/{invoice.Id}/issue", new { dueInDays = 30 })).StatusCode);
        return (reseller, asReseller, await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.Id == invoice.Id, Cancel)));
    }

    private static string Amount(decimal amount, string currency) =>
        amount.ToString($"N{Currency.FromCode(currency).Value.MinorUnits}", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Pdf_AnIssuedInvoice_ReadsBackInTheResellersBrandingWithEveryLineAndTheTotals()
    {
        var (_, asReseller, invoice) = await IssuedAsync();
        await using var _ = asReseller;
        var lines = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == invoice.Id).ToListAsync(Cancel));
        var customer = await App.WithDbAsync(db => db.Customers.SingleAsync(c => c.Id == invoice.CustomerId, Cancel));

        var response = await asReseller.CreateClient().GetAsync($"/api/invoices/{invoice.Id}/pdf", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{invoice.Number}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync(Cancel));
        var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
        Assert.Equal(1, pdf.NumberOfPages);
        Assert.Contains($"Invoice {invoice.Number}", text, StringComparison.Ordinal);
        Assert.Contains("Contoso IT Services Ltd", text, StringComparison.Ordinal);
        Assert.Contains("London WC2B 6AN", text, StringComparison.Ordinal);
        Assert.Contains("VAT GB123456789", text, StringComparison.Ordinal);
        Assert.Contains(customer.Name, text, StringComparison.Ordinal);
        Assert.Contains("page 1 of 1", text, StringComparison.Ordinal);
        Assert.All(lines, l =>
        {
            Assert.Contains(Amount(l.Amount, l.Currency), text, StringComparison.Ordinal);
            Assert.Contains(l.ReferenceId, text, StringComparison.Ordinal);
        });
        Assert.Contains($"{Amount(invoice.Total, invoice.Currency)} {invoice.Currency}", text, StringComparison.Ordinal);
        Assert.Single(pdf.GetPage(1).GetImages());
    }

    [Fact]
    public async Task Lines_AsCsvAndXlsx_ReadBackAsTheInvoicesLines()
    {
        var (_, asReseller, invoice) = await IssuedAsync();
        await using var _ = asReseller;
        var lines = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == invoice.Id).ToListAsync(Cancel));

        var csv = await asReseller.CreateClient().GetStringAsync($"/api/invoices/{invoice.Id}/lines.csv", Cancel);
        var xlsx = await asReseller.CreateClient().GetByteArrayAsync($"/api/invoices/{invoice.Id}/lines.xlsx", Cancel);

        var rows = csv.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join(',', InvoiceSheets.Columns), rows[0]);
        Assert.Equal(lines.Count, rows.Length - 1);
        var sheet = new MemoryStream(xlsx).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(lines.Count, sheet.Count);
        Assert.Equal(
            lines.Select(l => (l.ReferenceId, l.ChargeType.ToMicrosoft(), l.Amount, l.Tax)).Order(),
            sheet.Select(r => ((string)r["ReferenceId"], (string)r["ChargeType"], Convert.ToDecimal(r["Amount"], CultureInfo.InvariantCulture), Convert.ToDecimal(r["Tax"], CultureInfo.InvariantCulture))).Order());
        Assert.All(sheet, r => Assert.Equal(invoice.Number, r["InvoiceNumber"]));
    }

    [Fact]
    public async Task Journal_HoldsIssuedInvoicesOnly_AsCsvAndXlsx_AndAddsUpToThem()
    {
        var (reseller, asReseller, invoice) = await IssuedAsync();
        await using var _ = asReseller;

        var csv = await asReseller.CreateClient().GetStringAsync("/api/journal?from=2026-11", Cancel);
        var xlsx = await asReseller.CreateClient().GetByteArrayAsync("/api/journal?from=2026-11&format=xlsx", Cancel);
        var distributors = await App.CreateClient().GetStringAsync("/api/journal?from=2026-11", Cancel);

        var rows = new MemoryStream(xlsx).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.All(rows, r => Assert.Equal(invoice.CustomerId.ToString(), r["CustomerId"]));
        Assert.Equal(invoice.Net, rows.Sum(r => Convert.ToDecimal(r["Revenue"], CultureInfo.InvariantCulture)));
        Assert.Equal(invoice.Tax, rows.Sum(r => Convert.ToDecimal(r["Tax"], CultureInfo.InvariantCulture)));
        Assert.Equal(rows.Count + 1, csv.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Length);
        Assert.StartsWith(string.Join(',', ExportJournal.Columns), csv, StringComparison.Ordinal);

        // The distributor's books hold its sale to the reseller at the reseller's cost, without tax.
        Assert.Contains(invoice.CustomerId.ToString(), distributors, StringComparison.Ordinal);
        var resellerCost = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == invoice.Id).SumAsync(l => (double)l.ResellerCost!.Value, Cancel));
        Assert.True(resellerCost > 0);
        Assert.DoesNotContain(reseller.ToString(), csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Branding_AnythingButAPng_IsRefusedNamingTheField()
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/branding", new { displayName = "Northwind", addressLines = Array.Empty<string>(), primaryColour = "#123456", logoPng = Convert.ToBase64String("GIF89a"u8.ToArray()) }, Cancel);
        var colour = await App.CreateClient().PostAsJsonAsync("/api/branding", new { displayName = "Northwind", addressLines = Array.Empty<string>(), primaryColour = "blue" }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("logoPng", (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
        Assert.Equal("primaryColour", (await colour.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("parameter").GetString());
    }

    [Fact]
    public void Pdf_ALongInvoice_RunsOverNumberedPagesWithEveryLine()
    {
        var partner = new Partner(Guid.NewGuid(), "Contoso IT Services", PartnerKind.Reseller, null, "GB", "GBP", "Europe/London", CommerceApp.Now);
        var customer = new Customer(Guid.NewGuid(), partner.Id, Guid.NewGuid(), "Alpine Ski House Ltd", "alpineskihouse.onmicrosoft.com", "GB", "GBP", CommerceApp.Now);
        var invoice = new CustomerInvoice(Guid.NewGuid(), partner.Id, customer.Id, InvoiceKind.Invoice, new DateOnly(2026, 11, 1), "GBP", new TaxTreatment(20m, false), CommerceApp.Now);
        var bought = new PurchasedSubscription("s1", "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", new Money(10.08m, Currency.Gbp), Term.P1M, BillingPlan.Monthly, new DateOnly(2026, 11, 1), 10);
        var changes = Enumerable.Range(0, 40).Select(i => (SubscriptionChange)new ChangeQuantity(new DateOnly(2026, 11, 1).AddDays(i % 28), "s1", 11 + i)).ToArray();
        var charges = ChargeEngine.Run(new ChargeHistory(Currency.Gbp, new DateOnly(2026, 11, 30), [bought], changes), ChargeRules.Default).Value;
        var rule = new MarginRule(Guid.NewGuid(), partner.Id, MarginLevel.Business, "", 1, MarginMethod.Markup, 20m, null, null, false, PromotionHandling.PassOn, new DateOnly(2026, 1, 1));
        var lines = charges.Select(c => new InvoiceLine(
            Guid.NewGuid(), invoice, ChargeCycle.Key(c), null,
            InvoiceCharge.For(c, PriceResolver.Resolve(SeatCost.Without(c.UnitPrice, null, 1), new PricedItem(null, customer.Id, c.ProductId, c.SkuId, Guid.Empty), c.ChargeStartDate, [(partner.Id, [rule])]).Value, invoice.TaxTreatment), rule.Id, null)).ToList();
        lines.ForEach(invoice.Add);

        using var pdf = PdfDocument.Open(InvoicePdf.Render(new InvoiceDocument(invoice, lines, customer, partner, null)));

        Assert.True(lines.Count > 70, $"{lines.Count} lines");
        Assert.True(pdf.NumberOfPages >= 3, $"{pdf.NumberOfPages} pages");
        var pages = pdf.GetPages().Select(p => p.Text).ToList();
        Assert.All(pages.Select((text, i) => (text, i)), p => Assert.Contains($"page {p.i + 1} of {pages.Count}", p.text, StringComparison.Ordinal));
        Assert.Contains("DRAFT INVOICE", pages[0], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Contains(l.ReferenceId, string.Join("\n", pages), StringComparison.Ordinal));
        Assert.Contains($"{Amount(invoice.Total, "GBP")} GBP", pages[^1], StringComparison.Ordinal);
    }
}

public sealed class SqliteInvoiceExportTests : InvoiceExportTests<SqliteDatabase>;

public sealed class PostgresInvoiceExportTests : InvoiceExportTests<PostgresDatabase>;
