using System.Globalization;
using Csp.Domain.Reconciliation;
using nietras.SeparatedValues;

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

    /// <summary>The columns reconciliation compares, in the order <see cref="ReconLine"/> takes them; the rest are kept as text.</summary>
    private enum Col
    {
        OrderDate, CustomerId, SubscriptionId, ProductId, SkuId, ProductName, ChargeType, UnitPrice, Quantity, BillableQuantity,
        EffectiveUnitPrice, Subtotal, Total, Currency, ChargeStartDate, ChargeEndDate, SubscriptionStartDate, SubscriptionEndDate,
        ReferenceId, PromotionId,
    }

    private static readonly string[] ColNames = Enum.GetNames<Col>();

    private static readonly HashSet<string> Typed = new(ColNames, StringComparer.OrdinalIgnoreCase);

    private static readonly string[] Required = ["SubscriptionId", "ChargeType", "ChargeStartDate", "ChargeEndDate", "Subtotal", "Currency", "UnitPrice", "EffectiveUnitPrice"];

    /// <summary>Compared text columns whose values repeat from line to line, read through a <see cref="StringPool"/>.</summary>
    private static readonly Col[] Repeating = [Col.CustomerId, Col.SubscriptionId, Col.ProductId, Col.SkuId, Col.ProductName, Col.ChargeType, Col.Currency, Col.PromotionId];

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
        var index = ColNames.Select(c => Array.FindIndex(names, n => n.Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray();
        var others = keepOtherColumns ? Enumerable.Range(0, names.Length).Where(i => !Typed.Contains(names[i])).ToArray() : [];
        var pool = new StringPool(65_536);
        while (SepRows.Next(reader, fileName))
        {
            var row = reader.Current;
            Dictionary<string, string>? kept = null;
            foreach (var i in others)
            {
                if (row[i].Span.Trim() is { IsEmpty: false } value)
                {
                    (kept ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))[names[i]] = value.ToString();
                }
            }

            var line = Parse(new CsvLine(row, index, pool), fileName, kept ?? NoOtherColumns, errors);
            if (line is not null)
            {
                yield return line;
            }
        }
    }

    /// <summary>The columns of one line, by name, as a <see cref="ReconLine"/>: how the API's JSON lines are read.</summary>
    internal static ReconLine? Parse(Dictionary<string, string> values, long lineNumber, string fileName, ICollection<FileError>? errors) =>
        Parse(new NamedLine(values, lineNumber), fileName, Others(values), errors);

    /// <summary>One line's compared columns, wherever they come from.</summary>
    private interface ILine
    {
        long Number { get; }

        ReadOnlySpan<char> Span(Col column);

        string Text(Col column);
    }

    /// <summary>A CSV row: values read in place, repeated texts shared through the pool.</summary>
    private readonly ref struct CsvLine(SepReader.Row row, int[] index, StringPool pool) : ILine
    {
        private readonly SepReader.Row row = row;

        public long Number => row.LineNumberFrom;

        public ReadOnlySpan<char> Span(Col column) => index[(int)column] < 0 ? [] : row[index[(int)column]].Span.Trim();

        public string Text(Col column) => Span(column) is { IsEmpty: false } value ? (Repeating.Contains(column) ? pool.Get(value) : value.ToString()) : "";
    }

    /// <summary>A line whose columns are already text by name (the API's JSON lines).</summary>
    private readonly struct NamedLine(Dictionary<string, string> values, long number) : ILine
    {
        public long Number => number;

        public ReadOnlySpan<char> Span(Col column) => Text(column);

        public string Text(Col column) => values.GetValueOrDefault(ColNames[(int)column], "");
    }

    private static ReconLine? Parse<TLine>(TLine line, string fileName, IReadOnlyDictionary<string, string> others, ICollection<FileError>? errors)
        where TLine : ILine, allows ref struct
    {
        try
        {
            var quantity = Integer(line, Col.Quantity, fileName, optional: true);
            var subtotal = Decimal(line, Col.Subtotal, fileName)!.Value;
            return new ReconLine(
                line.Number,
                Date(line, Col.OrderDate, fileName, optional: true) ?? Date(line, Col.ChargeStartDate, fileName)!.Value,
                line.Text(Col.CustomerId),
                line.Text(Col.SubscriptionId),
                line.Text(Col.ProductId),
                line.Text(Col.SkuId),
                line.Text(Col.ProductName),
                line.Text(Col.ChargeType),
                Decimal(line, Col.UnitPrice, fileName)!.Value,
                quantity ?? 0,
                Integer(line, Col.BillableQuantity, fileName, optional: true) ?? quantity ?? 0,
                Decimal(line, Col.EffectiveUnitPrice, fileName)!.Value,
                subtotal,
                Decimal(line, Col.Total, fileName, optional: true) ?? subtotal,
                line.Text(Col.Currency),
                Date(line, Col.ChargeStartDate, fileName)!.Value,
                Date(line, Col.ChargeEndDate, fileName)!.Value,
                Date(line, Col.SubscriptionStartDate, fileName, optional: true),
                Date(line, Col.SubscriptionEndDate, fileName, optional: true),
                line.Text(Col.ReferenceId),
                line.Text(Col.PromotionId) is { Length: > 0 } promotion ? promotion : null,
                others);
        }
        catch (FileFormatException e) when (errors is not null)
        {
            errors.Add(e.Error);
            return null;
        }
    }

    private static decimal? Decimal<TLine>(TLine line, Col column, string fileName, bool optional = false)
        where TLine : ILine, allows ref struct
    {
        var text = line.Span(column);
        return text.IsEmpty ? (optional ? null : throw Bad(line, column, fileName, "is empty; a number is required."))
            : MicrosoftValues.TryDecimal(text, out var value) ? value : throw Bad(line, column, fileName, "is not a number.");
    }

    private static int? Integer<TLine>(TLine line, Col column, string fileName, bool optional = false)
        where TLine : ILine, allows ref struct
    {
        var text = line.Span(column);
        return text.IsEmpty ? (optional ? null : throw Bad(line, column, fileName, "is empty; a whole number is required."))
            : MicrosoftValues.TryInteger(text, out var value) ? value : throw Bad(line, column, fileName, "is not a whole number.");
    }

    private static DateOnly? Date<TLine>(TLine line, Col column, string fileName, bool optional = false)
        where TLine : ILine, allows ref struct
    {
        var text = line.Span(column);
        return text.IsEmpty ? (optional ? null : throw Bad(line, column, fileName, "is empty; a date is required."))
            : MicrosoftValues.TryDate(text, out var value) ? value : throw Bad(line, column, fileName, "is not a date (M/d/yyyy or ISO 8601).");
    }

    private static FileFormatException Bad<TLine>(TLine line, Col column, string fileName, string problem)
        where TLine : ILine, allows ref struct =>
        new(new FileError(fileName, line.Number, ColNames[(int)column], line.Span(column).ToString(), problem));

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
        var written = false;
        foreach (var line in lines)
        {
            using var row = writer.NewRow();
            foreach (var column in Columns)
            {
                row[column].Set(Value(line, column));
            }

            written = true;
        }

        // Sep writes the header with the first row; a month with no charges is still a file with its header.
        if (!written)
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
}
