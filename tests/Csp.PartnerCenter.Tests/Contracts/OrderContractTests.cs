using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Orders against Microsoft's new commerce order of "Checkout a cart": the client reads it; the simulator's order lines
/// say <c>New</c> and the order <c>UserPurchase</c>, as Microsoft writes them. <see cref="CartContractTests"/> holds the
/// simulator's whole order to the sample.
/// </summary>
public sealed class OrderContractTests
{
    private const string Sample = "checkout-a-cart.new-commerce-order.response.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsOrder()
    {
        var order = MicrosoftSample.Read(Sample).Body.Deserialize(PartnerCenterJson.Default.Order)!;

        var line = Assert.Single(order.LineItems);
        Assert.Equal(("a68736758d9c", "pending", "UserPurchase"), (order.Id, order.Status, order.TransactionType));
        Assert.Equal(("CFQ7TTC0LF8S:0001:CFQ7TTC0N81H", "0c353b8e-da9d-4007-d0d4-bca8bd5b5ce1", "New", 1), (line.OfferId, line.SubscriptionId, line.TransactionType, line.Quantity));
    }

    [Fact]
    public async Task Simulator_OrderLines_AreNewAsMicrosoftWritesThem()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        await pc.SubscribeAsync(customer, quantity: 2);

        var order = Assert.Single(await pc.Client.ListOrdersAsync(customer.Id!, Cancel));

        Assert.Equal(("UserPurchase", "New"), (order.TransactionType, Assert.Single(order.LineItems).TransactionType));
    }
}
