using Csp.Domain.Charges;
using Csp.Domain.Terms;
using static Csp.Domain.Tests.Dates;

namespace Csp.Domain.Tests.Charges;

/// <summary>The one adapter from a recorded history to the charge engine's input, as the platform and the simulator feed it.</summary>
public class RecordedHistoryTests
{
    private static PurchasedSubscription Bought(string id, DateOnly start, int quantity, string product = "CFQ7TTC0LDPB") =>
        new(id, product, "0001", "Microsoft 365 Business Standard", new Money(12.5m, Currency.Eur), Term.P1Y, BillingPlan.Monthly, start, quantity);

    private static PurchasedSubscription E3(string key, DateOnly day, int seats) =>
        new(key, "CFQ7TTC0LFLX", "0001", "Microsoft 365 E3", new Money(33.75m, Currency.Eur), Term.P1Y, BillingPlan.Monthly, day, seats);

    [Fact]
    public void FullUpgrade_GoesOnUnderANewKey_AndLaterChangesFollowIt()
    {
        var history = new RecordedHistory();
        history.Buy(Bought("a", June(1, 2026), 10));

        history.Upgrade(June(10, 2026), null, "a", "a", 10, key => E3(key, June(10, 2026), 10), 7);
        history.Change("a", new ChangeQuantity(June(12, 2026), "a", 12));
        var built = history.History(Currency.Eur, June(30, 2026));

        Assert.Equal(["a"], built.Subscriptions.Select(s => s.Id));
        Assert.Equal(("a~7", false), (((Upgrade)built.Events[0]).Target.Id, ((Upgrade)built.Events[0]).TargetExists));
        Assert.Equal("a~7", built.Events[1].SubscriptionId);
        Assert.True(ChargeEngine.Run(built, ChargeRules.Default).IsSuccess);
    }

    [Fact]
    public void Upgrades_JoinFamilies_IntoANewSubscriptionAndThenIntoItAsAnExistingOne()
    {
        var history = new RecordedHistory();
        history.Buy(Bought("a", June(1, 2026), 10));
        history.Buy(Bought("b", June(1, 2026), 5));
        history.Buy(Bought("c", June(2, 2026), 3));

        history.Upgrade(June(10, 2026), null, "a", "x", 4, key => E3(key, June(10, 2026), 4), 1);
        history.Upgrade(June(11, 2026), null, "b", "x", 2, key => E3(key, June(11, 2026), 2), 2);
        var families = history.Families(_ => Currency.Eur, June(30, 2026)).ToList();

        Assert.Equal([["a", "b"], ["c"]], families.Select(f => f.Members.ToArray()));
        var joined = families[0].History;
        Assert.Equal([("x", false), ("x", true)], joined.Events.OfType<Upgrade>().Select(u => (u.Target.Id, u.TargetExists)));
        Assert.True(ChargeEngine.Run(joined, ChargeRules.Default).IsSuccess);
    }

    [Fact]
    public void AChangeBeingPreviewed_NamesTheSubscriptionByMicrosoftsId_AndMeetsItsCurrentKey()
    {
        var history = new RecordedHistory();
        history.Buy(Bought("a", June(1, 2026), 10));
        history.Upgrade(June(2, 2026), null, "a", "a", 10, key => E3(key, June(2, 2026), 10), 3);

        var built = history.History(Currency.Eur, June(30, 2026), [new ChangeQuantity(June(5, 2026), "A", 11)]);

        Assert.Equal("a~3", built.Events[^1].SubscriptionId);
    }
}
