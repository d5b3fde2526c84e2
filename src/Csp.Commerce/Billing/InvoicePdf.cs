using System.Globalization;
using System.Reflection;
using Csp.Data;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Csp.Commerce.Billing;

/// <summary>
/// An invoice or credit note as an A4 PDF in the issuing partner's branding: its colour as the header band, its logo, name,
/// address and VAT number; the customer; one row per line (product, charge type and Microsoft's reference, period,
/// quantity, unit price, amount), as many pages as it takes, each numbered; the totals and the tax treatment. A draft says
/// so across its header.
/// </summary>
public static class InvoicePdf
{
    private const double Margin = 40;
    private const double PageWidth = 595;
    private const double PageHeight = 842;
    private const double RowHeight = 22;
    private const string Family = "DejaVu Sans";

    private static readonly Lock Setup = new();

    private static readonly (string Title, double X, double Width, bool Right)[] Columns =
    [
        ("Product / charge", Margin, 205, false), ("Period", 250, 110, false), ("Qty", 360, 35, true), ("Unit price", 395, 75, true), ("Amount", 470, 85, true),
    ];

    public static byte[] Render(InvoiceDocument document)
    {
        UseEmbeddedFonts();
        var invoice = document.Invoice;
        var colour = Colour(document.Branding?.PrimaryColour ?? PartnerBranding.DefaultColour);
        var regular = new XFont(Family, 8.5, XFontStyleEx.Regular);
        var small = new XFont(Family, 7, XFontStyleEx.Regular);
        var bold = new XFont(Family, 8.5, XFontStyleEx.Bold);
        var title = new XFont(Family, 16, XFontStyleEx.Bold);

        using var pdf = new PdfDocument();
        var kind = invoice.Kind == InvoiceKind.CreditNote ? "Credit note" : "Invoice";
        pdf.Info.Title = $"{kind} {invoice.Number ?? "(draft)"} — {document.Customer.Name}";
        pdf.Info.Author = document.Branding?.DisplayName ?? document.Issuer.Name;

        var pages = new List<PdfPage>();
        XGraphics NewPage()
        {
            var page = pdf.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            pages.Add(page);
            return XGraphics.FromPdfPage(page);
        }

        var gfx = NewPage();
        var y = Header(gfx, document, colour, title, regular, bold, small, kind);
        y = TableHeader(gfx, y, colour, bold);
        foreach (var line in document.Lines)
        {
            if (y + RowHeight > PageHeight - 90)
            {
                gfx.Dispose();
                gfx = NewPage();
                y = TableHeader(gfx, Margin, colour, bold);
            }

            Row(gfx, y, line, document.MinorUnits, regular, small);
            y += RowHeight;
        }

        if (y + 80 > PageHeight - 50)
        {
            gfx.Dispose();
            gfx = NewPage();
            y = Margin;
        }

        Totals(gfx, y + 8, document, regular, bold);
        gfx.Dispose();
        for (var i = 0; i < pages.Count; i++)
        {
            using var footer = XGraphics.FromPdfPage(pages[i], XGraphicsPdfPageOptions.Append);
            footer.DrawString($"{kind} {invoice.Number ?? "draft"} · page {i + 1} of {pages.Count}", small, XBrushes.Gray, new XRect(Margin, PageHeight - 30, PageWidth - (2 * Margin), 10), XStringFormats.TopRight);
            footer.DrawString("Every line is one of Microsoft's charges: its charge type and Microsoft's reference id are printed under the product.", small, XBrushes.Gray, new XRect(Margin, PageHeight - 30, 400, 10), XStringFormats.TopLeft);
        }

        using var stream = new MemoryStream();
        pdf.Save(stream);
        return stream.ToArray();
    }

