using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Tests.Simulator;
using nietras.SeparatedValues;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// The new commerce price sheet against get-a-price-sheet's sample, a CSV file: the client reads Microsoft's file (dates
/// as <c>2/1/2019 12:00:00 AM</c>, <c>ERP Price</c> with its space), and the simulator's file has every column of it.
/// </summary>
public sealed class PriceSheetContractTests
{
    private const string Sample = "get-a-price-sheet.new-commerce.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string File => MicrosoftSample.Read(Sample).Body.GetString()!;

    [Fact]
    public void Client_ReadsMicrosoftsPriceSheet()
    {
        var entry = Assert.Single(PriceListFile.Read(new StringReader(File), Sample));

        Assert.Equal(("CFQ7TTC0HDK0", "0001", "P1Y", "Annual", "USD", 115.2m, 144m), (entry.ProductId, entry.SkuId, entry.TermDuration, entry.BillingPlan, entry.Currency, entry.UnitPrice, entry.ErpPrice));
        Assert.Equal((new DateOnly(2019, 2, 1), new DateOnly(2021, 2, 4)), (entry.EffectiveStartDate, entry.EffectiveEndDate));
    }

    [Fact]
    public async Task Simulator_PriceSheet_HasEveryColumnOfMicrosoftsFile_AndTheClientReadsIt()
    {
        await using var pc = new SimulatedPartnerCenter();

        var answer = await pc.SendAsync(HttpMethod.Get, "v1.0/sales/pricesheets(Market='US',PricesheetView='updatedlicensebased')/$value?timeline=current");
        var text = await answer.Content.ReadAsStringAsync(Cancel);
        var entries = await pc.Client.GetPriceSheetAsync("US", "current", null, Cancel);

        Assert.Equal((int)MicrosoftSample.Read(Sample).Status!, (int)answer.StatusCode);
        Assert.Empty(Header(File).Except(Header(text), StringComparer.Ordinal));
        Assert.NotEmpty(entries!);
        Assert.All(entries!, e => Assert.Equal(("US", "USD"), (e.Market, e.Currency)));
    }

    private static string[] Header(string csv)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromText(csv);
        return reader.Header.ColNames.ToArray();
    }
}
