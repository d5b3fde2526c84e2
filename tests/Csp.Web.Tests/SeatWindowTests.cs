using System.Net;
using System.Net.Http.Json;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Subscriptions;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// Each seat's own 7-day window, as the platform and Partner Center (the simulator) both count it from one rule in the
/// domain (<see cref="SeatAdditions"/>): what the platform previews as allowed, Partner Center does; what it refuses,
/// Partner Center refuses.
/// </summary>
public abstract class SeatWindowTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    /// <summary>
    /// 10 seats bought, 5 added on day 3, 3 given back on day 4: after the purchase's window, the 2 seats left of the
    /// addition are all that can be reduced — not the 5 added.
    /// </summary>
    [Fact]
    public async Task Reducible_AfterSeatsAddedThenPartlyGivenBack_IsWhatIsLeftOfTheAdditionOnBothSides()
    {
        var s = await BuyThroughPlatformAsync(10);
        Time.Advance(TimeSpan.FromDays(3));
        var addedAt = Time.GetUtcNow();
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = 15 });
        Time.Advance(TimeSpan.FromDays(1));
        await ActAsync<ActionOutcome>($"/api/subscriptions/{s.Id}/seats", new { quantity = 12 });
        Time.Advance(TimeSpan.FromDays(4));

        var view = await App.CreateClient().GetFromJsonAsync<SubscriptionView>($"/api/subscriptions/{s.Id}", Json, Cancel);
        var inPartnerCenter = await Client.GetSubscriptionAsync(await TenantAsync(s.CustomerId), s.MicrosoftSubscriptionId.ToString(), Cancel);
        var three = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = 9 });
        var two = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = 10 });

        Assert.Equal([(2, addedAt.AddHours(168))], view!.RefundableQuantity.Details.Select(d => (d.Quantity, d.AllowedUntil)));
        Assert.Equal([(2, addedAt.AddHours(168))], inPartnerCenter.RefundableQuantity!.Details.Select(d => (d.Quantity, d.AllowedUntilDateTime)));
        Assert.Equal(HttpStatusCode.Conflict, three.StatusCode);
        Assert.Equal("subscription.seat_reduction_window_closed", (await three.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancel)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, two.StatusCode);
    }

    /// <summary>Every demo subscription in service: the platform and Partner Center agree, seat for seat and instant for instant, on what can be reduced.</summary>
    [Fact]
    public async Task Reducible_OfEveryDemoSubscription_IsTheSameInThePlatformAndInPartnerCenter()
    {
        var subscriptions = await App.WithDbAsync(db => db.Subscriptions
            .Where(s => s.Term != null && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended))
            .Join(db.Customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.Id, s.MicrosoftSubscriptionId, c.CustomerTenantId })
            .ToListAsync(Cancel));
        var withAdditions = 0;
        foreach (var s in subscriptions)
        {
            var view = await App.CreateClient().GetFromJsonAsync<SubscriptionView>($"/api/subscriptions/{s.Id}", Json, Cancel);
            var found = await Client.GetSubscriptionAsync(s.CustomerTenantId.ToString(), s.MicrosoftSubscriptionId.ToString(), Cancel);

            Assert.Equal(
                found.RefundableQuantity!.Details.Select(d => (d.Quantity, d.AllowedUntilDateTime)),
                view!.RefundableQuantity.Details.Select(d => (d.Quantity, d.AllowedUntil)));
            withAdditions += view.RefundableQuantity.Details.Count > 1 ? 1 : 0;
        }

        Assert.True(withAdditions > 0, "the demo has subscriptions whose seats were added on different days");
    }
}

public sealed class SqliteSeatWindowTests : SeatWindowTests<SqliteDatabase>;

public sealed class PostgresSeatWindowTests : SeatWindowTests<PostgresDatabase>;
