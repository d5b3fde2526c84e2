using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Csp.Domain.Reconciliation;

namespace Csp.PartnerCenter.Files;

/// <summary>
/// The blobs of Microsoft's asynchronous billing API (Graph <c>reports/partners/billing</c>, <c>dataFormat</c>
/// <c>compressedJSONLines</c>): gzip files of one JSON object per line, with the reconciliation columns under their API
/// names (<c>subscriptionId</c>, <c>totalForCustomer</c>, <c>pcToBCExchangeRate</c>, …). Read as a stream, line by
/// line; a bad value names the file, line, attribute and value.
/// </summary>
public static class BillingExportFile
{
    /// <summary>Billed invoice reconciliation line items (<c>reconciliation/billed/export</c>).</summary>
    public static IEnumerable<ReconLine> ReadReconLines(Stream gzip, string fileName, ICollection<FileError>? errors = null)
    {
        foreach (var (number, values) in Lines(gzip, fileName))
        {
            if (InvoiceReconFile.Parse(values, number, fileName, errors) is { } line)
            {
                yield return line;
            }
        }
    }

    /// <summary>Billed or unbilled daily rated usage line items (<c>usage/billed/export</c>, <c>usage/unbilled/export</c>).</summary>
    public static IEnumerable<DailyUsage> ReadUsage(Stream gzip, string fileName, ICollection<FileError>? errors = null)
    {
        foreach (var (number, values) in Lines(gzip, fileName))
        {
            FileError? error = null;
            string Text(string name) => values.GetValueOrDefault(name, "");
            FileError Bad(string name, string problem) => new(fileName, number, name, Text(name), problem);

            if (!Guid.TryParse(Text("CustomerId"), out var customer))
            {
                error = Bad("customerId", "is not a GUID.");
            }
            else if (!Guid.TryParse(Text("SubscriptionId"), out var subscription))
            {
                error = Bad("subscriptionId", "is not a GUID.");
            }
            else if (!MicrosoftValues.TryDate(Text("UsageDate"), out var day))
            {
                error = Bad("usageDate", "is not a date.");
            }
            else if (!MicrosoftValues.TryDecimal(Text("Quantity"), out var quantity))
            {
                error = Bad("quantity", "is not a number.");
            }
            else if (!MicrosoftValues.TryDecimal(Text("BillingPreTaxTotal"), out var total))
            {
                error = Bad("billingPreTaxTotal", "is not a number.");
            }
            else
            {
                yield return new DailyUsage(number, customer, subscription, day, quantity, total);
                continue;
            }

            if (errors is null)
            {
                throw new FileFormatException(error);
            }

            errors.Add(error);
        }
    }

    /// <summary>Writes lines as the API does: one camelCase JSON object per line, gzip-compressed.</summary>
    public static void WriteReconLines(IEnumerable<ReconLine> lines, Stream gzip) => WriteLines(lines, gzip, WriteReconLine);

