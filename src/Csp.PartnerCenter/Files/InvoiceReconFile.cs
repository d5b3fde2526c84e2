using System.Globalization;
using Csp.Domain.Reconciliation;

namespace Csp.PartnerCenter.Files;

/// <summary>
/// Microsoft's new-commerce invoice reconciliation file (license-based and one-time), read and written as a stream.
/// </summary>
/// <remarks>
/// Columns are Microsoft's (partner-center.md §3.1), in any order and in either casing: the PascalCase of today's files
/// and the camelCase Microsoft announced (<c>PartnerId</c> / <c>partnerId</c>). <c>Total</c> is also read as
/// <c>totalForCustomer</c>, and <c>ResellerMpnId</c> as <c>Tier2MpnId</c>. <c>ProductCategory</c> and any column Microsoft
/// adds are kept in <see cref="ReconLine.OtherColumns"/>. A value that cannot be read stops the file with a
/// <see cref="FileFormatException"/> naming file, line, column and value, unless the caller collects errors, in which case
/// the bad row is reported and skipped. Rows are read one at a time; memory does not grow with the file.
/// </remarks>
public static class InvoiceReconFile
{
    /// <summary>Microsoft's column order (announcement of 2023-08-14, with <c>Total</c> after <c>TaxTotal</c>).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "PartnerId", "CustomerId", "CustomerName", "CustomerDomainName", "CustomerCountry", "InvoiceNumber", "MpnId", "ResellerMpnId",
        "OrderId", "OrderDate", "ProductId", "SkuId", "AvailabilityId", "SkuName", "ProductName", "ChargeType", "UnitPrice", "Quantity",
        "Subtotal", "TaxTotal", "Total", "Currency", "PriceAdjustmentDescription", "PublisherName", "PublisherId", "SubscriptionDescription",
        "SubscriptionId", "ChargeStartDate", "ChargeEndDate", "TermAndBillingCycle", "EffectiveUnitPrice", "UnitType", "AlternateId",
        "BillableQuantity", "BillingFrequency", "PricingCurrency", "PCToBCExchangeRate", "PCToBCExchangeRateDate", "MeterDescription",
        "ReservationOrderId", "CreditReasonCode", "SubscriptionStartDate", "SubscriptionEndDate", "ReferenceId", "ProductQualifiers", "PromotionId",
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TotalForCustomer"] = "Total",
        ["Tier2MpnId"] = "ResellerMpnId",
    };

    /// <summary>The columns reconciliation compares; the rest are kept as text.</summary>
    private static readonly HashSet<string> Typed = new(StringComparer.OrdinalIgnoreCase)
    {
        "OrderDate", "CustomerId", "SubscriptionId", "ProductId", "SkuId", "ProductName", "ChargeType", "UnitPrice", "Quantity", "BillableQuantity",
        "EffectiveUnitPrice", "Subtotal", "Total", "Currency", "ChargeStartDate", "ChargeEndDate", "SubscriptionStartDate", "SubscriptionEndDate",
        "ReferenceId", "PromotionId",
    };

    private static readonly string[] Required = ["SubscriptionId", "ChargeType", "ChargeStartDate", "ChargeEndDate", "Subtotal", "Currency", "UnitPrice", "EffectiveUnitPrice"];

    /// <summary>Typed columns whose values repeat from line to line, read through a <see cref="StringPool"/>.</summary>
    private static readonly HashSet<string> Repeating = new(
        ["OrderDate", "CustomerId", "SubscriptionId", "ProductId", "SkuId", "ProductName", "ChargeType", "UnitPrice", "Quantity", "BillableQuantity",
         "Currency", "ChargeStartDate", "ChargeEndDate", "SubscriptionStartDate", "SubscriptionEndDate", "PromotionId"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The lines of the file, in file order. With <paramref name="errors"/>, a bad row is added there and skipped;
    /// without, the first bad value throws <see cref="FileFormatException"/>. Without <paramref name="keepOtherColumns"/>,
    /// only the compared columns are read — what matching a file of millions of lines needs.
    /// </summary>
    public static IEnumerable<ReconLine> Read(TextReader text, string fileName, ICollection<FileError>? errors = null, bool keepOtherColumns = true)
    {
        using var reader = SepRows.Open(text);
        var names = SepRows.Names(reader, Aliases);
        if (Required.FirstOrDefault(c => !names.Contains(c, StringComparer.OrdinalIgnoreCase)) is { } missing)
        {
            throw new FileFormatException(new FileError(fileName, 1, missing, "", "is missing from the header."));
        }

        // Where each compared column is in this file, and which other columns to keep.
        var typed = Typed.ToDictionary(c => c, c => Array.FindIndex(names, n => n.Equals(c, StringComparison.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase);
        var others = keepOtherColumns ? Enumerable.Range(0, names.Length).Where(i => !Typed.Contains(names[i])).ToArray() : [];
        var pooled = names.Select(Repeating.Contains).ToArray();
        var pool = new StringPool(65_536);
        var values = new string?[names.Length];
        string? Value(string column) => typed.TryGetValue(column, out var i) && i >= 0 ? values[i] : null;

        while (SepRows.Next(reader, fileName))
        {
            var row = reader.Current;
            foreach (var i in typed.Values)
            {
                if (i >= 0)
                {
                    var value = row[i].Span.Trim();
                    values[i] = value.IsEmpty ? null : pooled[i] ? pool.Get(value) : value.ToString();
                }
            }

            Dictionary<string, string>? kept = null;
            foreach (var i in others)
            {
                if (row[i].Span.Trim() is { IsEmpty: false } value)
                {
                    (kept ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))[names[i]] = value.ToString();
                }
            }

            if (Parse(Value, kept ?? NoOtherColumns, row.LineNumberFrom, fileName, errors) is { } line)
            {
                yield return line;
            }
        }
    }

    /// <summary>The columns of one line, by name, as a <see cref="ReconLine"/>; the CSV file and the API's JSON lines share it.</summary>
    internal static ReconLine? Parse(Dictionary<string, string> values, long lineNumber, string fileName, ICollection<FileError>? errors) =>
        Parse(c => values.GetValueOrDefault(c), Others(values), lineNumber, fileName, errors);

    private static ReconLine? Parse(Func<string, string?> value, IReadOnlyDictionary<string, string> others, long lineNumber, string fileName, ICollection<FileError>? errors)
    {
        var fields = new Fields(value, lineNumber, fileName);
        try
        {
            var quantity = fields.Integer("Quantity", optional: true);
            var subtotal = fields.Decimal("Subtotal")!.Value;
            return new ReconLine(
                lineNumber,
                fields.Date("OrderDate", optional: true) ?? fields.Date("ChargeStartDate")!.Value,
                fields.Text("CustomerId"),
                fields.Text("SubscriptionId"),
                fields.Text("ProductId"),
                fields.Text("SkuId"),
                fields.Text("ProductName"),
                fields.Text("ChargeType"),
                fields.Decimal("UnitPrice")!.Value,
                quantity ?? 0,
                fields.Integer("BillableQuantity", optional: true) ?? quantity ?? 0,
                fields.Decimal("EffectiveUnitPrice")!.Value,
                subtotal,
                fields.Decimal("Total", optional: true) ?? subtotal,
                fields.Text("Currency"),
                fields.Date("ChargeStartDate")!.Value,
                fields.Date("ChargeEndDate")!.Value,
                fields.Date("SubscriptionStartDate", optional: true),
                fields.Date("SubscriptionEndDate", optional: true),
                fields.Text("ReferenceId"),
                fields.Text("PromotionId") is { Length: > 0 } promotion ? promotion : null,
                others);
        }
        catch (FileFormatException e) when (errors is not null)
        {
            errors.Add(e.Error);
            return null;
        }
    }

    private static readonly IReadOnlyDictionary<string, string> NoOtherColumns = new Dictionary<string, string>();

    private static IReadOnlyDictionary<string, string> Others(Dictionary<string, string> values)
    {
        Dictionary<string, string>? others = null;
        foreach (var (name, value) in values)
        {
            if (!Typed.Contains(name))
            {
                (others ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))[name] = value;
            }
        }

        return others ?? NoOtherColumns;
    }

    /// <summary>The other spelling of a column Microsoft uses, if any, mapped to ours.</summary>
    internal static string Canonical(string name) => Aliases.GetValueOrDefault(name, name);

    /// <summary>Writes lines with Microsoft's PascalCase columns in Microsoft's order, dates as <c>M/d/yyyy</c>.</summary>
    public static void Write(IEnumerable<ReconLine> lines, TextWriter text)
    {
        using var writer = SepRows.Write(text);
        foreach (var line in lines)
        {
            using var row = writer.NewRow();
            foreach (var column in Columns)
            {
                row[column].Set(Value(line, column));
            }
        }

        if (!lines.Any())
        {
            text.WriteLine(string.Join(',', Columns));
        }
    }

    private static string Value(ReconLine l, string column) => column switch
    {
        "OrderDate" => Date(l.OrderDate),
        "CustomerId" => l.CustomerId,
        "SubscriptionId" => l.SubscriptionId,
        "ProductId" => l.ProductId,
        "SkuId" => l.SkuId,
        "ProductName" => l.ProductName,
        "ChargeType" => l.ChargeType,
        "UnitPrice" => Number(l.UnitPrice),
        "Quantity" => Number(l.Quantity),
        "BillableQuantity" => Number(l.BillableQuantity),
        "EffectiveUnitPrice" => Number(l.EffectiveUnitPrice),
        "Subtotal" => Number(l.Subtotal),
        "Total" => Number(l.Total),
        "TaxTotal" => l.OtherColumns.GetValueOrDefault(column, "0"),
        "Currency" => l.Currency,
        "ChargeStartDate" => Date(l.ChargeStartDate),
        "ChargeEndDate" => Date(l.ChargeEndDate),
        "SubscriptionStartDate" => l.SubscriptionStartDate is { } start ? Date(start) : "",
        "SubscriptionEndDate" => l.SubscriptionEndDate is { } end ? Date(end) : "",
        "ReferenceId" => l.ReferenceId,
        "PromotionId" => l.PromotionId ?? "",
        _ => l.OtherColumns.GetValueOrDefault(column, ""),
    };

    private static string Date(DateOnly date) => date.ToString("M/d/yyyy", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads typed values from one line's columns, naming the column and line of any that cannot be read.</summary>
    private sealed class Fields(Func<string, string?> values, long line, string fileName)
    {
        public string Text(string column) => values(column) ?? "";

        public decimal? Decimal(string column, bool optional = false) =>
            Value(column, optional, "a number") is not { } text ? null
            : MicrosoftValues.TryDecimal(text, out var value) ? value : throw Bad(column, "is not a number.");

        public int? Integer(string column, bool optional = false) =>
            Value(column, optional, "a whole number") is not { } text ? null
            : MicrosoftValues.TryInteger(text, out var value) ? value : throw Bad(column, "is not a whole number.");

        public DateOnly? Date(string column, bool optional = false) =>
            Value(column, optional, "a date") is not { } text ? null
            : MicrosoftValues.TryDate(text, out var value) ? value : throw Bad(column, "is not a date (M/d/yyyy or ISO 8601).");

        private string? Value(string column, bool optional, string expected) =>
            values(column) is { } text ? text : optional ? null : throw Bad(column, $"is empty; {expected} is required.");

        private FileFormatException Bad(string column, string problem) => new(new FileError(fileName, line, column, Text(column), problem));
    }
}
