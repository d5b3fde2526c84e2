using System.Text.Json.Serialization;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.EntityFrameworkCore;

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
    }

    private static async Task<IResult> DriftAsync(Drift drift, SimulatorDb db, SimulatorClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (drift.SubscriptionId is { } id)
        {
            if (await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.CustomerId == drift.CustomerId, cancellationToken) is not { } subscription || drift.Quantity is not { } quantity)
            {
                return Results.NotFound();
            }

            subscription.Quantity = quantity;
            subscription.Version++;
            await db.SaveChangesAsync(cancellationToken);
            return Results.NoContent();
        }

        if (await db.Customers.FindAsync([drift.CustomerId], cancellationToken) is not { } customer || drift.CatalogItemId is null || Catalog.Find(drift.CatalogItemId) is not { } offer)
        {
            return Results.NotFound();
        }

        var created = new SimSubscription
        {
            Id = Guid.CreateVersion7(now),
            CustomerId = customer.Id,
            OrderId = "direct",
            ProductId = offer.ProductId,
            SkuId = offer.SkuId,
            AvailabilityId = offer.AvailabilityId,
            OfferName = offer.Title,
            Quantity = drift.Quantity ?? 1,
            TermDuration = drift.TermDuration ?? "P1Y",
            BillingCycle = drift.BillingCycle ?? "monthly",
            Status = SubscriptionStatus.Active,
            AutoRenewEnabled = true,
            CreatedAt = now,
            TermStartedAt = now,
            TermStartDate = BillingClock.DateIn(now, null),
            SeatAdditionsJson = Seats.Write([]),
            Currency = customer.Currency,
        };
        TimeDriven.StartTerm(created, created.TermStartDate, now);
        db.Subscriptions.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/v1/customers/{customer.Id}/subscriptions/{created.Id}", created.Id);
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClockState))]
[JsonSerializable(typeof(IReadOnlyList<ReceivedRequest>))]
internal sealed partial class ControlJson : JsonSerializerContext;
