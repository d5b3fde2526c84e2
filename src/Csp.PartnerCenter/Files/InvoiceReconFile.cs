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

    /// <summary>The columns reconciliation compares; the rest are kept as text.</summary>
    private static readonly string[] Typed =
    [
        "OrderDate", "CustomerId", "SubscriptionId", "ProductId", "SkuId", "ProductName", "ChargeType", "UnitPrice", "Quantity", "BillableQuantity",
        "EffectiveUnitPrice", "Subtotal", "Total", "Currency", "ChargeStartDate", "ChargeEndDate", "SubscriptionStartDate", "SubscriptionEndDate",
        "ReferenceId", "PromotionId",
    ];

    private static readonly string[] Required = ["SubscriptionId", "ChargeType", "ChargeStartDate", "ChargeEndDate", "Subtotal", "Currency", "UnitPrice", "EffectiveUnitPrice"];

    /// <summary>
    /// The lines of the file, in file order. With <paramref name="errors"/>, a bad row is added there and skipped;
    /// without, the first bad value throws <see cref="FileFormatException"/>.
    /// </summary>
    public static IEnumerable<ReconLine> Read(TextReader text, string fileName, ICollection<FileError>? errors = null)
    {
        using var reader = SepRows.Open(text);
        var names = SepRows.Names(reader, Aliases);
        var index = Typed.ToDictionary(c => c, c => Array.FindIndex(names, n => n.Equals(c, StringComparison.OrdinalIgnoreCase)));
        if (Required.FirstOrDefault(c => index[c] < 0) is { } missing)
        {
            throw new FileFormatException(new FileError(fileName, 1, missing, "", "is missing from the header."));
        }

        var others = Enumerable.Range(0, names.Length).Where(i => !index.ContainsValue(i)).ToArray();
        while (SepRows.Next(reader, fileName))
        {
            var row = reader.Current;
            var line = new RowReader(row, fileName, names);
            ReconLine parsed;
            try
            {
                var quantity = line.Integer(index["Quantity"], optional: true);
                parsed = new ReconLine(
                    row.LineNumberFrom,
                    line.Date(index["OrderDate"], optional: true) ?? line.Date(index["ChargeStartDate"])!.Value,
                    line.Text(index["CustomerId"]),
                    line.Text(index["SubscriptionId"]),
                    line.Text(index["ProductId"]),
                    line.Text(index["SkuId"]),
                    line.Text(index["ProductName"]),
                    line.Text(index["ChargeType"]),
                    line.Decimal(index["UnitPrice"])!.Value,
                    quantity ?? 0,
                    line.Integer(index["BillableQuantity"], optional: true) ?? quantity ?? 0,
                    line.Decimal(index["EffectiveUnitPrice"])!.Value,
                    line.Decimal(index["Subtotal"])!.Value,
                    line.Decimal(index["Total"], optional: true) ?? line.Decimal(index["Subtotal"])!.Value,
                    line.Text(index["Currency"]),
                    line.Date(index["ChargeStartDate"])!.Value,
                    line.Date(index["ChargeEndDate"])!.Value,
                    line.Date(index["SubscriptionStartDate"], optional: true),
                    line.Date(index["SubscriptionEndDate"], optional: true),
                    line.Text(index["ReferenceId"]),
                    line.Text(index["PromotionId"]) is { Length: > 0 } promotion ? promotion : null,
                    Others(row, others, names));
            }
            catch (FileFormatException e) when (errors is not null)
            {
                errors.Add(e.Error);
                continue;
            }

            yield return parsed;
        }
    }

    private static Dictionary<string, string> Others(SepReader.Row row, int[] others, string[] names)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var i in others)
        {
            if (row[i].Span.Length > 0)
            {
                kept[names[i]] = row[i].ToString();
            }
        }

        return kept;
    }

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

    /// <summary>Reads typed values from one row, naming the column and line of any that cannot be read.</summary>
    private readonly ref struct RowReader(SepReader.Row row, string fileName, string[] names)
    {
        private readonly SepReader.Row row = row;

        public string Text(int column) => column < 0 ? "" : row[column].ToString().Trim();

        public decimal? Decimal(int column, bool optional = false)
        {
            var text = Span(column);
            if (text.IsEmpty)
            {
                return optional ? null : throw Bad(column, "is empty; a number is required.");
            }

            return MicrosoftValues.TryDecimal(text, out var value) ? value : throw Bad(column, "is not a number.");
        }

        public int? Integer(int column, bool optional = false)
        {
            var text = Span(column);
            if (text.IsEmpty)
            {
                return optional ? null : throw Bad(column, "is empty; a whole number is required.");
            }

            return MicrosoftValues.TryInteger(text, out var value) ? value : throw Bad(column, "is not a whole number.");
        }

        public DateOnly? Date(int column, bool optional = false)
        {
            var text = Span(column);
            if (text.IsEmpty)
            {
                return optional ? null : throw Bad(column, "is empty; a date is required.");
            }

            return MicrosoftValues.TryDate(text, out var value) ? value : throw Bad(column, "is not a date (M/d/yyyy or ISO 8601).");
        }

        private ReadOnlySpan<char> Span(int column) => column < 0 ? [] : row[column].Span.Trim();

        private FileFormatException Bad(int column, string problem) =>
            new(new FileError(fileName, row.LineNumberFrom, names[column], row[column].ToString(), problem));
    }
}
