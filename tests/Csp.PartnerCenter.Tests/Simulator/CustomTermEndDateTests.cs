using Csp.PartnerCenter.Api;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>Coterminosity on the simulator: the end dates offered, and checkout holding a cart line to them.</summary>
public sealed class CustomTermEndDateTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CustomTermEndDates_AMonthAfterPurchases_AreTheMonthsEndAndTheEndsOfSubscriptionsWithinTheTerm()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var annual = await pc.SubscribeAsync(customer, quantity: 5, term: "P1Y", billing: "Monthly");
        var oneMonth = await pc.SubscribeAsync(customer, "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ", 2, "P1M", "Monthly");
        await pc.AdvanceAsync(TimeSpan.FromDays(30));

        var yearly = await pc.Client.ListCustomTermEndDatesAsync(customer.Id!, "P1Y", null, Cancel);
        var monthly = await pc.Client.ListCustomTermEndDatesAsync(customer.Id!, "P1M", null, Cancel);

        Assert.Equal(
            [("calendarMonthAligned", Day(2027, 11, 30), ""), ("subscriptionAligned", Day(2027, 11, 25), annual.Id)],
            yearly.Select(d => (d.AllowedCustomTermEndDateType, d.AllowedCustomTermEndDate, string.Join(',', d.CotermSubscriptionIds ?? []))));
        // The one-month subscription renewed on 26 December, to 25 January: a new one-month term may end with it.
        Assert.Equal(
            [("calendarMonthAligned", Day(2026, 12, 31), ""), ("subscriptionAligned", Day(2027, 1, 25), oneMonth.Id)],
            monthly.Select(d => (d.AllowedCustomTermEndDateType, d.AllowedCustomTermEndDate, string.Join(',', d.CotermSubscriptionIds ?? []))));
    }

    [Fact]
    public async Task Checkout_WithAnOfferedEndDate_EndsTheFirstTermThereAndAnyOtherDateIs900242()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var annual = await pc.SubscribeAsync(customer, quantity: 5, term: "P1Y", billing: "Monthly");
        await pc.AdvanceAsync(TimeSpan.FromDays(30));

        var cart = await pc.Client.CreateCartAsync(customer.Id!, new Cart(null,
            [
                new CartLineItem(0, "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ", 3, "P1Y", "Monthly", CustomTermEndDate: annual.CommitmentEndDate),
                new CartLineItem(1, "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1", 3, "P1Y", "Monthly", CustomTermEndDate: Day(2027, 11, 20)),
            ], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);
        var checkout = await pc.Client.CheckoutAsync(customer.Id!, cart.Id!, Guid.NewGuid(), Cancel);
        await pc.AdvanceAsync(TimeSpan.FromMinutes(1));
        var coterminous = await pc.Client.GetSubscriptionAsync(customer.Id!, Assert.Single(Assert.Single(checkout.Orders).LineItems).SubscriptionId!, Cancel);

        Assert.Equal((Day(2027, 11, 25), annual.CommitmentEndDate), (coterminous.CommitmentEndDate!.Value, annual.CommitmentEndDate));
        Assert.Equal(("1", "900242"), (Assert.Single(checkout.OrderErrors).OrderGroupId, checkout.OrderErrors[0].Code));
    }
}