    /// <summary>
    /// The attributes of one reconciliation line item, as the billing APIs name them (the v1 line items' <c>items</c> and
    /// the export's lines): every one of Microsoft's columns in camelCase (<c>pcToBCExchangeRate</c>), the total as
    /// <c>totalForCustomer</c>, amounts, quantities and the exchange rate as numbers, <c>productQualifiers</c> as an array;
    /// a column the line does not know is empty, as Microsoft leaves one; the line's other columns after them.
    /// </summary>
    /// <remarks>
    /// Microsoft's get-invoiceline-items writes the numbers of its new commerce items as text and those of its other items
    /// as numbers; these are written as numbers, and both are read (conformance.md).
    /// </remarks>
    public static void WriteReconLine(Utf8JsonWriter json, ReconLine line)
    {
        foreach (var (column, name) in Attributes)
        {
            switch (column)
            {
                case "OrderDate": json.WriteString(name, Instant(line.OrderDate)); break;
                case "CustomerId": json.WriteString(name, line.CustomerId); break;
                case "SubscriptionId": json.WriteString(name, line.SubscriptionId); break;
                case "ProductId": json.WriteString(name, line.ProductId); break;
                case "SkuId": json.WriteString(name, line.SkuId); break;
                case "ProductName": json.WriteString(name, line.ProductName); break;
                case "ChargeType": json.WriteString(name, line.ChargeType); break;
                case "UnitPrice": json.WriteNumber(name, line.UnitPrice); break;
                case "Quantity": json.WriteNumber(name, line.Quantity); break;
                case "BillableQuantity": json.WriteNumber(name, line.BillableQuantity); break;
                case "EffectiveUnitPrice": json.WriteNumber(name, line.EffectiveUnitPrice); break;
                case "Subtotal": json.WriteNumber(name, line.Subtotal); break;
                case "TaxTotal": json.WriteNumber(name, line.Total - line.Subtotal); break;
                case "Total": json.WriteNumber("totalForCustomer", line.Total); break;
                case "Currency": json.WriteString(name, line.Currency); break;
                case "ChargeStartDate": json.WriteString(name, Instant(line.ChargeStartDate)); break;
                case "ChargeEndDate": json.WriteString(name, Instant(line.ChargeEndDate)); break;
                case "SubscriptionStartDate" when line.SubscriptionStartDate is { } start: json.WriteString(name, Instant(start)); break;
                case "SubscriptionEndDate" when line.SubscriptionEndDate is { } end: json.WriteString(name, Instant(end)); break;
                case "SubscriptionStartDate" or "SubscriptionEndDate": break;
                case "ReferenceId": json.WriteString(name, line.ReferenceId); break;
                case "PromotionId": json.WriteString(name, line.PromotionId ?? ""); break;
                case "PCToBCExchangeRate":
                    json.WriteNumber(name, decimal.TryParse(line.OtherColumns.GetValueOrDefault(column), NumberStyles.Number, CultureInfo.InvariantCulture, out var rate) ? rate : 1m);
                    break;
                case "ProductQualifiers":
                    json.WriteStartArray(name);
                    foreach (var qualifier in Qualifiers(line.OtherColumns.GetValueOrDefault(column)))
                    {
                        json.WriteStringValue(qualifier);
                    }

                    json.WriteEndArray();
                    break;
                default: json.WriteString(name, line.OtherColumns.GetValueOrDefault(column, "")); break;
            }
        }

        foreach (var (column, name) in ApiOnlyAttributes)
        {
            json.WriteString(name, line.OtherColumns.GetValueOrDefault(column, ""));
        }

        foreach (var (column, value) in line.OtherColumns.Where(c => !Written.Contains(c.Key)))
        {
            json.WriteString(JsonName(column), value);
        }
    }

    /// <summary>Microsoft's columns with their names in the API, worked out once: every line writes them all.</summary>
    private static readonly (string Column, string Name)[] Attributes = InvoiceReconFile.Columns.Select(c => (c, JsonName(c))).ToArray();

    /// <summary>Attributes the API's line items have (get-invoiceline-items) and the reconciliation file has no column for.</summary>
    private static readonly (string Column, string Name)[] ApiOnlyAttributes = [("DiscountDetails", "discountDetails")];

    private static readonly HashSet<string> Written = new(InvoiceReconFile.Columns.Concat(ApiOnlyAttributes.Select(a => a.Column)), StringComparer.OrdinalIgnoreCase);

    /// <summary>A column's name in Microsoft's JSON: camelCase, <c>PCToBC…</c> as <c>pcToBC…</c>.</summary>
    private static string JsonName(string column) =>
        column.StartsWith("PCToBC", StringComparison.Ordinal) ? "pc" + column[2..] : CamelCase(column);

