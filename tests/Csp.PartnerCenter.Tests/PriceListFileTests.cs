using Csp.PartnerCenter.Files;

namespace Csp.PartnerCenter.Tests;

public class PriceListFileTests
{
    // Microsoft's sample row, verbatim (Get a price sheet).
    private const string Sample = """
        "ProductTitle","ProductId","SkuId","SkuTitle","Publisher","SkuDescription","UnitOfMeasure","TermDuration","BillingPlan","Market","Currency","UnitPrice","PricingTierRangeMin","PricingTierRangeMax","EffectiveStartDate","EffectiveEndDate","Tags","ERP Price"
        "Advanced Communications","CFQ7TTC0HDK0","0001","Advanced Communications","Microsoft Corporation","Advanced meetings, calling, workflow integration, and management tools for IT.","","P1Y","Annual","US","USD","115.2","","","2/1/2019 12:00:00 AM","2/4/2021 8:35:31 PM","License","144"
        """;

    [Fact]
    public void Read_MicrosoftsSampleRow_IsThePriceWithItsDates()
    {
        var entry = Assert.Single(PriceListFile.Read(new StringReader(Sample), "prices.csv"));

        Assert.Equal(("CFQ7TTC0HDK0", "0001", "P1Y", "Annual", "US", "USD"), (entry.ProductId, entry.SkuId, entry.TermDuration, entry.BillingPlan, entry.Market, entry.Currency));
        Assert.Equal((115.2m, (decimal?)144m), (entry.UnitPrice, entry.ErpPrice));
        Assert.Equal((new DateOnly(2019, 2, 1), (DateOnly?)new DateOnly(2021, 2, 4)), (entry.EffectiveStartDate, entry.EffectiveEndDate));
        Assert.Null(entry.Segment);
    }

    [Fact]
    public void Read_WithASegmentColumnAndNoEndDate_KeepsTheSegment()
    {
        var text = Sample.Replace("\"ERP Price\"", "\"ERP Price\",\"Segment\"", StringComparison.Ordinal)
            .Replace("\"2/4/2021 8:35:31 PM\"", "\"\"", StringComparison.Ordinal)
            .Replace("\"144\"", "\"144\",\"Commercial\"", StringComparison.Ordinal);

        var entry = Assert.Single(PriceListFile.Read(new StringReader(text), "prices.csv"));

        Assert.Equal(("Commercial", (DateOnly?)null), (entry.Segment, entry.EffectiveEndDate));
    }

    [Fact]
    public void Read_APriceWithADecimalComma_NamesLineColumnAndValue()
    {
        var error = Assert.Throws<FileFormatException>(() => PriceListFile.Read(new StringReader(Sample.Replace("\"115.2\"", "\"115,2\"", StringComparison.Ordinal)), "prices.csv").ToList()).Error;

        Assert.Equal((2L, "UnitPrice", "115,2"), (error.Line, error.Column, error.Value));
    }

    [Fact]
    public void WriteThenRead_Entries_RoundTripWithMicrosoftsHeader()
    {
        var entries = PriceListFile.Read(new StringReader(Sample), "prices.csv")
            .Append(new PriceListEntry(3, "Microsoft 365 Business Basic", "CFQ7TTC0LH18", "0001", "Microsoft 365 Business Basic", "Microsoft Corporation", "Licenses",
                "P1M", "Monthly", "DE", "EUR", 5.6m, null, new DateOnly(2026, 4, 1), null, "License", "Commercial"))
            .ToList();
        var text = new StringWriter();

        PriceListFile.Write(entries, text);
        var read = PriceListFile.Read(new StringReader(text.ToString()), "written.csv").ToList();

        Assert.Equal(string.Join(',', PriceListFile.Columns), text.ToString().Split('\n')[0].TrimEnd('\r'));
        Assert.Equal(entries.Select((e, i) => e with { LineNumber = i + 2 }), read);
        Assert.Contains(",2/1/2019 12:00:00 AM,", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoEntries_IsTheHeaderAlone()
    {
        var text = new StringWriter();

        PriceListFile.Write([], text);

        Assert.Equal(string.Join(',', PriceListFile.Columns), text.ToString().TrimEnd());
    }
}
