using System.Globalization;
using Csp.Domain;
using Csp.Domain.Reconciliation;
using nietras.SeparatedValues;

namespace Csp.PartnerCenter.Files;

/// <summary>One row of the daily rated usage file as written: the usage of one meter of one subscription on one day.</summary>
/// <param name="BillingPreTaxTotal">The day's amount in <paramref name="BillingCurrency"/>, before tax, after partner-earned credit.</param>
/// <param name="OtherColumns">Any other of Microsoft's columns, by name (<c>MeterName</c>, <c>ResourceURI</c>, <c>Tags</c>, …).</param>
public sealed record DailyRatedUsageLine(
    Guid PartnerId,
    Guid CustomerId,
    string CustomerName,
    Guid SubscriptionId,
    DateOnly UsageDate,
    Guid MeterId,
    string MeterCategory,
    string UnitOfMeasure,
    decimal UnitPrice,
    decimal EffectiveUnitPrice,
    decimal Quantity,
    decimal BillingPreTaxTotal,
    string BillingCurrency,
    IReadOnlyDictionary<string, string> OtherColumns)
{
    /// <summary>The charge period Microsoft writes on a usage row: the usage date's calendar month.</summary>
    public BillingPeriod ChargePeriod => BillingPeriod.Month(UsageDate);
}

