using System.Globalization;

namespace Csp.PartnerCenter.Files;

/// <summary>One row of Microsoft's new-commerce license-based price list: a price for a market, term and billing plan.</summary>
/// <param name="TermDuration">As Microsoft writes it: <c>P1M</c>, <c>P1Y</c>, <c>P3Y</c>, <c>P5Y</c> or <c>NoTerm</c>.</param>
/// <param name="BillingPlan">As Microsoft writes it: <c>Monthly</c>, <c>Annual</c>, <c>Triennial</c> or <c>OneTime</c>.</param>
/// <param name="UnitPrice">The partner's price per unit per charge cycle, in <paramref name="Currency"/>.</param>
/// <param name="ErpPrice">Microsoft's estimated retail price, where given.</param>
/// <param name="EffectiveEndDate">The last day the price applies; null when open-ended.</param>
/// <param name="Segment">Commercial, Education, Government or Charity, where the file has the column.</param>
/// <param name="ChangeIndicator">
/// How the row differs from the month before: <c>ADD</c>, <c>CHG</c>, <c>DEL</c> or <c>UNC</c> (Microsoft's markers; the
/// column's name is not published, so it is read when present and written last).
/// </param>
public sealed record PriceListEntry(
    long LineNumber,
    string ProductTitle,
    string ProductId,
    string SkuId,
    string SkuTitle,
    string Publisher,
    string UnitOfMeasure,
    string TermDuration,
    string BillingPlan,
    string Market,
    string Currency,
    decimal UnitPrice,
    decimal? ErpPrice,
    DateOnly EffectiveStartDate,
    DateOnly? EffectiveEndDate,
    string Tags,
    string? Segment,
    string? ChangeIndicator = null);

/// <summary>
/// Microsoft's new-commerce license-based price list (price sheet) CSV, read as a stream (docs/microsoft/files.md):
/// columns by name in any order and casing, <c>ERP Price</c> also as <c>ERPPrice</c>, the trailing <c>Segment</c>
/// optional, dates as <c>2/1/2019 12:00:00 AM</c> or ISO 8601. Written with Microsoft's columns in Microsoft's order.
/// </summary>
public static class PriceListFile
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "ProductTitle", "ProductId", "SkuId", "SkuTitle", "Publisher", "SkuDescription", "UnitOfMeasure", "TermDuration", "BillingPlan",
        "Market", "Currency", "UnitPrice", "PricingTierRangeMin", "PricingTierRangeMax", "EffectiveStartDate", "EffectiveEndDate", "Tags",
        "ERP Price", "Segment", "ChangeIndicator",
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase) { ["ERPPrice"] = "ERP Price" };

    private static readonly string[] Required = ["ProductId", "SkuId", "TermDuration", "BillingPlan", "Market", "Currency", "UnitPrice", "EffectiveStartDate"];

    public static IEnumerable<PriceListEntry> Read(TextReader text, string fileName, ICollection<FileError>? errors = null)
    {
        using var reader = SepRows.Open(text);
        var names = SepRows.Names(reader, Aliases);
        var index = Columns.ToDictionary(c => c, c => Array.FindIndex(names, n => n.Equals(c, StringComparison.OrdinalIgnoreCase)));
        if (Required.FirstOrDefault(c => index[c] < 0) is { } missing)
        {
            throw new FileFormatException(new FileError(fileName, 1, missing, "", "is missing from the header."));
        }

        while (SepRows.Next(reader, fileName))
        {
            var row = reader.Current;
            var line = row.LineNumberFrom;
            var values = new string[names.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = row[i].ToString().Trim();
            }

            FileError? error = null;
            string Text(string column) => index[column] < 0 ? "" : values[index[column]];
            FileError Bad(string column, string problem) => new(fileName, line, column, Text(column), problem);

            decimal? erp = null;
            DateOnly? end = null;
            if (!MicrosoftValues.TryDecimal(Text("UnitPrice"), out var price))
            {
                error = Bad("UnitPrice", "is not a number.");
            }
            else if (Text("ERP Price") is { Length: > 0 } erpText && !(MicrosoftValues.TryDecimal(erpText, out var erpValue) && (erp = erpValue) is not null))
            {
                error = Bad("ERP Price", "is not a number.");
            }
            else if (!MicrosoftValues.TryDate(Text("EffectiveStartDate"), out var start))
            {
                error = Bad("EffectiveStartDate", "is not a date.");
            }
            else if (Text("EffectiveEndDate") is { Length: > 0 } endText && !(MicrosoftValues.TryDate(endText, out var endValue) && (end = endValue) is not null))
            {
                error = Bad("EffectiveEndDate", "is not a date.");
            }
            else
            {
                var entry = new PriceListEntry(
                    line, Text("ProductTitle"), Text("ProductId"), Text("SkuId"), Text("SkuTitle"), Text("Publisher"), Text("UnitOfMeasure"),
                    Text("TermDuration"), Text("BillingPlan"), Text("Market"), Text("Currency"), price, erp, start, end, Text("Tags"),
                    Text("Segment") is { Length: > 0 } segment ? segment : null,
                    Text("ChangeIndicator") is { Length: > 0 } change ? change : null);
                yield return entry;
                continue;
            }

            if (errors is null)
            {
                throw new FileFormatException(error);
            }

            errors.Add(error);
        }
    }

    /// <summary>Writes entries with Microsoft's columns in Microsoft's order, dates as Microsoft writes them (<c>2/1/2019 12:00:00 AM</c>).</summary>
    public static void Write(IEnumerable<PriceListEntry> entries, TextWriter text) =>
        SepRows.Write(entries, text, Columns, Value);

    private static string Value(PriceListEntry e, string column) => column switch
    {
        "ProductTitle" => e.ProductTitle,
        "ProductId" => e.ProductId,
        "SkuId" => e.SkuId,
        "SkuTitle" => e.SkuTitle,
        "Publisher" => e.Publisher,
        "UnitOfMeasure" => e.UnitOfMeasure,
        "TermDuration" => e.TermDuration,
        "BillingPlan" => e.BillingPlan,
        "Market" => e.Market,
        "Currency" => e.Currency,
        "UnitPrice" => e.UnitPrice.ToString(CultureInfo.InvariantCulture),
        "EffectiveStartDate" => Date(e.EffectiveStartDate),
        "EffectiveEndDate" => e.EffectiveEndDate is { } end ? Date(end) : "",
        "Tags" => e.Tags,
        "ERP Price" => e.ErpPrice?.ToString(CultureInfo.InvariantCulture) ?? "",
        "Segment" => e.Segment ?? "",
        "ChangeIndicator" => e.ChangeIndicator ?? "",
        _ => "",
    };

    private static string Date(DateOnly date) => date.ToString("M/d/yyyy", CultureInfo.InvariantCulture) + " 12:00:00 AM";
}
