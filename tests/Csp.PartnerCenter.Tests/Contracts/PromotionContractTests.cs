using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Promotions against get-promotions and get-promotion-by-id, whose samples disagree: the list names a pricing policy's
/// kind <c>type</c> and keeps the dates under <c>properties</c>, the promotion by id says <c>policyType</c> and puts the
/// dates beside the name. The client reads both; the simulator writes each as its page does.
/// </summary>
public sealed class PromotionContractTests
{
    private const string List = "get-promotions.response.json";
    private const string ById = "get-promotion-by-id.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsPromotionById_WithItsPolicyTypeAndDates()
    {
        var promotion = MicrosoftSample.Read(ById).Body.Deserialize(PartnerCenterJson.Default.Promotion)!;

        Assert.Equal(0.5m, promotion.DiscountFor("CFQ7TTC0LH05", "0001", "P1Y", "Annual"));
        Assert.Null(promotion.DiscountFor("CFQ7TTC0LH05", "0001", "P1Y", "Monthly"));
        Assert.False(promotion.IsAvailable(new DateTimeOffset(2023, 5, 2, 23, 0, 0, TimeSpan.Zero)));
        Assert.True(promotion.IsAvailable(new DateTimeOffset(2023, 5, 3, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Simulator_Promotions_AreWrittenAsEachPageWritesThem_AndTheClientReadsBoth()
    {
        await using var pc = new SimulatedPartnerCenter();
        const string premium = "CFQ7TTC0LCHC:0002:39NFJQT1Q5KN";

        var list = await pc.GetJsonAsync("v1/productpromotions?country=US&segment=commercial");
        var byId = await pc.GetJsonAsync($"v1/productpromotions/{premium}?country=US");
        var read = await pc.Client.GetPromotionAsync(premium, "US", Cancel);
        var listed = Assert.Single(await pc.Client.ListPromotionsAsync("US", "commercial", Cancel), p => p.Id == premium);

        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(List).Body, list));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(List).Body, list));
        Assert.Equal(["promotionConstraints: missing"], JsonShape.Missing(MicrosoftSample.Read(ById).Body, byId));
        Assert.Empty(JsonShape.Extra(MicrosoftSample.Read(ById).Body, byId));
        Assert.Equal((0.15m, 0.15m), (read.DiscountFor("CFQ7TTC0LCHC", "0002", "P1Y", "Monthly"), listed.DiscountFor("CFQ7TTC0LCHC", "0002", "P1Y", "Monthly")));
        Assert.Equal(listed.Properties!.EndDate, read.EndDate);
    }
}