/// <summary>
/// Microsoft's daily rated usage reconciliation file (Azure plan), billed and unbilled, read and written as a stream.
/// </summary>
/// <remarks>
/// Columns as Microsoft orders them (docs/microsoft/files.md), in any order and either casing, with the API's names as
/// aliases (<c>resellerMpnId</c>, <c>unitOfMeasure</c>, <c>rateOfPartnerEarnedCredit</c>, <c>rateOfCredit</c>). Each row
/// becomes a <see cref="DailyUsage"/> without copying the other 49 columns, so a file of millions of rows is read in
/// constant memory. A bad value stops the file with file, line, column and value, unless errors are collected.
/// </remarks>
public static class DailyRatedUsageFile
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "PartnerId", "PartnerName", "CustomerId", "CustomerName", "CustomerDomainName", "CustomerCountry", "MpnId", "Tier2MpnId",
        "InvoiceNumber", "ProductId", "SkuId", "AvailabilityId", "SkuName", "ProductName", "PublisherName", "PublisherId",
        "SubscriptionDescription", "SubscriptionId", "ChargeStartDate", "ChargeEndDate", "UsageDate", "MeterType", "MeterCategory",
        "MeterId", "MeterSubCategory", "MeterName", "MeterRegion", "Unit", "ResourceLocation", "ConsumedService", "ResourceGroup",
        "ResourceURI", "ChargeType", "UnitPrice", "Quantity", "UnitType", "BillingPreTaxTotal", "BillingCurrency", "PricingPreTaxTotal",
        "PricingCurrency", "ServiceInfo1", "ServiceInfo2", "Tags", "AdditionalInfo", "EffectiveUnitPrice", "PCToBCExchangeRate",
        "PCToBCExchangeRateDate", "EntitlementId", "EntitlementDescription", "PartnerEarnedCreditPercentage", "CreditPercentage",
        "CreditType", "BenefitOrderId", "BenefitId", "BenefitType",
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ResellerMpnId"] = "Tier2MpnId",
        ["UnitOfMeasure"] = "Unit",
        ["RateOfPartnerEarnedCredit"] = "PartnerEarnedCreditPercentage",
        ["RateOfCredit"] = "CreditPercentage",
        ["ResourceUri"] = "ResourceURI",
    };

    public static IEnumerable<DailyUsage> Read(TextReader text, string fileName, ICollection<FileError>? errors = null)
    {
        using var reader = SepRows.Open(text);
        var names = SepRows.Names(reader, Aliases);
        int Index(string column)
        {
            var i = Array.FindIndex(names, n => n.Equals(column, StringComparison.OrdinalIgnoreCase));
            return i >= 0 ? i : throw new FileFormatException(new FileError(fileName, 1, column, "", "is missing from the header."));
        }

        var (customer, subscription, date, quantity, total) = (Index("CustomerId"), Index("SubscriptionId"), Index("UsageDate"), Index("Quantity"), Index("BillingPreTaxTotal"));
        while (SepRows.Next(reader, fileName))
        {
            var row = reader.Current;
            FileError? error = null;
            var usage = default(DailyUsage);
            if (!TryGuid(row[customer].Span, out var customerId))
            {
                error = Bad(row, customer, "is not a GUID.");
            }
            else if (!TryGuid(row[subscription].Span, out var subscriptionId))
            {
                error = Bad(row, subscription, "is not a GUID.");
            }
            else if (!UsageDate(row[date].Span, out var day))
            {
                error = Bad(row, date, "is not a date (M/d/yyyy or ISO 8601).");
            }
            else if (!MicrosoftValues.TryDecimal(row[quantity].Span, out var units) || Math.Abs(units) >= DailyUsageTotals.Largest)
            {
                error = Bad(row, quantity, OutOfRange);
            }
            else if (!MicrosoftValues.TryDecimal(row[total].Span, out var amount) || Math.Abs(amount) >= DailyUsageTotals.Largest)
            {
                error = Bad(row, total, OutOfRange);
            }
            else
            {
                usage = new DailyUsage(row.LineNumberFrom, customerId, subscriptionId, day, units, amount);
            }

            if (error is null)
            {
                yield return usage;
            }
            else if (errors is not null)
            {
                errors.Add(error);
            }
            else
            {
                throw new FileFormatException(error);
            }

            FileError Bad(SepReader.Row r, int column, string problem) => new(fileName, r.LineNumberFrom, names[column], r[column].ToString(), problem);
        }
    }

    /// <summary>Microsoft writes GUIDs in the 36-character form; that is tried first, any other form after.</summary>
    private static bool TryGuid(ReadOnlySpan<char> text, out Guid value) =>
        Guid.TryParseExact(text, "D", out value) || Guid.TryParse(text, out value);

    /// <summary>The usage date: <c>MM/dd/yyyy</c> and <c>yyyy-MM-dd</c> read directly, anything else as Microsoft's other forms.</summary>
    private static bool UsageDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        if (text.Length == 10 && text[2] == '/' && text[5] == '/'
            && int.TryParse(text[..2], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(text[3..5], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            && int.TryParse(text[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && month is >= 1 and <= 12 && year >= 1 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            date = new DateOnly(year, month, day);
            return true;
        }

        return MicrosoftValues.TryDate(text, out date);
    }

    /// <summary>Reads a whole file into daily totals; the caller checks <see cref="DailyUsageTotals.IsConserved"/>.</summary>
    /// <remarks>
    /// The rows are added two behind the one read (<see cref="DailyUsageTotals.AddLater"/>), so that their places in the
    /// totals arrive from memory while the rows in between are read; a bad row is still reported after any error of the
    /// rows before it.
    /// </remarks>
    public static DailyUsageTotals Total(TextReader text, string fileName)
    {
        var totals = new DailyUsageTotals();
        using var rows = Read(text, fileName).GetEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = rows.MoveNext();
            }
            catch (FileFormatException)
            {
                AddHeld(totals, fileName);
                throw;
            }

            if (!more)
            {
                break;
            }

            if (!totals.AddLater(rows.Current, out var refused))
            {
                throw TooLarge(refused, fileName);
            }
        }

        AddHeld(totals, fileName);
        return totals;
    }

    private static void AddHeld(DailyUsageTotals totals, string fileName)
    {
        if (!totals.AddHeld(out var refused))
        {
            throw TooLarge(refused, fileName);
        }
    }

    private static FileFormatException TooLarge(in DailyUsage row, string fileName) =>
        new(new FileError(
            fileName, row.LineNumber, "BillingPreTaxTotal", row.BillingPreTaxTotal.ToString(CultureInfo.InvariantCulture),
            $"brings the day's total of subscription {row.SubscriptionId} on {row.UsageDate:yyyy-MM-dd} to {DailyUsageTotals.Largest:N0} or more: no day is billed that much."));

    private const string OutOfRange = "is not a number between minus and plus one trillion.";

    /// <summary>
    /// Writes lines with Microsoft's columns in Microsoft's order (docs/microsoft/files.md), dates as <c>MM/dd/yyyy</c>;
    /// the charge period is the usage date's calendar month, as in Microsoft's files.
    /// </summary>
    public static void Write(IEnumerable<DailyRatedUsageLine> lines, TextWriter text) =>
        SepRows.Write(lines, text, Columns, Value);

    private static string Value(DailyRatedUsageLine l, string column) => column switch
    {
        "PartnerId" => l.PartnerId.ToString(),
        "CustomerId" => l.CustomerId.ToString(),
        "CustomerName" => l.CustomerName,
        "SubscriptionId" => l.SubscriptionId.ToString(),
        "ChargeStartDate" => Date(l.ChargePeriod.Start),
        "ChargeEndDate" => Date(l.ChargePeriod.End),
        "UsageDate" => Date(l.UsageDate),
        "MeterId" => l.MeterId.ToString(),
        "MeterCategory" => l.MeterCategory,
        "Unit" => l.UnitOfMeasure,
        "ChargeType" => l.OtherColumns.GetValueOrDefault(column, "new"),
        "UnitPrice" => Number(l.UnitPrice),
        "EffectiveUnitPrice" => Number(l.EffectiveUnitPrice),
        "Quantity" => Number(l.Quantity),
        "BillingPreTaxTotal" => Number(l.BillingPreTaxTotal),
        "BillingCurrency" => l.BillingCurrency,
        _ => l.OtherColumns.GetValueOrDefault(column, ""),
    };

    private static string Date(DateOnly date) => date.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
