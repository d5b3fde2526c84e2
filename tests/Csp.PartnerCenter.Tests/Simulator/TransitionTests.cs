using Csp.PartnerCenter.Api;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>Upgrades on the simulator through the client: eligibility, downgrades refused, full, partial and onto an existing subscription.</summary>
public sealed class TransitionTests : IAsyncLifetime
{
    private const string Basic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string Standard = "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ";
    private const string Premium = "CFQ7TTC0LCHC:0002:CFQ7TTC0K8H1";

    private readonly SimulatedPartnerCenter pc = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => pc.DisposeAsync();

    private Task<Transition> UpgradeAsync(Customer customer, Subscription from, string to, int quantity, string? onto = null) =>
        pc.Client.TransitionAsync(customer.Id!, from.Id, new Transition(from.OfferId, to, quantity, "transition_only", ToSubscriptionId: onto), Guid.NewGuid(), Cancel);

    [Fact]
    public async Task Eligibilities_OfBusinessStandard_ArePremiumAndEnterpriseButNotBasic()
    {
        var customer = await pc.CustomerAsync();
        var standard = await pc.SubscribeAsync(customer, Standard);

        var eligibilities = await pc.Client.ListTransitionEligibilitiesAsync(customer.Id!, standard.Id, Cancel);

        Assert.True(eligibilities.Single(e => e.CatalogItemId == Premium).Eligibilities[0].IsEligible);
        var basic = eligibilities.Single(e => e.CatalogItemId == Basic).Eligibilities[0];
        Assert.False(basic.IsEligible);
        Assert.Contains("downgrades aren't supported", basic.Errors![0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transition_ADowngrade_IsRefusedAndChangesNothing()
    {
        var customer = await pc.CustomerAsync();
        var premium = await pc.SubscribeAsync(customer, Premium, quantity: 5);

        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => UpgradeAsync(customer, premium, Basic, 5));
        var after = await pc.Client.GetSubscriptionAsync(customer.Id!, premium.Id, Cancel);

        Assert.Equal("800002", refused.Code);
        Assert.Equal((Premium, 5), (after.OfferId, after.Quantity));
    }

    [Fact]
    public async Task Transition_OfEverySeat_KeepsTheSubscriptionIdOnTheNewProduct()
    {
        var customer = await pc.CustomerAsync();
        var basic = await pc.SubscribeAsync(customer, Basic, quantity: 8);

        var transition = await UpgradeAsync(customer, basic, Premium, 8);
        var after = await pc.Client.GetSubscriptionAsync(customer.Id!, basic.Id, Cancel);

        Assert.Equal((basic.Id, "Completed"), (transition.ToSubscriptionId, transition.Status));
        Assert.Equal((Premium, 8, basic.CommitmentEndDate), (after.OfferId, after.Quantity, after.CommitmentEndDate));
    }

    [Fact]
    public async Task Transition_OfSomeSeats_StartsACoterminousSubscriptionThenMovesMoreOntoIt()
    {
        var customer = await pc.CustomerAsync();
        var basic = await pc.SubscribeAsync(customer, Basic, quantity: 10);

        var partial = await UpgradeAsync(customer, basic, Standard, 4);

        // Seats move onto an existing subscription only once it is past its own cancellation window (eligibility code 2).
        await pc.AdvanceAsync(TimeSpan.FromDays(8));
        var moved = await UpgradeAsync(customer, await pc.Client.GetSubscriptionAsync(customer.Id!, basic.Id, Cancel), Standard, 6, partial.ToSubscriptionId);
        var source = await pc.Client.GetSubscriptionAsync(customer.Id!, basic.Id, Cancel);
        var target = await pc.Client.GetSubscriptionAsync(customer.Id!, partial.ToSubscriptionId!, Cancel);

        Assert.NotEqual(basic.Id, partial.ToSubscriptionId);
        Assert.Equal(partial.ToSubscriptionId, moved.ToSubscriptionId);
        Assert.Equal((0, "deleted"), (source.Quantity, source.Status));
        Assert.Equal((Standard, 10, basic.CommitmentEndDate), (target.OfferId, target.Quantity, target.CommitmentEndDate));
    }
}
