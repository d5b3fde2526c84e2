using Csp.Domain.Subscriptions;
using static Csp.Domain.Tests.Dates;

namespace Csp.Domain.Tests.Subscriptions;

public class EstPolicyTests
{
    private static readonly EstPolicy Policy = EstPolicy.Default;

    [Theory]
    [InlineData(EndOfTerm.Renew, false, EndOfTermOutcome.Renew)]
    [InlineData(EndOfTerm.Cancel, true, EndOfTermOutcome.Cancel)]
    [InlineData(EndOfTerm.Est, true, EndOfTermOutcome.ExtendedServiceTerm)]
    public void PathFor_ExplicitChoice_WinsOverTheAutoRenewFlag(EndOfTerm choice, bool autoRenew, EndOfTermOutcome outcome)
    {
        var path = Policy.PathFor(choice, autoRenew, June(1, 2025), May(31, 2026));

        Assert.Equal(new EndOfTermPath(outcome, Explicit: true), path);
    }

    [Fact]
    public void PathFor_AutoRenewOffWithoutACancelOnAnEligibleTerm_DriftsIntoEst()
    {
        var path = Policy.PathFor(null, autoRenewEnabled: false, June(1, 2025), May(31, 2026));

        Assert.True(path.DriftsIntoEst);
    }

    [Theory]
    [InlineData("2025-03-31", "2026-05-30")]
    [InlineData("2025-05-03", "2026-05-03")]
    public void PathFor_AutoRenewOffOnATermEstDoesNotCover_Expires(string start, string end)
    {
        var path = Policy.PathFor(null, autoRenewEnabled: false, Dates.Date(start), Dates.Date(end));

        Assert.Equal(new EndOfTermPath(EndOfTermOutcome.Expire, Explicit: false), path);
    }

    [Fact]
    public void PathFor_NoChoiceAndAutoRenewOn_RenewsImplicitly()
    {
        Assert.Equal(new EndOfTermPath(EndOfTermOutcome.Renew, false), Policy.PathFor(null, true, June(1, 2025), May(31, 2026)));
    }
}
