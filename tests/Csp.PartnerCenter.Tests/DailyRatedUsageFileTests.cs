using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;

namespace Csp.PartnerCenter.Tests;

public class DailyRatedUsageFileTests
{
    private static readonly Guid Customer = Guid.Parse("f3d6b8a0-1c2e-4b7a-9d3f-5e6a7b8c9d0e");
    private static readonly Guid Subscription = Guid.Parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

    /// <summary>A file with Microsoft's 55 columns; each row sets the given columns and leaves the rest blank.</summary>
    private static string File(IEnumerable<string> header, params Dictionary<string, string>[] rows) =>
        string.Join('\n', [string.Join(',', header), .. rows.Select(r => string.Join(',', header.Select(c => r.GetValueOrDefault(c, ""))))]);

    private static Dictionary<string, string> Row(string day, string quantity, string total, Guid? subscription = null) => new()
    {
        ["CustomerId"] = Customer.ToString(),
        ["SubscriptionId"] = (subscription ?? Subscription).ToString(),
        ["UsageDate"] = day,
        ["Quantity"] = quantity,
        ["BillingPreTaxTotal"] = total,
        ["UnitPrice"] = "0.0123",
        ["MeterName"] = "D2s v3",
        ["Tags"] = "\"{\"\"env\"\":\"\"prod\"\",\"\"team\"\":\"\"web\"\"}\"",
        ["ResourceGroup"] = "rg-web",
    };

    private static List<DailyUsage> Read(string text, ICollection<FileError>? errors = null) =>
        DailyRatedUsageFile.Read(new StringReader(text), "usage.csv", errors).ToList();

    [Fact]
    public void Read_MicrosoftsColumns_GivesEachRowsDayQuantityAndTotal()
    {
        var rows = Read(File(DailyRatedUsageFile.Columns, Row("03/01/2026", "24", "2.952"), Row("3/2/2026", "12.5", "1.5375")));

        Assert.Equal(
            [new DailyUsage(2, Customer, Subscription, new DateOnly(2026, 3, 1), 24m, 2.952m), new DailyUsage(3, Customer, Subscription, new DateOnly(2026, 3, 2), 12.5m, 1.5375m)],
            rows);
    }

    [Fact]
    public void Read_ApiNamesInCamelCaseAndIsoDates_ReadTheSame()
    {
        var header = DailyRatedUsageFile.Columns.Select(c => c == "Tier2MpnId" ? "resellerMpnId" : char.ToLowerInvariant(c[0]) + c[1..]);

        var row = Assert.Single(Read(File(header, Row("2026-03-01T00:00:00Z", "1", "0.5").ToDictionary(p => char.ToLowerInvariant(p.Key[0]) + p.Key[1..], p => p.Value))));

        Assert.Equal((new DateOnly(2026, 3, 1), 0.5m), (row.UsageDate, row.BillingPreTaxTotal));
    }

    [Fact]
    public void Read_ABadGuid_NamesFileLineColumnAndValue()
    {
        var bad = Row("03/02/2026", "1", "1");
        bad["SubscriptionId"] = "not-a-guid";

        var error = Assert.Throws<FileFormatException>(() => Read(File(DailyRatedUsageFile.Columns, Row("03/01/2026", "1", "1"), bad))).Error;

        Assert.Equal(("usage.csv", 3L, "SubscriptionId", "not-a-guid"), (error.File, error.Line, error.Column, error.Value));
    }

    [Fact]
    public void Read_CollectingErrors_KeepsTheGoodRows()
    {
        var errors = new List<FileError>();

        var rows = Read(File(DailyRatedUsageFile.Columns, Row("03/01/2026", "1", "1"), Row("31/03/2026", "1", "1"), Row("03/03/2026", "2", "x")), errors);

        Assert.Single(rows);
        Assert.Equal(["UsageDate", "BillingPreTaxTotal"], errors.Select(e => e.Column));
    }

