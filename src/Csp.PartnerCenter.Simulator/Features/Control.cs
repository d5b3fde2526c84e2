using System.Text.Json;
using System.Text.Json.Serialization;
using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>A request the simulator received, for tests and operators: what reached "Microsoft", and when on its clock.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? RequestId, DateTimeOffset At);

/// <summary>The requests received, newest last (bounded).</summary>
public sealed class SimulatorLog
{
    private readonly Lock gate = new();
    private readonly Queue<ReceivedRequest> received = new();

    public void Add(ReceivedRequest request)
    {
        lock (gate)
        {
            received.Enqueue(request);
            if (received.Count > 100_000)
            {
                received.Dequeue();
            }
        }
    }

    public IReadOnlyList<ReceivedRequest> Snapshot()
    {
        lock (gate)
        {
            return received.ToList();
        }
    }
}

public sealed record ClockState(DateTimeOffset Now, TimeSpan Offset);

public sealed record ClockAdvance(TimeSpan By);

/// <summary>An Azure plan subscription using <paramref name="Factor"/> times its usual on <paramref name="Date"/> (a spike, or a quiet day).</summary>
public sealed record UsageSpike(Guid SubscriptionId, DateOnly Date, decimal Factor);

/// <summary>A change made "in Partner Center directly", behind the platform's back.</summary>
public sealed record Drift(Guid CustomerId, Guid? SubscriptionId, int? Quantity, string? CatalogItemId, string? TermDuration, string? BillingCycle);

/// <summary>
/// The simulator's own endpoints under <c>/_sim</c> — not Microsoft's API: move the clock, inject faults, see what was
/// received, and drift (change Partner Center behind the platform's back).
/// </summary>
public static class Control
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/clock", (SimulatorClock clock) => TypedResults.Json(new ClockState(clock.GetUtcNow(), clock.Offset), ControlJson.Default.ClockState));
        sim.MapPost("/clock", (ClockAdvance advance, SimulatorClock clock) =>
        {
            if (advance.By < TimeSpan.Zero)
            {
                return Results.BadRequest("The clock only moves forward.");
            }

            clock.Advance(advance.By);
            return TypedResults.Json(new ClockState(clock.GetUtcNow(), clock.Offset), ControlJson.Default.ClockState);
        });
        sim.MapPost("/faults", (Fault fault, SimulatorFaults faults) =>
        {
            faults.Add(fault);
            return Results.NoContent();
        });
        sim.MapDelete("/faults", (SimulatorFaults faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        sim.MapGet("/requests", (SimulatorLog log) => TypedResults.Json(log.Snapshot(), ControlJson.Default.IReadOnlyListReceivedRequest));
        sim.MapPost("/drift", DriftAsync);
        sim.MapPost("/usage", SpikeAsync);
    }

    private static async Task<IResult> SpikeAsync(UsageSpike spike, SimulatorDb db, IssuedInvoices invoices, CancellationToken cancellationToken)
    {
        if (spike.Factor < 0 || !await db.Subscriptions.AnyAsync(s => s.Id == spike.SubscriptionId && s.IsUsage, cancellationToken))
        {
            return Results.BadRequest("subscriptionId must be an Azure plan subscription and factor at least 0.");
        }

        if (await db.UsageSpikes.FindAsync([spike.SubscriptionId, spike.Date], cancellationToken) is { } known)
        {
            known.Factor = spike.Factor;
        }
        else
        {
            db.UsageSpikes.Add(new SimUsageSpike { SubscriptionId = spike.SubscriptionId, UsageDate = spike.Date, Factor = spike.Factor });
        }

        await db.SaveChangesAsync(cancellationToken);
        invoices.Clear();
        return Results.NoContent();
    }

    /// <summary>
    /// A change made by a user in the Partner Center portal: a seat count set on a subscription, or a new subscription
    /// ordered. It is recorded in the audit records as the portal's, as Microsoft would.
    /// </summary>
    private static async Task<IResult> DriftAsync(Drift drift, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await db.Customers.FindAsync([drift.CustomerId], cancellationToken) is not { } customer)
        {
            return Results.NotFound();
        }

        if (drift.SubscriptionId is { } id)
        {
            if (await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.CustomerId == drift.CustomerId, cancellationToken) is not { } subscription || drift.Quantity is not { } quantity)
            {
                return Results.NotFound();
            }

            var before = Subscriptions.View(subscription, now, options.Value);
            var held = Seats.Read(subscription.SeatAdditionsJson);
            subscription.SeatAdditionsJson = Seats.Write(quantity > subscription.Quantity
                ? SeatAdditions.Add(held, quantity - subscription.Quantity, now)
                : SeatAdditions.Remove(held, subscription.Quantity - quantity));

            subscription.Quantity = quantity;
            subscription.Version++;
            AuditRecords.Add(db, customer, "subscription", "update_subscription", now, before, Subscriptions.View(subscription, now, options.Value), PartnerCenterJson.Default.Subscription, subscription.Id, AuditRecords.InPortal);
            await db.SaveChangesAsync(cancellationToken);
            return Results.NoContent();
        }

        if (drift.CatalogItemId is null || Catalog.Find(drift.CatalogItemId) is not { } offer || offer.IsUsage)
        {
            return Results.NotFound();
        }

        var line = new CartLineItem(0, offer.CatalogItemId, drift.Quantity ?? 1, drift.TermDuration ?? "P1Y", drift.BillingCycle ?? "monthly");
        var orderId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var created = Carts.Subscribe(customer, offer, line, orderId, now);
        var ordered = new OrderLineItem(0, offer.CatalogItemId, created.Id.ToString(), created.Quantity, created.TermDuration, created.BillingCycle, "new");
        var order = new SimOrder { Id = orderId, CustomerId = customer.Id, CreatedAt = now, LineItemsJson = JsonSerializer.Serialize<IReadOnlyList<OrderLineItem>>([ordered], PartnerCenterJson.Default.IReadOnlyListOrderLineItem) };
        db.Subscriptions.Add(created);
        db.Orders.Add(order);
        AuditRecords.Add(db, customer, "order", "create_order", now, null, Carts.View(order, now, options.Value), PartnerCenterJson.Default.Order, applicationId: AuditRecords.InPortal);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/v1/customers/{customer.Id}/subscriptions/{created.Id}", created.Id);
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClockState))]
[JsonSerializable(typeof(IReadOnlyList<ReceivedRequest>))]
internal sealed partial class ControlJson : JsonSerializerContext;
