using System.Globalization;
using Csp.Domain;
using Csp.Domain.Reconciliation;
using nietras.SeparatedValues;

namespace Csp.PartnerCenter.Files;

/// <summary>
/// Microsoft's new-commerce invoice reconciliation file (license-based and one-time), read and written as a stream.
/// </summary>
/// <remarks>
/// Columns are Microsoft's (docs/microsoft/files.md), in any order and in either casing: the PascalCase of today's files
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

    /// <summary>
    /// The lines of the file, in file order. With <paramref name="errors"/>, a bad row is added there and skipped;
    /// without, the first bad value throws <see cref="FileFormatException"/>. Without <paramref name="keepOtherColumns"/>,
    /// only the compared columns are read — what matching a file of millions of lines needs.
    /// </summary>
    public static IEnumerable<ReconLine> Read(TextReader text, string fileName, ICollection<FileError>? errors = null, bool keepOtherColumns = true)
    {
        using var reader = SepRows.Open(text);
        var (names, index) = Header(reader, fileName);
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

            ReconLine line;
            try
            {
                line = Fields.Read(new CsvLine(row, index), fileName).ToLine(pool, kept ?? NoOtherColumns);
            }
            catch (FileFormatException e) when (errors is not null)
            {
                errors.Add(e.Error);
                continue;
            }

            yield return line;
        }
    }

    /// <summary>
    /// Matches the file against the month's expected lines: every line, or with <paramref name="month"/> the lines ordered
    /// in it. The month is split by subscription into one partition per core (<see cref="ReconMatch"/>), each reading the
    /// file through its own <paramref name="open"/>ed reader and skipping the others' lines. A line that matches exactly
    /// is read in place, allocating nothing; only the others become <see cref="ReconLine"/>s. Every compared value of
    /// every line is validated; a bad one throws <see cref="FileFormatException"/> for the first bad line of the file.
    /// </summary>
    public static async Task<ReconResult> MatchAsync(Func<TextReader> open, string fileName, IEnumerable<ReconLine> expected, BillingPeriod? month = null, int partitions = 0)
    {
        partitions = partitions > 0 ? partitions : Environment.ProcessorCount;
        var parts = ReconMatch.Partition(expected, partitions).Select(match => Task.Run(() => MatchPartition(open, fileName, match, month))).ToArray();
        try
        {
            await Task.WhenAll(parts);
        }
        catch (FileFormatException)
        {
            // Each partition stops at its own first bad line; the file's first is the one to name.
            throw parts.Where(p => p.IsFaulted).SelectMany(p => p.Exception!.InnerExceptions).OfType<FileFormatException>().MinBy(e => e.Error.Line)!;
        }

        return ReconResult.Combine(parts.Select(p => p.Result).ToList());
    }

    private static ReconResult MatchPartition(Func<TextReader> open, string fileName, ReconMatch match, BillingPeriod? month)
    {
        using var text = open();
        using var reader = SepRows.Open(text);
        var (_, index) = Header(reader, fileName);
        var subscription = index[(int)Col.SubscriptionId];
        var pool = new StringPool(65_536);
        while (SepRows.Next(reader, fileName))
        {
            var row = reader.Current;
            if (!match.Owns(row[subscription].Span.Trim()))
            {
                continue;
            }

            var fields = Fields.Read(new CsvLine(row, index), fileName);
            if ((month is null || month.Value.Contains(fields.OrderDate)) && !match.TryMatchExactly(fields.Charge))
            {
                match.Add(fields.ToLine(pool, NoOtherColumns));
            }
        }

        return match.Result();
    }

    /// <summary>The header's names, and where each compared column is among them (-1 when absent).</summary>
    private static (string[] Names, int[] Index) Header(SepReader reader, string fileName)
    {
        var names = SepRows.Names(reader, Aliases);
        if (Required.FirstOrDefault(c => !names.Contains(c, StringComparer.OrdinalIgnoreCase)) is { } missing)
        {
            throw new FileFormatException(new FileError(fileName, 1, missing, "", "is missing from the header."));
        }

        return (names, ColNames.Select(c => Array.FindIndex(names, n => n.Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray());
    }

    /// <summary>The columns of one line, by name, as a <see cref="ReconLine"/>: how the API's JSON lines are read.</summary>
    internal static ReconLine? Parse(Dictionary<string, string> values, long lineNumber, string fileName, ICollection<FileError>? errors)
    {
        try
        {
            return Fields.Read(new NamedLine(values, lineNumber), fileName).ToLine(null, Others(values));
        }
        catch (FileFormatException e) when (errors is not null)
        {
            errors.Add(e.Error);
            return null;
        }
    }

    /// <summary>One line's compared columns, wherever they come from.</summary>
    private interface ILine
    {
        long Number { get; }

        ReadOnlySpan<char> Span(Col column);
    }

    /// <summary>A CSV row, read in place.</summary>
    private readonly ref struct CsvLine(SepReader.Row row, int[] index) : ILine
    {
        private readonly SepReader.Row row = row;

        public long Number => row.LineNumberFrom;

        public ReadOnlySpan<char> Span(Col column) => index[(int)column] < 0 ? [] : row[index[(int)column]].Span.Trim();
    }

    /// <summary>A line whose columns are already text by name (the API's JSON lines).</summary>
    private readonly struct NamedLine(Dictionary<string, string> values, long number) : ILine
    {
        public long Number => number;

        public ReadOnlySpan<char> Span(Col column) => values.GetValueOrDefault(ColNames[(int)column], "");
    }

    /// <summary>One line's compared columns, validated and typed, texts still where they were read.</summary>
    private readonly ref struct Fields
    {
        private readonly long number;
        private readonly ReadOnlySpan<char> customerId, subscriptionId, productId, skuId, productName, chargeType, currency, referenceId, promotionId;

        private Fields(long number, ReadOnlySpan<char> customerId, ReadOnlySpan<char> subscriptionId, ReadOnlySpan<char> productId, ReadOnlySpan<char> skuId,
            ReadOnlySpan<char> productName, ReadOnlySpan<char> chargeType, ReadOnlySpan<char> currency, ReadOnlySpan<char> referenceId, ReadOnlySpan<char> promotionId)
        {
            this.number = number;
            this.customerId = customerId;
            this.subscriptionId = subscriptionId;
            this.productId = productId;
            this.skuId = skuId;
            this.productName = productName;
            this.chargeType = chargeType;
            this.currency = currency;
            this.referenceId = referenceId;
            this.promotionId = promotionId;
        }

        public DateOnly OrderDate { get; private init; }

        private decimal UnitPrice { get; init; }

        private decimal EffectiveUnitPrice { get; init; }

        private decimal Subtotal { get; init; }

        private decimal Total { get; init; }

        private decimal Quantity { get; init; }

        private decimal BillableQuantity { get; init; }

        private DateOnly ChargeStartDate { get; init; }

        private DateOnly ChargeEndDate { get; init; }

        private DateOnly? SubscriptionStartDate { get; init; }

        private DateOnly? SubscriptionEndDate { get; init; }

        public BilledCharge Charge => new(subscriptionId, chargeType, ChargeStartDate, ChargeEndDate, BillableQuantity, UnitPrice, Subtotal, currency, promotionId);

        public static Fields Read<TLine>(TLine line, string fileName)
            where TLine : ILine, allows ref struct
        {
            var quantity = Decimal(line, Col.Quantity, fileName, optional: true);
            var subtotal = Decimal(line, Col.Subtotal, fileName)!.Value;
            var start = Date(line, Col.ChargeStartDate, fileName)!.Value;
            return new Fields(
                line.Number, line.Span(Col.CustomerId), line.Span(Col.SubscriptionId), line.Span(Col.ProductId), line.Span(Col.SkuId),
                line.Span(Col.ProductName), line.Span(Col.ChargeType), line.Span(Col.Currency), line.Span(Col.ReferenceId), line.Span(Col.PromotionId))
            {
                OrderDate = Date(line, Col.OrderDate, fileName, optional: true) ?? start,
                UnitPrice = Decimal(line, Col.UnitPrice, fileName)!.Value,
                Quantity = quantity ?? 0,
                BillableQuantity = Decimal(line, Col.BillableQuantity, fileName, optional: true) ?? quantity ?? 0,
                EffectiveUnitPrice = Decimal(line, Col.EffectiveUnitPrice, fileName)!.Value,
                Subtotal = subtotal,
                Total = Decimal(line, Col.Total, fileName, optional: true) ?? subtotal,
                ChargeStartDate = start,
                ChargeEndDate = Date(line, Col.ChargeEndDate, fileName)!.Value,
                SubscriptionStartDate = Date(line, Col.SubscriptionStartDate, fileName, optional: true),
                SubscriptionEndDate = Date(line, Col.SubscriptionEndDate, fileName, optional: true),
            };
        }

        /// <summary>The line as a <see cref="ReconLine"/>; texts that repeat from line to line come from the pool, when there is one.</summary>
        public ReconLine ToLine(StringPool? pool, IReadOnlyDictionary<string, string> others)
        {
            string Repeating(ReadOnlySpan<char> value) => value.IsEmpty ? "" : pool?.Get(value) ?? value.ToString();
            return new ReconLine(
                number, OrderDate, Repeating(customerId), Repeating(subscriptionId), Repeating(productId), Repeating(skuId), Repeating(productName),
                Repeating(chargeType), UnitPrice, Quantity, BillableQuantity, EffectiveUnitPrice, Subtotal, Total, Repeating(currency),
                ChargeStartDate, ChargeEndDate, SubscriptionStartDate, SubscriptionEndDate, referenceId.ToString(),
                promotionId.IsEmpty ? null : Repeating(promotionId), others);
        }
    }

    private static decimal? Decimal<TLine>(TLine line, Col column, string fileName, bool optional = false)
        where TLine : ILine, allows ref struct
    {
        var text = line.Span(column);
        return text.IsEmpty ? (optional ? null : throw Bad(line, column, fileName, "is empty; a number is required."))
            : MicrosoftValues.TryDecimal(text, out var value) ? value : throw Bad(line, column, fileName, "is not a number.");
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
    /// <param name="forSpreadsheets">Neutralise text a spreadsheet would run as a formula: a file the platform writes for people (the shadow invoice).</param>
    public static void Write(IEnumerable<ReconLine> lines, TextWriter text, bool forSpreadsheets = false) =>
        SepRows.Write(lines, text, Columns, Value, forSpreadsheets);

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
}