    [Fact]
    public void Read_WithoutAUsageDateColumn_IsRefusedAtTheHeader()
    {
        var error = Assert.Throws<FileFormatException>(() => Read(File(DailyRatedUsageFile.Columns.Where(c => c != "UsageDate"), Row("03/01/2026", "1", "1")))).Error;

        Assert.Equal("UsageDate", error.Column);
    }

    [Fact]
    public void Total_RowsOfTwoSubscriptionsOverTwoDays_SumPerDayAndConserveEveryCent()
    {
        var other = Guid.Parse("11111111-2222-4333-8444-555555555555");
        var text = File(DailyRatedUsageFile.Columns,
            Row("03/01/2026", "1", "0.000001"), Row("03/01/2026", "2", "10.5"), Row("03/02/2026", "3", "1.25"), Row("03/01/2026", "4", "7", other));

        var totals = DailyRatedUsageFile.Total(new StringReader(text), "usage.csv");

        Assert.Equal(3, totals.Count);
        Assert.Equal(3, totals.Groups.Count());
        Assert.Equal(new DailyUsageSum(3m, 10.500001m, 2), totals.Sum(new DailyUsageKey(Customer, Subscription, new DateOnly(2026, 3, 1))));
        Assert.Null(totals.Sum(new DailyUsageKey(Customer, Subscription, new DateOnly(2026, 3, 3))));
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2)), (totals.FirstUsageDate, totals.LastUsageDate));
        Assert.Equal(18.750001m, totals.RowTotal);
        Assert.True(totals.IsConserved);
    }

    // Each row is added once the next has been read: a day that passes a trillion is still the error reported, not a bad
    // row after it.
    [Fact]
    public void Total_ADayPastATrillionFollowedByABadRow_NamesTheFirstOfThem()
    {
        var bad = Row("03/02/2026", "1", "1");
        bad["SubscriptionId"] = "not-a-guid";
        var text = File(DailyRatedUsageFile.Columns, Row("03/01/2026", "1", "999999999999"), Row("03/01/2026", "1", "999999999999"), bad);

        var error = Assert.Throws<FileFormatException>(() => DailyRatedUsageFile.Total(new StringReader(text), "usage.csv")).Error;

        Assert.Equal((3L, "BillingPreTaxTotal"), (error.Line, error.Column));
    }

    [Fact]
    public void WriteThenRead_Lines_GiveTheirDaysAndKeepEveryColumnInMicrosoftsOrder()
    {
        var meter = Guid.Parse("9e2a4c1b-7d3f-4e5a-8b6c-1d2e3f4a5b6c");
        var other = new Dictionary<string, string> { ["MeterName"] = "D2s v3", ["Tags"] = "{\"env\":\"prod\",\"team\":\"web\"}", ["ResourceGroup"] = "rg-web" };
        DailyRatedUsageLine Line(int day, decimal quantity, decimal total) =>
            new(Guid.Empty, Customer, "Contoso, Ltd", Subscription, new DateOnly(2026, 3, day), meter, "Virtual Machines", "1 Hour", 0.123m, 0.123m, quantity, total, "EUR", other);
        var text = new StringWriter();

        DailyRatedUsageFile.Write([Line(1, 24m, 2.952m), Line(31, 12.5m, 1.5375m)], text);
        var written = text.ToString();

        Assert.Equal(string.Join(',', DailyRatedUsageFile.Columns), written.Split('\n')[0].TrimEnd('\r'));
        Assert.Equal(
            [new DailyUsage(2, Customer, Subscription, new DateOnly(2026, 3, 1), 24m, 2.952m), new DailyUsage(3, Customer, Subscription, new DateOnly(2026, 3, 31), 12.5m, 1.5375m)],
            Read(written));
        Assert.Contains(",03/01/2026,03/31/2026,03/31/2026,", written, StringComparison.Ordinal);
        Assert.Contains("\"{\"\"env\"\":\"\"prod\"\",\"\"team\"\":\"\"web\"\"}\"", written, StringComparison.Ordinal);
        Assert.Contains("\"Contoso, Ltd\"", written, StringComparison.Ordinal);
    }
}
