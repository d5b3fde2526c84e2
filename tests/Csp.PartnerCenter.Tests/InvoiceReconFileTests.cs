using System.Text;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Files;

namespace Csp.PartnerCenter.Tests;

[Collection(nameof(MemoryMeasured))]
public class InvoiceReconFileTests
{
    private const string Pascal = """
        PartnerId,CustomerId,CustomerName,OrderDate,ProductId,SkuId,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency,SubscriptionId,ChargeStartDate,ChargeEndDate,EffectiveUnitPrice,BillableQuantity,ReferenceId,PromotionId,ProductCategory,SomethingNew
        p1,c1,Contoso,6/18/2021,CFQ7TTC0LDPB,0001,Microsoft 365 Business Standard,new,10.08,10,100.8,0,100.8,EUR,284b0ff0,6/18/2021,7/17/2021,10.08,10,7d71c595,,OnlineServices,kept
        p1,c1,"Contoso, Ltd",6/20/2021,CFQ7TTC0LDPB,0001,Microsoft 365 Business Standard,addQuantity,10.08,10,-94.08,0,-94.08,EUR,284b0ff0,6/20/2021,7/17/2021,-9.408,10,12d33e18,,OnlineServices,
        """;

    private static List<ReconLine> Read(string text, ICollection<FileError>? errors = null) =>
        InvoiceReconFile.Read(new StringReader(text), "recon.csv", errors).ToList();

    [Fact]
    public void Read_PascalCaseHeaders_TypesTheComparedFieldsAndKeepsTheRest()
    {
        var lines = Read(Pascal);

        Assert.Equal(2, lines.Count);
        var refund = lines[1];
        Assert.Equal((3L, "addQuantity", -94.08m, -9.408m, 10), (refund.LineNumber, refund.ChargeType, refund.Subtotal, refund.EffectiveUnitPrice, refund.BillableQuantity));
        Assert.Equal((new DateOnly(2021, 6, 20), new DateOnly(2021, 7, 17)), (refund.ChargeStartDate, refund.ChargeEndDate));
        Assert.Equal("Contoso, Ltd", refund.OtherColumns["CustomerName"]);
        Assert.Equal("kept", lines[0].OtherColumns["SomethingNew"]);
        Assert.Equal("OnlineServices", lines[0].OtherColumns["ProductCategory"]);
        Assert.Null(lines[0].PromotionId);
    }

    [Fact]
    public void Read_CamelCaseHeadersInAnotherOrderWithAliases_ReadsTheSame()
    {
        const string camel = """
            subscriptionId,chargeType,chargeStartDate,chargeEndDate,subtotal,totalForCustomer,currency,unitPrice,effectiveUnitPrice,billableQuantity,quantity,orderDate,tier2MpnId
            284b0ff0,new,2021-06-18T00:00:00,2021-07-17T00:00:00Z,100.8,100.8,EUR,10.08,10.08,10,10,2021-06-18T16:57:15.0966728Z,5120745
            """;

        var line = Assert.Single(Read(camel));

        Assert.Equal(("284b0ff0", "new", 100.8m), (line.SubscriptionId, line.ChargeType, line.Subtotal));
        Assert.Equal((new DateOnly(2021, 6, 18), new DateOnly(2021, 7, 17)), (line.ChargeStartDate, line.ChargeEndDate));
        Assert.Equal("5120745", line.OtherColumns["ResellerMpnId"]);
    }

