using System.Globalization;
using Csp.Domain.Charges;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Csp.Commerce.Billing;

/// <summary>An invoice's lines as CSV or XLSX: one row per line, Microsoft's charge beside the customer's price.</summary>
public static class InvoiceSheets
{
    public static readonly string[] Columns =
    [
        "InvoiceNumber", "CustomerName", "Kind", "ChargeType", "ProductId", "SkuId", "ProductName", "MicrosoftSubscriptionId", "ChargeStartDate", "ChargeEndDate",
        "Quantity", "BillableQuantity", "UnitPrice", "EffectiveUnitPrice", "Amount", "TaxPercent", "Tax", "Currency", "ExchangeRate", "ExchangeRateDate", "ReferenceId", "ReversesLineId",
    ];

    /// <summary>The lines as CSV, values in the invariant culture, dates <c>yyyy-MM-dd</c>.</summary>
    public static byte[] Csv(InvoiceDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).To(text))
        {
            foreach (var row in Rows(document))
            {
                using var written = writer.NewRow();
                foreach (var column in Columns)
                {
                    written[column].Set(row[column] switch
                    {
                        null => "",
                        DateTime day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
                        var value => value.ToString() ?? "",
                    });
                }
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The lines as an XLSX workbook, one sheet, numbers and dates typed.</summary>
    public static byte[] Xlsx(InvoiceDocument document)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(Rows(document), sheetName: "Lines");
        return stream.ToArray();
    }

    private static IEnumerable<Dictionary<string, object?>> Rows(InvoiceDocument document) =>
        document.Lines.Select(l => new Dictionary<string, object?>
        {
            ["InvoiceNumber"] = document.Invoice.Number ?? "draft",
            ["CustomerName"] = document.Customer.Name,
            ["Kind"] = l.Kind.ToString(),
            ["ChargeType"] = l.ChargeType.ToMicrosoft(),
            ["ProductId"] = l.ProductId,
            ["SkuId"] = l.SkuId,
            ["ProductName"] = l.ProductName,
            ["MicrosoftSubscriptionId"] = l.MicrosoftSubscriptionId,
            ["ChargeStartDate"] = l.ChargeStartDate.ToDateTime(TimeOnly.MinValue),
            ["ChargeEndDate"] = l.ChargeEndDate.ToDateTime(TimeOnly.MinValue),
            ["Quantity"] = l.Quantity,
            ["BillableQuantity"] = l.BillableQuantity,
            ["UnitPrice"] = l.UnitPrice,
            ["EffectiveUnitPrice"] = l.EffectiveUnitPrice,
            ["Amount"] = l.Amount,
            ["TaxPercent"] = l.TaxPercent,
            ["Tax"] = l.Tax,
            ["Currency"] = l.Currency,
            ["ExchangeRate"] = l.ExchangeRate,
            ["ExchangeRateDate"] = l.ExchangeRateDate?.ToDateTime(TimeOnly.MinValue),
            ["ReferenceId"] = l.ReferenceId,
            ["ReversesLineId"] = l.ReversesLineId?.ToString(),
        });
}
