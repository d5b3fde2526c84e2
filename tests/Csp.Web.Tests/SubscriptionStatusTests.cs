using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;

namespace Csp.Web.Tests;

/// <summary>A subscription's status changes only by a move of the lifecycle's table, whoever asks: an action, sync or a job.</summary>
public class SubscriptionStatusTests
{
    private static Csp.Data.Subscription With(SubscriptionStatus status) =>
        new(
            Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "CFQ7TTC0LDPB", "0001", "CFQ7TTC0GZQJ", "Contoso E3", Term.P1Y, BillingPlan.Monthly, 10,
            new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1), new DateOnly(2027, 11, 30), new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            status, EndOfTerm.Renew, true, 12.5m, "EUR", null, false);

    [Theory]
    [InlineData(SubscriptionStatus.Active, SubscriptionTrigger.Suspend, SubscriptionStatus.Suspended)]
    [InlineData(SubscriptionStatus.Suspended, SubscriptionTrigger.Reactivate, SubscriptionStatus.Active)]
    [InlineData(SubscriptionStatus.Suspended, SubscriptionTrigger.Cancel, SubscriptionStatus.Deleted)]
    public void Move_AllowedByTheTable_ChangesTheStatus(SubscriptionStatus from, SubscriptionTrigger trigger, SubscriptionStatus to)
    {
        var s = With(from);

        var moved = s.Move(trigger);

        Assert.Equal((to, to), (moved.Value, s.Status));
    }

    [Theory]
    [InlineData(SubscriptionStatus.Deleted, SubscriptionTrigger.Reactivate)]
    [InlineData(SubscriptionStatus.Expired, SubscriptionTrigger.Suspend)]
    [InlineData(SubscriptionStatus.Active, SubscriptionTrigger.Reactivate)]
    public void Move_TheTableHasNot_IsRefusedAndChangesNothing(SubscriptionStatus from, SubscriptionTrigger trigger)
    {
        var s = With(from);

        var moved = s.Move(trigger);

        Assert.Equal(("subscription.invalid_transition", from), (moved.Error?.Code, s.Status));
    }

    // Partner Center's word is followed by the table's move to it, and a status no move leads to is refused (sync shows it as drift).
    [Theory]
    [InlineData(SubscriptionStatus.Active, SubscriptionStatus.Expired, true)]
    [InlineData(SubscriptionStatus.Suspended, SubscriptionStatus.Active, true)]
    [InlineData(SubscriptionStatus.Active, SubscriptionStatus.Active, true)]
    [InlineData(SubscriptionStatus.Deleted, SubscriptionStatus.Active, false)]
    [InlineData(SubscriptionStatus.Expired, SubscriptionStatus.Suspended, false)]
    public void Follow_WhatPartnerCenterReports_ByTheTablesMove(SubscriptionStatus from, SubscriptionStatus reported, bool followed)
    {
        var s = With(from);

        var result = s.Follow(reported);

        Assert.Equal((followed, followed ? reported : from), (result.IsSuccess, s.Status));
    }
}