    [Fact]
    public void Read_ABadValue_NamesFileLineColumnAndValueAndStopsTheFile()
    {
        var bad = Pascal.Replace("-94.08,0,-94.08", "-94.08,0,-94;08", StringComparison.Ordinal);

        var error = Assert.Throws<FileFormatException>(() => Read(bad)).Error;

        Assert.Equal(("recon.csv", 3L), (error.File, error.Line));
        Assert.NotEmpty(error.Column);
        Assert.Contains("recon.csv line 3, column", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ARowWithAnExtraColumn_NamesItsLine()
    {
        var error = Assert.Throws<FileFormatException>(() => Read(Pascal.Replace("-94.08,0,-94.08", "-94,08,0,-94.08", StringComparison.Ordinal))).Error;

        Assert.Equal(("recon.csv", 3L), (error.File, error.Line));
    }

    [Fact]
    public void Read_ABadDate_NamesTheColumnAndValue()
    {
        var error = Assert.Throws<FileFormatException>(() => Read(Pascal.Replace("6/20/2021,7/17/2021", "6/20/2021,17/7/2021", StringComparison.Ordinal))).Error;

        Assert.Equal(("ChargeEndDate", "17/7/2021", 3L), (error.Column, error.Value, error.Line));
    }

    [Fact]
    public void Read_CollectingErrors_SkipsTheBadRowAndReportsIt()
    {
        var errors = new List<FileError>();

        var lines = Read(Pascal.Replace("10.08,10,100.8", "ten,10,100.8", StringComparison.Ordinal), errors);

        Assert.Single(lines);
        Assert.Equal(("UnitPrice", "ten", 2L), (errors.Single().Column, errors.Single().Value, errors.Single().Line));
    }

    [Fact]
    public void Read_OnlyTheComparedColumns_GivesTheSameLinesInFileOrder()
    {
        var rows = Enumerable.Range(0, 5_000).Select(i => $"p1,c{i % 7},Contoso,6/18/2021,CFQ7TTC0LDPB,0001,Microsoft 365 Business Standard,new,10.08,{1 + (i % 50)},100.8,0,100.8,EUR,sub-{i},6/18/2021,7/17/2021,10.08,{1 + (i % 50)},ref-{i},,OnlineServices,x");
        var text = string.Join('\n', [Pascal.Split('\n')[0], .. rows]);

        var lean = InvoiceReconFile.Read(new StringReader(text), "recon.csv", keepOtherColumns: false).ToList();
        var full = Read(text);

        Assert.Equal(full.Select(Compared), lean.Select(Compared));
        Assert.All(lean, l => Assert.Empty(l.OtherColumns));
        Assert.Equal(Enumerable.Range(2, 5_000).Select(n => (long)n), lean.Select(l => l.LineNumber));
    }

    [Fact]
    public void Read_OnlyTheComparedColumns_ABadValueStillNamesItsLine()
    {
        var error = Assert.Throws<FileFormatException>(() =>
            InvoiceReconFile.Read(new StringReader(Pascal.Replace("-9.408,10", "-9.408,ten", StringComparison.Ordinal)), "recon.csv", keepOtherColumns: false).ToList()).Error;
        var columns = Assert.Throws<FileFormatException>(() =>
            InvoiceReconFile.Read(new StringReader(Pascal.Replace("-94.08,0,-94.08", "-94,08,0,-94.08", StringComparison.Ordinal)), "recon.csv", keepOtherColumns: false).ToList()).Error;

        Assert.Equal((3L, "BillableQuantity", "ten"), (error.Line, error.Column, error.Value));
        Assert.Equal(3L, columns.Line);
    }

    /// <summary>5,000 lines of many subscriptions; every 37th priced a euro higher, every 101st ordered in July.</summary>
    private static (string Text, List<ReconLine> Expected) Generated()
    {
        var rows = Enumerable.Range(0, 5_000).Select(i => $"p1,c{i % 7},Contoso,{(i % 101 == 0 ? "7/1/2021" : "6/18/2021")},CFQ7TTC0LDPB,0001,Microsoft 365 Business Standard,new,{(i % 37 == 0 ? "11.08" : "10.08")},{1 + (i % 50)},{10.08m * (1 + (i % 50))},0,100.8,EUR,sub-{i % 1_200},6/18/2021,7/17/2021,10.08,{1 + (i % 50)},ref-{i},,OnlineServices,x");
        var text = string.Join('\n', [Pascal.Split('\n')[0], .. rows]);
        var expected = InvoiceReconFile.Read(new StringReader(text.Replace(",11.08,", ",10.08,", StringComparison.Ordinal)), "expected.csv").ToList();
        return (text, expected);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task Match_InPartitions_GivesWhatReadingAndMatchingTheWholeFileGives(int partitions)
    {
        var (text, expected) = Generated();
        var june = new BillingPeriod(new DateOnly(2021, 6, 1), new DateOnly(2021, 6, 30));

        var streamed = await InvoiceReconFile.MatchAsync(() => new StringReader(text), "recon.csv", expected, june, partitions);
        var whole = ReconMatcher.Match(expected, Read(text).Where(l => june.Contains(l.OrderDate)));

        Assert.Equal(whole.Matched, streamed.Matched);
        Assert.Equal(whole.Differences.Select(d => (d.Kind, d.Actual?.LineNumber, d.Expected?.LineNumber)), streamed.Differences.Select(d => (d.Kind, d.Actual?.LineNumber, d.Expected?.LineNumber)));
        Assert.Equal(Enumerable.Range(0, 5_000).Count(i => i % 37 == 0 && i % 101 != 0), streamed.Count(DiscrepancyKind.UnitPrice));
        Assert.Equal(5_000 / 101 + 1, streamed.Count(DiscrepancyKind.Missing));
    }

    [Fact]
    public async Task Match_TwoBadLinesInDifferentPartitions_NamesTheFirstOfTheFile()
    {
        var (text, expected) = Generated();
        var lines = text.Split('\n');
        lines[4000] = lines[4000].Replace(",10.08,", ",ten,", StringComparison.Ordinal);
        lines[3000] = lines[3000].Replace("6/18/2021,7/17/2021", "6/18/2021,17/7/2021", StringComparison.Ordinal);

        var error = (await Assert.ThrowsAsync<FileFormatException>(() => InvoiceReconFile.MatchAsync(() => new StringReader(string.Join('\n', lines)), "recon.csv", expected, partitions: 4))).Error;

        Assert.Equal((3001L, "ChargeEndDate"), (error.Line, error.Column));
    }

    [Fact]
    public void Read_WithoutASubscriptionIdColumn_IsRefusedAtTheHeader()
    {
        var error = Assert.Throws<FileFormatException>(() => Read("ChargeType,Subtotal\nnew,1")).Error;

        Assert.Equal((1L, "SubscriptionId"), (error.Line, error.Column));
    }

    [Fact]
    public void WriteThenRead_TheShadowInvoice_RoundTripsEveryComparedField()
    {
        var history = new ChargeHistory(Currency.Eur, new DateOnly(2021, 6, 30),
            [new PurchasedSubscription("284b0ff0", "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", new Money(10.08m, Currency.Eur), Term.P1M, BillingPlan.Monthly, new DateOnly(2021, 6, 18), 10)],
            [new ChangeQuantity(new DateOnly(2021, 6, 20), "284b0ff0", 12)]);
        var expected = ShadowInvoice.For(ChargeEngine.Run(history, ChargeRules.Default).Value, new BillingPeriod(new DateOnly(2021, 6, 1), new DateOnly(2021, 6, 30)), "c1").ToList();
        var text = new StringWriter();

        InvoiceReconFile.Write(expected, text);
        var read = Read(text.ToString());

        Assert.Equal(string.Join(',', InvoiceReconFile.Columns), text.ToString().Split('\n')[0].TrimEnd('\r'));
        Assert.Equal(expected.Select(Compared), read.Select(Compared));
        Assert.True(ReconMatcher.Match(expected, read).IsZeroDiscrepancy);
    }

    [Fact]
    public void Write_NoLines_IsTheHeaderAlone()
    {
        var text = new StringWriter();

        InvoiceReconFile.Write([], text);

        Assert.Equal(string.Join(',', InvoiceReconFile.Columns), text.ToString().TrimEnd());
        Assert.Empty(Read(text.ToString()));
    }

    private static object Compared(ReconLine l) =>
        (l.OrderDate, l.CustomerId, l.SubscriptionId, l.ChargeType, l.UnitPrice, l.BillableQuantity, l.EffectiveUnitPrice, l.Subtotal, l.Currency, l.ChargeStartDate, l.ChargeEndDate, l.SubscriptionEndDate, l.ReferenceId);

    // A file is read a row at a time: 200,000 rows (about 60 MB of text, made as it is read) leave no trace in memory.
    [Fact]
    public void Read_AFileFarLargerThanItsRows_KeepsMemoryFlat()
    {
        const int rows = 200_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var count = 0;

        foreach (var line in InvoiceReconFile.Read(new GeneratedRecon(rows), "generated.csv"))
        {
            count++;
            if (count % 20_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        Assert.Equal(rows, count);
        Assert.True(peak < 16_000_000, $"memory grew by {peak:N0} bytes");
    }

    /// <summary>A reconciliation file of any length, produced as it is read.</summary>
    private sealed class GeneratedRecon(int rows) : TextReader
    {
        private readonly StringBuilder buffer = new(Pascal.Split('\n')[0] + "\n");
        private int position;
        private int written;

        public override int Read(char[] destination, int index, int count)
        {
            if (position == buffer.Length)
            {
                if (written == rows)
                {
                    return 0;
                }

                buffer.Clear();
                position = 0;
                for (var i = 0; i < 100 && written < rows; i++, written++)
                {
                    buffer.Append("p1,c").Append(written % 997).Append(",Contoso,6/18/2021,CFQ7TTC0LDPB,0001,Microsoft 365 Business Standard,new,10.08,10,100.8,0,100.8,EUR,sub-")
                        .Append(written).Append(",6/18/2021,7/17/2021,10.08,10,ref-").Append(written).Append(",,OnlineServices,\n");
                }
            }

            var n = Math.Min(count, buffer.Length - position);
            buffer.CopyTo(position, destination.AsSpan(index, n), n);
            position += n;
            return n;
        }

        public override int Read(Span<char> destination)
        {
            var array = new char[destination.Length];
            var n = Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(destination);
            return n;
        }
    }
}

/// <summary>
/// Tests that measure the process's memory run alone: another test's allocations, made at the same moment on another
/// thread, would be counted as theirs (a file read row by row was once charged 16.5 MB of someone else's).
/// </summary>
[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured;