    private static double Header(XGraphics gfx, InvoiceDocument document, XColor colour, XFont title, XFont regular, XFont bold, XFont small, string kind)
    {
        var invoice = document.Invoice;
        gfx.DrawRectangle(new XSolidBrush(colour), 0, 0, PageWidth, 70);
        var textX = Margin;
        if (document.Branding?.LogoPng is { } logo)
        {
            using var image = XImage.FromStream(new MemoryStream(logo));
            var height = 46.0;
            var width = Math.Min(140, height * image.PixelWidth / Math.Max(1, image.PixelHeight));
            gfx.DrawImage(image, Margin, 12, width, height);
            textX += width + 12;
        }

        var seller = document.Branding?.DisplayName ?? document.Issuer.Name;
        gfx.DrawString(seller, title, XBrushes.White, new XRect(textX, 24, 320, 24), XStringFormats.TopLeft);
        var heading = invoice.Status == InvoiceStatus.Draft ? $"DRAFT {kind.ToUpperInvariant()}" : $"{kind} {invoice.Number}";
        gfx.DrawString(heading, title, XBrushes.White, new XRect(PageWidth - Margin - 220, 24, 220, 24), XStringFormats.TopRight);

        var y = 88.0;
        var from = new List<string> { seller };
        from.AddRange((document.Branding?.Address ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        if (document.Branding?.TaxId is { } sellerTax)
        {
            from.Add($"VAT {sellerTax}");
        }

        var to = new List<string> { document.Customer.Name, document.Customer.Domain, $"Country {document.Customer.Country}" };
        if (document.Customer.TaxId is { } customerTax)
        {
            to.Add($"VAT {customerTax}");
        }

        var facts = new List<string>
        {
            $"Billing month {invoice.Month:yyyy-MM}",
            invoice.IssueDate is { } issued ? $"Issued {issued:yyyy-MM-dd}" : "Not issued",
            invoice.DueDate is { } due ? $"Due {due:yyyy-MM-dd}" : "",
            $"Currency {invoice.Currency}",
        };
        if (invoice.Kind == InvoiceKind.CreditNote && invoice.CorrectsInvoiceId is { } corrects)
        {
            facts.Add($"Corrects invoice {corrects.ToString()[..8]}…");
        }

        Block(gfx, "From", from, Margin, y, bold, regular);
        Block(gfx, "Bill to", to, 230, y, bold, regular);
        Block(gfx, "Invoice", facts.Where(f => f.Length > 0).ToList(), 420, y, bold, regular);
        return y + (14 * Math.Max(from.Count, Math.Max(to.Count, facts.Count))) + 30;
    }

    private static void Block(XGraphics gfx, string heading, List<string> lines, double x, double y, XFont bold, XFont regular)
    {
        gfx.DrawString(heading, bold, XBrushes.Black, new XRect(x, y, 180, 12), XStringFormats.TopLeft);
        for (var i = 0; i < lines.Count; i++)
        {
            gfx.DrawString(Fit(gfx, lines[i], regular, 175), regular, XBrushes.Black, new XRect(x, y + 14 + (i * 12), 180, 12), XStringFormats.TopLeft);
        }
    }

    private static double TableHeader(XGraphics gfx, double y, XColor colour, XFont bold)
    {
        gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(40, colour.R, colour.G, colour.B)), Margin, y, PageWidth - (2 * Margin), 16);
        foreach (var (title, x, width, right) in Columns)
        {
            gfx.DrawString(title, bold, XBrushes.Black, new XRect(x + 2, y + 3, width - 4, 12), right ? XStringFormats.TopRight : XStringFormats.TopLeft);
        }

        return y + 20;
    }

