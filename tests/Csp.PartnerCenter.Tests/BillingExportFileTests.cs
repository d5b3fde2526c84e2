using System.IO.Compression;
using System.Text;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Files;

namespace Csp.PartnerCenter.Tests;

public class BillingExportFileTests
{
    private static MemoryStream Gzip(string text)
    {
        var stream = new MemoryStream();
        using (var zip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(Encoding.UTF8.GetBytes(text));
        }

        stream.Position = 0;
        return stream;
    }

    [Fact]
    public void ReadReconLines_TheApisAttributeNames_ReadAsTheFilesColumns()
    {
        const string line = """{"subscriptionId":"284b0ff0","chargeType":"addQuantity","unitPrice":10.08,"quantity":12,"billableQuantity":12,"effectiveUnitPrice":9.408,"subtotal":112.89,"totalForCustomer":112.89,"currency":"EUR","chargeStartDate":"2021-06-20T00:00:00Z","chargeEndDate":"2021-07-17T00:00:00Z","orderDate":"2021-06-20T16:57:15.0966728Z","productQualifiers":[],"pcToBCExchangeRate":1}""";

        var read = Assert.Single(BillingExportFile.ReadReconLines(Gzip(line + "\n"), "billed.json.gz"));

        Assert.Equal(("284b0ff0", "addQuantity", 112.89m, 12, new DateOnly(2021, 7, 17)), (read.SubscriptionId, read.ChargeType, read.Subtotal, read.BillableQuantity, read.ChargeEndDate));
        Assert.Equal("1", read.OtherColumns["pcToBCExchangeRate"]);
    }

    [Fact]
    public void WriteThenRead_TheShadowInvoice_MatchesWithoutDiscrepancy()
    {
        var history = new ChargeHistory(Currency.Eur, new DateOnly(2022, 3, 31),
            [new PurchasedSubscription("284b0ff0", "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", new Money(12m, Currency.Eur), Term.P1M, BillingPlan.Monthly, new DateOnly(2022, 3, 5), 10)],
            [new ChangeQuantity(new DateOnly(2022, 3, 7), "284b0ff0", 15), new ChangeQuantity(new DateOnly(2022, 3, 10), "284b0ff0", 25)]);
        var expected = ShadowInvoice.For(ChargeEngine.Run(history, ChargeRules.Default).Value, new BillingPeriod(new DateOnly(2022, 3, 1), new DateOnly(2022, 3, 31))).ToList();
        using var blob = new MemoryStream();

        BillingExportFile.WriteReconLines(expected, blob);
        blob.Position = 0;
        var read = BillingExportFile.ReadReconLines(blob, "billed.json.gz").ToList();

        Assert.Equal(5, read.Count);
        var result = ReconMatcher.Match(expected, read);
        Assert.Equal((5, true), (result.Matched, result.IsZeroDiscrepancy));
    }

    [Fact]
    public void WriteUsageLinesThenRead_GivesEachDayWithItsOtherAttributesInCamelCase()
    {
        var (customer, subscription, meter) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var other = new Dictionary<string, string> { ["MeterName"] = "D2s v3", ["ResourceGroup"] = "rg-web" };
        var lines = Enumerable.Range(1, 2).Select(day => new DailyRatedUsageLine(
            Guid.Empty, customer, "Contoso", subscription, new DateOnly(2026, 3, day), meter, "Virtual Machines", "1 Hour", 0.123m, 0.123m, 24m * day, 2.952m * day, "EUR", other));
        using var blob = new MemoryStream();

        BillingExportFile.WriteUsageLines(lines, blob);
        blob.Position = 0;
        var read = BillingExportFile.ReadUsage(blob, "billed.json.gz").ToList();
        blob.Position = 0;
        using var text = new StreamReader(new GZipStream(blob, CompressionMode.Decompress));
        var first = text.ReadLine()!;

        Assert.Equal([new DailyUsage(1, customer, subscription, new DateOnly(2026, 3, 1), 24m, 2.952m), new DailyUsage(2, customer, subscription, new DateOnly(2026, 3, 2), 48m, 5.904m)], read);
        Assert.Contains("\"meterName\":\"D2s v3\"", first, StringComparison.Ordinal);
        Assert.Contains("\"chargeEndDate\":\"2026-03-31T00:00:00Z\"", first, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadUsage_UnbilledLines_AreDailyUsage()
    {
        const string lines = """
            {"customerId":"f3d6b8a0-1c2e-4b7a-9d3f-5e6a7b8c9d0e","subscriptionId":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","usageDate":"2026-03-01T00:00:00Z","quantity":24,"billingPreTaxTotal":2.952,"tags":{"env":"prod"}}

            {"customerId":"f3d6b8a0-1c2e-4b7a-9d3f-5e6a7b8c9d0e","subscriptionId":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","usageDate":"2026-03-02T00:00:00Z","quantity":"1.5","billingPreTaxTotal":"0.1845"}
            """;

        var usage = BillingExportFile.ReadUsage(Gzip(lines), "unbilled.json.gz").ToList();

        Assert.Equal([(1L, 2.952m), (3L, 0.1845m)], usage.Select(u => (u.LineNumber, u.BillingPreTaxTotal)));
    }

    [Theory]
    [InlineData("""{"customerId":"nope","subscriptionId":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","usageDate":"2026-03-01","quantity":1,"billingPreTaxTotal":1}""", "customerId")]
    [InlineData("""{"customerId":"f3d6b8a0-1c2e-4b7a-9d3f-5e6a7b8c9d0e",""", "(line)")]
    public void ReadUsage_ABadLine_NamesLineAndAttribute(string line, string attribute)
    {
        var error = Assert.Throws<FileFormatException>(() => BillingExportFile.ReadUsage(Gzip(line), "unbilled.json.gz").ToList()).Error;

        Assert.Equal(("unbilled.json.gz", 1L, attribute), (error.File, error.Line, error.Column));
    }
}