    /// <summary>The qualifiers a file writes as a JSON array in text (<c>["AddOn","Trial"]</c>), or none.</summary>
    private static List<string> Qualifiers(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Select(q => q.ToString()).ToList()
                : [text];
        }
        catch (JsonException)
        {
            return [text];
        }
    }

    /// <summary>One line item of the v1 API's page (an element of <c>items</c>), read as a line of the file would be.</summary>
    public static ReconLine ReadReconLine(JsonElement item, long number, string source) =>
        InvoiceReconFile.Parse(Values(item), number, source, null)!;

    /// <summary>
    /// Writes daily rated usage as the API does (<c>usage/billed/export</c>): one camelCase JSON object per line,
    /// gzip-compressed; other columns under their names with the first letter in lower case.
    /// </summary>
    public static void WriteUsageLines(IEnumerable<DailyRatedUsageLine> lines, Stream gzip) => WriteLines(lines, gzip, (json, line) =>
    {
        json.WriteString("partnerId", line.PartnerId);
        json.WriteString("customerId", line.CustomerId);
        json.WriteString("customerName", line.CustomerName);
        json.WriteString("subscriptionId", line.SubscriptionId);
        json.WriteString("chargeStartDate", Instant(line.ChargePeriod.Start));
        json.WriteString("chargeEndDate", Instant(line.ChargePeriod.End));
        json.WriteString("usageDate", Instant(line.UsageDate));
        json.WriteString("meterId", line.MeterId);
        json.WriteString("meterCategory", line.MeterCategory);
        json.WriteString("unitOfMeasure", line.UnitOfMeasure);
        json.WriteNumber("unitPrice", line.UnitPrice);
        json.WriteNumber("effectiveUnitPrice", line.EffectiveUnitPrice);
        json.WriteNumber("quantity", line.Quantity);
        json.WriteNumber("billingPreTaxTotal", line.BillingPreTaxTotal);
        json.WriteString("billingCurrency", line.BillingCurrency);
        foreach (var (name, value) in line.OtherColumns)
        {
            json.WriteString(CamelCase(name), value);
        }
    });

    private static string CamelCase(string name) => string.Concat(char.ToLowerInvariant(name[0]), name[1..]);

    private static string Instant(DateOnly date) => $"{date:yyyy-MM-dd}T00:00:00Z";

    private static void WriteLines<T>(IEnumerable<T> lines, Stream gzip, Action<Utf8JsonWriter, T> write)
    {
        using var zip = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true);
        using var json = new Utf8JsonWriter(zip);
        foreach (var line in lines)
        {
            json.WriteStartObject();
            write(json, line);
            json.WriteEndObject();
            json.Flush();
            zip.WriteByte((byte)'\n');
            json.Reset();
        }
    }

    /// <summary>Each non-empty line's attributes by name, in any case, with Microsoft's other spellings mapped to the file's.</summary>
    private static IEnumerable<(long Number, Dictionary<string, string> Values)> Lines(Stream gzip, string fileName)
    {
        using var text = new StreamReader(new GZipStream(gzip, CompressionMode.Decompress, leaveOpen: true));
        long number = 0;
        while (text.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Dictionary<string, string> values;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new FileFormatException(new FileError(fileName, number, "(line)", Shorten(line), "is not a JSON object."));
                }

                values = Values(document.RootElement);
            }
            catch (JsonException e)
            {
                throw new FileFormatException(new FileError(fileName, number, "(line)", Shorten(line), $"is not valid JSON: {e.Message}"));
            }

            yield return (number, values);
        }
    }

    /// <summary>An object's attributes by name, in any case, with Microsoft's other spellings mapped to the file's.</summary>
    private static Dictionary<string, string> Values(JsonElement item)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in item.EnumerateObject())
        {
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString() ?? "",
                JsonValueKind.Null => "",
                _ => property.Value.GetRawText(),
            };
            if (value.Length > 0)
            {
                values[InvoiceReconFile.Canonical(property.Name)] = value;
            }
        }

        return values;
    }

    private static string Shorten(string line) => line.Length > 80 ? line[..80] + "…" : line;
}