    private static void Row(XGraphics gfx, double y, InvoiceLine line, int minorUnits, XFont regular, XFont small)
    {
        string Money(decimal amount) => amount.ToString($"N{minorUnits}", CultureInfo.InvariantCulture);
        var cells = new[]
        {
            Fit(gfx, line.ProductName, regular, Columns[0].Width - 4),
            $"{line.ChargeStartDate:yyyy-MM-dd} – {line.ChargeEndDate:yyyy-MM-dd}",
            line.BillableQuantity.ToString(CultureInfo.InvariantCulture),
            line.UnitPrice.ToString($"N{Math.Max(2, minorUnits)}", CultureInfo.InvariantCulture),
            Money(line.Amount),
        };
        for (var i = 0; i < Columns.Length; i++)
        {
            var (_, x, width, right) = Columns[i];
            gfx.DrawString(cells[i], regular, XBrushes.Black, new XRect(x + 2, y, width - 4, 11), right ? XStringFormats.TopRight : XStringFormats.TopLeft);
        }

        var converted = line.ExchangeRate is { } rate
            ? $" · from {line.MicrosoftCurrency} at {rate.ToString("0.##########", CultureInfo.InvariantCulture)} ({line.ExchangeRateDate:yyyy-MM-dd})"
            : "";
        var source = line.Kind switch
        {
            InvoiceLineKind.Usage => $"Azure usage · subscription {line.MicrosoftSubscriptionId}",
            InvoiceLineKind.Item => "one-off item",
            _ => $"{Csp.Domain.Charges.ChargeTypeNames.ToMicrosoft(line.ChargeType)} · ref {line.ReferenceId}",
        };
        gfx.DrawString($"{source}{converted}", small, XBrushes.Gray, new XRect(Columns[0].X + 2, y + 10, 320, 9), XStringFormats.TopLeft);
        gfx.DrawLine(XPens.LightGray, Margin, y + RowHeight - 2, PageWidth - Margin, y + RowHeight - 2);
    }

    private static void Totals(XGraphics gfx, double y, InvoiceDocument document, XFont regular, XFont bold)
    {
        var invoice = document.Invoice;
        string Money(decimal amount) => $"{amount.ToString($"N{document.MinorUnits}", CultureInfo.InvariantCulture)} {invoice.Currency}";
        var tax = invoice.ReverseCharge
            ? "Tax: reverse charge — the customer accounts for VAT"
            : $"Tax {invoice.TaxPercent.ToString("0.####", CultureInfo.InvariantCulture)} %";
        var rows = new[] { ("Net", Money(invoice.Net), regular), (tax, Money(invoice.Tax), regular), ("Total", Money(invoice.Total), bold) };
        for (var i = 0; i < rows.Length; i++)
        {
            var (label, amount, font) = rows[i];
            gfx.DrawString(label, font, XBrushes.Black, new XRect(250, y + (i * 16), 215, 14), XStringFormats.TopRight);
            gfx.DrawString(amount, font, XBrushes.Black, new XRect(470, y + (i * 16), 85, 14), XStringFormats.TopRight);
        }

        gfx.DrawString("Tax is worked out per line on its rounded amount; amounts are rounded half away from zero.", new XFont(Family, 7, XFontStyleEx.Regular), XBrushes.Gray, new XRect(Margin, y + 56, 500, 10), XStringFormats.TopLeft);
    }

    /// <summary><paramref name="text"/>, cut with an ellipsis where it would run past <paramref name="width"/>.</summary>
    private static string Fit(XGraphics gfx, string text, XFont font, double width)
    {
        if (gfx.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        var cut = text;
        while (cut.Length > 1 && gfx.MeasureString(cut + "…", font).Width > width)
        {
            cut = cut[..^1];
        }

        return cut + "…";
    }

    private static XColor Colour(string hex) =>
        XColor.FromArgb(
            int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>PDFsharp's fonts come from this assembly (DejaVu Sans, Fonts/LICENSE.txt), so no machine needs a font installed.</summary>
    private static void UseEmbeddedFonts()
    {
        lock (Setup)
        {
            if (GlobalFontSettings.FontResolver is not EmbeddedFonts)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFonts();
            }
        }
    }

    private sealed class EmbeddedFonts : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans", mustSimulateBold: false, mustSimulateItalic: italic);

        public byte[] GetFont(string faceName)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Csp.Commerce.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"The font {faceName} is not embedded in Csp.Commerce.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
