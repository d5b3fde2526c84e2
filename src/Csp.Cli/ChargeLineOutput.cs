using System.Globalization;
using System.Text;
using System.Text.Json;
using Csp.Domain.Charges;
using Csp.PartnerCenter.Files;

namespace Csp.Cli;

/// <summary>Writes charge lines with Microsoft's reconciliation column names, as CSV or as JSON lines.</summary>
public static class ChargeLineOutput
{
    public static readonly string[] Columns =
    [
        "OrderDate", "SubscriptionId", "ProductId", "SkuId", "ProductName", "ChargeType", "UnitPrice", "Quantity", "BillableQuantity",
        "EffectiveUnitPrice", "Subtotal", "Currency", "ChargeStartDate", "ChargeEndDate", "SubscriptionStartDate", "SubscriptionEndDate",
        "TermAndBillingCycle", "BillingFrequency", "ReferenceId", "ProductQualifiers", "PromotionId",
    ];

    public static void WriteCsv(IEnumerable<ChargeLine> lines, TextWriter output)
    {
        output.WriteLine(string.Join(',', Columns));
        foreach (var line in lines)
        {
            output.WriteLine(string.Join(',', Fields(line).Select(f => CsvField.Escape(Text(f)))));
        }
    }

    public static void WriteJsonLines(IEnumerable<ChargeLine> lines, TextWriter output)
    {
        foreach (var line in lines)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                foreach (var (name, value) in Columns.Zip(Fields(line)))
                {
                    json.WritePropertyName(name);
                    switch (value)
                    {
                        case decimal number:
                            json.WriteNumberValue(number);
                            break;
                        case int number:
                            json.WriteNumberValue(number);
                            break;
                        case IReadOnlyList<string> list:
                            json.WriteStartArray();
                            list.ToList().ForEach(json.WriteStringValue);
                            json.WriteEndArray();
                            break;
                        case null:
                            json.WriteNullValue();
                            break;
                        default:
                            json.WriteStringValue(Text(value));
                            break;
                    }
                }

                json.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    private static object?[] Fields(ChargeLine l) =>
    [
        l.OrderDate, l.SubscriptionId, l.ProductId, l.SkuId, l.ProductName, l.ChargeType.ToMicrosoft(), l.UnitPrice.Amount, l.Quantity, l.BillableQuantity,
        l.EffectiveUnitPrice, l.Subtotal.Amount, l.Currency, l.ChargeStartDate, l.ChargeEndDate, l.SubscriptionStartDate, l.SubscriptionEndDate,
        l.TermAndBillingCycle, l.BillingFrequency, l.ReferenceId, l.ProductQualifiers, l.PromotionId,
    ];

    private static string Text(object? value) => value switch
    {
        null => "",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        int number => number.ToString(CultureInfo.InvariantCulture),
        IReadOnlyList<string> { Count: 0 } => "",
        IReadOnlyList<string> list => JsonSerializer.Serialize(list),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
