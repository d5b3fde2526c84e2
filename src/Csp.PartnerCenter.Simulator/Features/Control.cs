using System.Text.Json;
using System.Text.Json.Serialization;
using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
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
public sealed record Drift(Guid CustomerId, Guid? SubscriptionId = null, int? Quantity = null, string? CatalogItemId = null, string? TermDuration = null, string? BillingCycle = null);

/// <summary>
/// The simulator's own endpoints under <c>/_sim</c> — not Microsoft's API: move the clock, inject faults, see what was
/// received, and drift (change Partner Center behind the platform's back).
/// </summary>
public static class Control
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/_sim").WithTags("Simulator control");
        sim.MapGet("/clock", (SimulatorClock clock) => TypedResults.Json(new ClockState(clock.GetUtcNow(), clock.Offset), ControlJson.Default.ClockState))
            .WithSummary("The simulator's clock").Produces<ClockState>();
        sim.MapPost("/clock", async (HttpRequest request, SimulatorClock clock) =>
        {
            var (advance, refused) = await ReadAsync<ClockAdvance>(request, a => a.By < TimeSpan.Zero || a.By > TimeSpan.FromDays(3660) ? "by must be from 0 to 3660 days: the clock only moves forward." : null);
            if (advance is null)
            {
                return refused!;
            }

            clock.Advance(advance.By);
            return TypedResults.Json(new ClockState(clock.GetUtcNow(), clock.Offset), ControlJson.Default.ClockState);
        }).WithSummary("Move the clock forward").WithDescription("{ \"by\": \"1.00:00:00\" }: terms end, renew and are billed as the clock passes them.")
            .Accepts<ClockAdvance>("application/json").Produces<ClockState>();
        sim.MapPost("/faults", async (HttpRequest request, SimulatorFaults faults) =>
        {
            var (fault, refused) = await ReadAsync<Fault>(request, f => f.Problem());
            if (fault is null)
            {
                return refused!;
            }

            faults.Add(fault);
            return Results.NoContent();
        }).WithSummary("Inject a fault").WithDescription("kind by name: Throttle (429 with Retry-After), Error (status), Latency, LostResponse (done, then the connection drops); for the requests under pathPrefix, times or with a probability.")
            .Accepts<Fault>("application/json");
        sim.MapDelete("/faults", (SimulatorFaults faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        }).WithSummary("Remove every fault");
        sim.MapGet("/requests", (SimulatorLog log) => TypedResults.Json(log.Snapshot(), ControlJson.Default.IReadOnlyListReceivedRequest))
            .WithSummary("The Partner Center requests received").Produces<IReadOnlyList<ReceivedRequest>>();
        sim.MapPost("/drift", DriftAsync).WithSummary("Change Partner Center as its portal would, behind the platform's back").Accepts<Drift>("application/json");
        sim.MapPost("/usage", SpikeAsync).WithSummary("Multiply an Azure plan's usage on a day").Accepts<UsageSpike>("application/json");
    }

    /// <summary>
    /// The control routes read their bodies as strictly as the platform's API: each field by its name and type, none
    /// missing or unknown, enums by name; a wrong body is Microsoft's 400 invalid input, and changes nothing.
    /// </summary>
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    private static async Task<(T? Value, IResult? Refused)> ReadAsync<T>(HttpRequest request, Func<T, string?> check)
        where T : class
    {
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(request.Body, Strict, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return (null, MicrosoftErrors.InvalidInput($"The body is not a {typeof(T).Name}: {e.Path ?? "$"} is wrong or missing."));
        }

        return value is null ? (null, MicrosoftErrors.InvalidInput($"The body must be a {typeof(T).Name}."))
            : check(value) is { } problem ? (null, MicrosoftErrors.InvalidInput(problem))
            : (value, null);
    }

    private static async Task<IResult> SpikeAsync(HttpRequest request, SimulatorDb db, IssuedInvoices invoices, CancellationToken cancellationToken)
    {
        var (spike, refused) = await ReadAsync<UsageSpike>(request, s => s.Factor is < 0 or > 1000 ? "factor must be from 0 to 1000." : null);
        if (spike is null)
        {
            return refused!;
        }

        if (!await db.Subscriptions.AnyAsync(s => s.Id == spike.SubscriptionId && s.IsUsage, cancellationToken))
        {
            return MicrosoftErrors.InvalidInput("subscriptionId must be an Azure plan subscription.");
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
    private static async Task<IResult> DriftAsync(HttpRequest request, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options, CancellationToken cancellationToken)
    {
        var (drift, refused) = await ReadAsync<Drift>(request, d => d.Quantity is < 1 or > 100_000 ? "quantity must be from 1 to 100000." : null);
        if (drift is null)
        {
            return refused!;
        }

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
            AuditRecords.Add(db, customer, "subscription", "update_subscription", now, before, Subscriptions.View(subscription, now, options.Value), SimulatorJson.Default.SubscriptionResource, subscription.Id, AuditRecords.InPortal);
            await db.SaveChangesAsync(cancellationToken);
            return Results.NoContent();
        }

        if (drift.CatalogItemId is null || Catalog.Find(drift.CatalogItemId) is not { } offer || offer.IsUsage)
        {
            return Results.NotFound();
        }

        var line = new CartLineRequest(0, offer.CatalogItemId, drift.Quantity ?? 1, drift.TermDuration ?? "P1Y", drift.BillingCycle ?? "monthly");
        var orderId = Carts.NewOrderId();
        var created = Carts.Subscribe(customer, offer, line, orderId, now);
        db.Subscriptions.Add(created);
        Carts.Place(db, customer, orderId, [new SimOrderLine(0, offer.CatalogItemId, created.Id.ToString(), created.Quantity, created.TermDuration, created.BillingCycle, FriendlyName: created.OfferName)], now, options.Value, AuditRecords.InPortal);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/v1/customers/{customer.Id}/subscriptions/{created.Id}", created.Id);
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClockState))]
[JsonSerializable(typeof(IReadOnlyList<ReceivedRequest>))]
internal sealed partial class ControlJson : JsonSerializerContext;
