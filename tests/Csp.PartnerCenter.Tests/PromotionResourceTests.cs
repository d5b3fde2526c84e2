using System.Text.Json;
using Csp.PartnerCenter.Api;

namespace Csp.PartnerCenter.Tests;

/// <summary>Microsoft's documented "Get promotions" response, read by the client's types: the discount and the dates it gives.</summary>
public class PromotionResourceTests
{
    [Fact]
    public void GetPromotionsSample_ReadsIntoTheClientsTypesWithItsPercentDiscountAndDates()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Microsoft", "get-promotions.response.json")));

        var page = sample.RootElement.GetProperty("body").Deserialize(PartnerCenterJson.Default.ResourcePagePromotion)!;

        var promotion = Assert.Single(page.Items);
        Assert.Equal(("CFQ7TTC0HL8W;0001;CFQ7TTC0K59M", "commercial"), (promotion.Id, promotion.Segment));
        Assert.Equal(0.25m, promotion.DiscountFor("CFQ7TTC0LHQZ", "0001", "P3Y", "annual"));
        Assert.Null(promotion.DiscountFor("CFQ7TTC0LHQZ", "0001", "P3Y", "monthly"));
        Assert.True(promotion.IsAvailable(new DateTimeOffset(2021, 6, 12, 23, 0, 0, TimeSpan.Zero)));
        Assert.False(promotion.IsAvailable(new DateTimeOffset(2021, 6, 13, 0, 0, 0, TimeSpan.Zero)));
    }
}
