using System.Net;
using Csp.PartnerCenter.Api;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>Microsoft's NCE rules on the simulator's clock, through the platform's client.</summary>
public sealed class SubscriptionRuleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<Subscription> PatchAsync(SimulatedPartnerCenter pc, Customer customer, Subscription subscription) =>
        pc.Client.PatchSubscriptionAsync(customer.Id!, subscription, Guid.NewGuid(), Cancel);

    [Fact]
    public async Task Seats_AddedThenReducedInsideTheWindow_AreAcceptedAndTheRefundableQuantityFollows()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var bought = await pc.SubscribeAsync(customer, quantity: 10);

        var added = await PatchAsync(pc, customer, bought with { Quantity = 15 });
        var reduced = await PatchAsync(pc, customer, added with { Quantity = 8 });

        Assert.Equal((15, 15, 8, 8), (added.Quantity, added.RefundableQuantity!.TotalQuantity, reduced.Quantity, reduced.RefundableQuantity!.TotalQuantity));
        Assert.NotEqual(bought.Attributes.Etag, added.Attributes.Etag);
    }

    [Fact]
    public async Task Seats_ReducedAfterTheWindow_Is900214AndChangesNothing()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var bought = await pc.SubscribeAsync(customer, quantity: 10);
        await pc.AdvanceAsync(TimeSpan.FromDays(8));
        var current = await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel);

        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, current with { Quantity = 9 }));
        var after = await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel);

        Assert.Equal((HttpStatusCode.BadRequest, "900214"), (refused.Status, refused.Code));
        Assert.Contains("168-hour", refused.Error.Description, StringComparison.Ordinal);
        Assert.Equal((10, 0), (after.Quantity, after.RefundableQuantity!.TotalQuantity));
    }

    [Fact]
    public async Task Cancel_InsideTheWindowThenAnotherAfterIt_IsDeletedThen900213()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var early = await pc.SubscribeAsync(customer);
        var late = await pc.SubscribeAsync(customer);

        var cancelled = await PatchAsync(pc, customer, early with { Status = "deleted" });
        await pc.AdvanceAsync(TimeSpan.FromHours(168));
        var current = await pc.Client.GetSubscriptionAsync(customer.Id!, late.Id, Cancel);
        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, current with { Status = "deleted" }));

        Assert.Equal("deleted", cancelled.Status);
        Assert.Equal("900213", refused.Code);
    }

    [Fact]
    public async Task Patch_WithAStaleETag_Is412AndSuspendedSeatChangesAre800091()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var bought = await pc.SubscribeAsync(customer);
        var suspended = await PatchAsync(pc, customer, bought with { Status = "suspended" });

        var stale = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, bought with { Quantity = 11 }));
        var whileSuspended = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, suspended with { Quantity = 11 }));
        var reactivated = await PatchAsync(pc, customer, suspended with { Status = "active" });

        Assert.Equal((HttpStatusCode.PreconditionFailed, "800091"), (stale.Status, whileSuspended.Code));
        Assert.False(suspended.AutoRenewEnabled);
        Assert.Equal("active", reactivated.Status);
    }

    [Fact]
    public async Task Renewal_AfterTheTermsEnd_Is409WhileInProgressThenANewTermWithANewWindow()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var bought = await pc.SubscribeAsync(customer, term: "P1M", billing: "Monthly");
        var end = bought.CommitmentEndDate!.Value;

        await pc.AdvanceAsync(end.AddDays(1).AddMinutes(10) - pc.Start - TimeSpan.FromMinutes(1));
        var renewing = await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel);
        var busy = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, renewing with { Quantity = 12 }));
        await pc.AdvanceAsync(TimeSpan.FromHours(1));
        var renewed = await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel);

        Assert.Equal((HttpStatusCode.Conflict, "800082"), (busy.Status, busy.Code));
        Assert.Equal(new DateTimeOffset(2026, 12, 25, 0, 0, 0, TimeSpan.Zero), end);
        Assert.Equal(new DateTimeOffset(2027, 1, 25, 0, 0, 0, TimeSpan.Zero), renewed.CommitmentEndDate);
        Assert.Equal(("active", 10), (renewed.Status, renewed.RefundableQuantity!.TotalQuantity));
    }

    [Fact]
    public async Task AutoRenewOff_WithoutACancel_BecomesEstWithin24HoursAndTheTermEndsIntoEst()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var bought = await pc.SubscribeAsync(customer, term: "P1M", billing: "Monthly");
        var off = await PatchAsync(pc, customer, bought with { AutoRenewEnabled = false });

        await pc.AdvanceAsync(TimeSpan.FromHours(24));
        var scheduled = await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel);
        await pc.AdvanceAsync(TimeSpan.FromDays(40));
        var inEst = await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel);
        var seats = await Assert.ThrowsAsync<PartnerCenterException>(() => PatchAsync(pc, customer, inEst with { Quantity = 11 }));
        var cancelled = await PatchAsync(pc, customer, inEst with { Status = "deleted" });

        Assert.Null(off.ScheduledActions);
        Assert.Equal("RenewToExtendedServiceTerm", Assert.Single(scheduled.ScheduledActions!).ActionType);
        Assert.Equal(("active", "P1M", null), (inEst.Status, inEst.TermDuration, inEst.CancellationAllowedUntilDate));
        Assert.Equal("800090", seats.Code);
        Assert.Equal("deleted", cancelled.Status);
    }

    [Fact]
    public async Task AutoRenewOff_WithACancelAction_EndsTheTermCancelledNotInEst()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync();
        var bought = await pc.SubscribeAsync(customer, term: "P1M", billing: "Monthly");
        await PatchAsync(pc, customer, bought with { AutoRenewEnabled = false, ScheduledActions = [new ScheduledAction("TermEnd", "Cancel")] });

        await pc.AdvanceAsync(TimeSpan.FromDays(40));
        var ended = await pc.Client.GetSubscriptionAsync(customer.Id!, bought.Id, Cancel);

        Assert.Equal("deleted", ended.Status);
    }

    // Before 2026-05-04 a term left to lapse expires with Microsoft's free grace period; from then on it enters EST.
    [Fact]
    public async Task TermsEndingBeforeEstEnforcement_Expire_AndThoseEndingAfterEnterEst()
    {
        await using var pc = new SimulatedPartnerCenter(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        var customer = await pc.CustomerAsync();
        var before = await pc.SubscribeAsync(customer, term: "P1M", billing: "Monthly");
        await PatchAsync(pc, customer, before with { AutoRenewEnabled = false });
        await pc.AdvanceAsync(TimeSpan.FromDays(41));
        var after = await pc.SubscribeAsync(customer, term: "P1M", billing: "Monthly");
        await PatchAsync(pc, customer, after with { AutoRenewEnabled = false });

        await pc.AdvanceAsync(TimeSpan.FromDays(40));
        var lapsed = await pc.Client.GetSubscriptionAsync(customer.Id!, before.Id, Cancel);
        var extended = await pc.Client.GetSubscriptionAsync(customer.Id!, after.Id, Cancel);

        Assert.Equal(new DateTimeOffset(2026, 4, 9, 0, 0, 0, TimeSpan.Zero), before.CommitmentEndDate);
        Assert.Equal("expired", lapsed.Status);
        Assert.True(after.CommitmentEndDate >= new DateTimeOffset(2026, 5, 4, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(("active", "P1M"), (extended.Status, extended.TermDuration));
        Assert.Null(extended.CancellationAllowedUntilDate);
    }

    // A trial runs one month by the NCE calendar, as Microsoft's sample line does (bought May 20, to June 19): still a trial
    // after 30 days, converted to an annual term billed monthly on June 20.
    [Fact]
    public async Task Trial_BoughtMay20_IsATrialToJune19AndConvertsOnJune20ToAnAnnualTermBilledMonthly()
    {
        await using var pc = new SimulatedPartnerCenter(start: new DateTimeOffset(2026, 5, 20, 10, 0, 0, TimeSpan.Zero));
        var customer = await pc.CustomerAsync();
        var trial = await pc.SubscribeAsync(customer, quantity: 1, term: "P1M", billing: "None");

        await pc.AdvanceAsync(TimeSpan.FromDays(30));
        var after30Days = await pc.Client.GetSubscriptionAsync(customer.Id!, trial.Id, Cancel);
        await pc.AdvanceAsync(TimeSpan.FromDays(1));
        var converted = await pc.Client.GetSubscriptionAsync(customer.Id!, trial.Id, Cancel);

        Assert.Equal((true, 25, "none", new DateTimeOffset(2026, 6, 19, 0, 0, 0, TimeSpan.Zero)), (trial.IsTrial, trial.Quantity, trial.BillingCycle, trial.CommitmentEndDate));
        Assert.True(after30Days.IsTrial);
        Assert.Equal((false, "P1Y", "monthly"), (converted.IsTrial, converted.TermDuration, converted.BillingCycle));
        Assert.Equal(new DateTimeOffset(2026, 6, 20, 0, 0, 0, TimeSpan.Zero), converted.EffectiveStartDate);
    }
}
