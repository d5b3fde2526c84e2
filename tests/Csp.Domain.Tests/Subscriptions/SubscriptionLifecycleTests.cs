using Csp.Domain.Subscriptions;

namespace Csp.Domain.Tests.Subscriptions;

public class SubscriptionLifecycleTests
{
    public static TheoryData<SubscriptionStatus, SubscriptionTrigger> EveryPair()
    {
        var data = new TheoryData<SubscriptionStatus, SubscriptionTrigger>();
        foreach (var status in Enum.GetValues<SubscriptionStatus>())
        {
            foreach (var trigger in Enum.GetValues<SubscriptionTrigger>())
            {
                data.Add(status, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Next_EveryStatusAndTrigger_FollowsTheTableOrRefusesWithACode(SubscriptionStatus from, SubscriptionTrigger trigger)
    {
        var next = SubscriptionLifecycle.Next(from, trigger);

        if (SubscriptionLifecycle.Moves.TryGetValue((from, trigger), out var expected))
        {
            Assert.Equal(expected, next.Value);
        }
        else
        {
            Assert.Equal("subscription.invalid_transition", next.Error?.Code);
        }
    }

    [Theory]
    [InlineData(SubscriptionStatus.Deleted)]
    [InlineData(SubscriptionStatus.Expired)]
    public void Next_FromAFinalStatus_NothingIsAllowed(SubscriptionStatus final)
    {
        Assert.All(Enum.GetValues<SubscriptionTrigger>(), t => Assert.False(SubscriptionLifecycle.Next(final, t).IsSuccess));
    }

    // docs/subscription-lifecycle.md is generated from the table; run with CSP_WRITE_DOCS=1 to rewrite it.
    [Fact]
    public void Docs_LifecycleDiagram_IsGeneratedFromTheTable()
    {
        var path = Path.Combine(Repository.Root(), "docs", "subscription-lifecycle.md");
        var expected = $"""
            # Subscription lifecycle

            Generated from `SubscriptionLifecycle.Moves` by `SubscriptionLifecycleTests`; do not edit by hand.
            Statuses are Partner Center's; any move not drawn here is refused with `subscription.invalid_transition`.
            Renewal and entry into an Extended Service Term keep a subscription `Active` and start a new term.

            ```mermaid
            {SubscriptionLifecycle.ToMermaid()}```

            """.ReplaceLineEndings("\n");

        if (Environment.GetEnvironmentVariable("CSP_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }
}
