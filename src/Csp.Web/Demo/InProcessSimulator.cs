using System.Text.Json;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Features;
using Csp.PartnerCenter.Simulator.Wire;
using Csp.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.Web.Demo;

/// <summary>
/// Demo mode's Partner Center: the simulator, in this process, on its own loopback address (<c>Demo:SimulatorUrl</c>),
/// its SQLite file beside the platform's, on the platform's clock, and seeded — when empty — with the platform's demo
/// customers and subscriptions, so that what the platform shows and what "Microsoft" holds agree.
/// </summary>
public static class InProcessSimulator
{
    public const string DefaultUrl = "http://127.0.0.1:5081";

    public static async Task<WebApplication> StartAsync(IServiceProvider platform, IConfiguration configuration, IHostEnvironment environment, CancellationToken cancellationToken)
    {
        var directory = Database.DataDirectory(configuration, environment);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment.EnvironmentName, ContentRootPath = environment.ContentRootPath });
        builder.Configuration.AddInMemoryCollection(configuration.GetSection(SimulatorOptions.Section).AsEnumerable());
        builder.Configuration[$"{SimulatorOptions.Section}:{nameof(SimulatorOptions.ConnectionString)}"] = $"Data Source={Path.Combine(directory, "simulator.db")}";
        builder.WebHost.UseUrls(configuration.Settings<DemoOptions>(DemoOptions.Section).SimulatorUrl);
        builder.Services.AddSingleton(platform.GetRequiredService<TimeProvider>());
        builder.Services.AddPartnerCenterSimulator(builder.Configuration);
        var simulator = builder.Build();
        await simulator.Services.MigrateSimulatorAsync(cancellationToken);
        simulator.MapPartnerCenterSimulator();
        await SeedAsync(platform, simulator.Services, cancellationToken);
        await simulator.StartAsync(cancellationToken);
        return simulator;
    }

    /// <summary>
    /// Copies the platform's demo customers and subscriptions into an empty simulator. It crosses partners on purpose:
    /// the simulator is the distributor's Partner Center, which holds the customers of every reseller below it.
    /// </summary>
    private static async Task SeedAsync(IServiceProvider platform, IServiceProvider simulatorServices, CancellationToken cancellationToken)
    {
        await using var simulatorScope = simulatorServices.CreateAsyncScope();
        var simulator = simulatorScope.ServiceProvider.GetRequiredService<SimulatorDb>();
        if (await simulator.Customers.AnyAsync(cancellationToken))
        {
            return;
        }

        await using var platformScope = platform.CreateAsyncScope();
        var db = platformScope.ServiceProvider.GetRequiredService<CommerceDb>();
        var customers = await db.Customers.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ToListAsync(cancellationToken);
        var subscriptions = await db.Subscriptions.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ToListAsync(cancellationToken);
        var events = (await db.SubscriptionEvents.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ToListAsync(cancellationToken)).ToLookup(e => e.SubscriptionId);
        var tenants = customers.ToDictionary(c => c.Id, c => c.CustomerTenantId);
        simulator.Customers.AddRange(customers.Select(c => new SimCustomer
        {
            Id = c.CustomerTenantId,
            CompanyName = c.Name,
            Domain = c.Domain,
            Country = c.Country,
            Currency = c.Currency,
            Culture = "en-US",
            Email = $"billing@{c.Domain}",
            CreatedAt = c.CreatedAt,
        }));
        simulator.Subscriptions.AddRange(subscriptions.Select(s => new SimSubscription
        {
            Id = s.MicrosoftSubscriptionId,
            CustomerId = tenants[s.CustomerId],
            OrderId = s.OrderId ?? DemoData.OrderIdOf(s.MicrosoftSubscriptionId),
            ProductId = s.ProductId,
            SkuId = s.SkuId,
            AvailabilityId = s.AvailabilityId,
            OfferName = s.FriendlyName,
            Quantity = s.Quantity,
            TermDuration = s.Term?.ToIso() ?? "",
            BillingCycle = s.Term is null ? "none" : s.BillingPlan.ToMicrosoft().ToLowerInvariant(),
            Status = s.Status,
            AutoRenewEnabled = s.AutoRenewEnabled,
            IsTrial = s.IsTrial,
            IsUsage = s.Term is null,
            CreatedAt = s.TermStartedAt,
            TermStartedAt = s.TermStartedAt,
            TermStartDate = s.TermStartDate,
            TermEndDate = s.TermEndDate,
            EndOfTermAction = s.EndOfTerm switch
            {
                EndOfTerm.Cancel => EndOfTermActions.Cancel,
                EndOfTerm.Renew => EndOfTermActions.Renew,
                EndOfTerm.Est => EndOfTermActions.Est,
                _ => null,
            },
            SeatAdditionsJson = Seats.Write(SubscriptionEvent.SeatAdditionsOfTerm(events[s.Id], s.TermStartedAt)),
            PromotionId = s.PromotionId,
            PromotionDiscount = s.PromotionDiscount,
            UnitPrice = s.UnitPrice,
            Currency = s.Currency,
        }));
        await simulator.SaveChangesAsync(cancellationToken);
        await SeedHistoryAsync(db, simulator, simulatorServices.GetRequiredService<IOptions<SimulatorOptions>>().Value, cancellationToken);
    }

    /// <summary>
    /// The demo's history as Partner Center's audit records — each purchase an order, each change of seats, status or
    /// end-of-term decision an update of the subscription — so that the simulator bills the demo months exactly as the
    /// platform expects them.
    /// </summary>
    private static async Task SeedHistoryAsync(CommerceDb db, SimulatorDb simulator, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var customers = await simulator.Customers.ToDictionaryAsync(c => c.Id, cancellationToken);
        var seeded = await simulator.Subscriptions.ToDictionaryAsync(s => s.Id, cancellationToken);
        var subscriptions = await db.Subscriptions.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ToDictionaryAsync(s => s.Id, cancellationToken);
        var history = (await db.SubscriptionEvents.IgnoreQueryFilters([CommerceDb.PartnerFilter]).OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .GroupBy(e => e.SubscriptionId);
        foreach (var events in history)
        {
            var platform = subscriptions[events.Key];
            var sim = seeded[platform.MicrosoftSubscriptionId];
            var customer = customers[sim.CustomerId];
            var purchase = events.FirstOrDefault(e => e.Kind == SubscriptionEventKind.Purchased);
            if (purchase is null)
            {
                continue;
            }

            var line = new SimOrderLine(0, platform.CatalogItemId, sim.Id.ToString(), purchase.QuantityAfter ?? sim.Quantity, sim.TermDuration, sim.BillingCycle, FriendlyName: sim.OfferName);
            var order = new SimOrder { Id = sim.OrderId, CustomerId = customer.Id, CreatedAt = purchase.OccurredAt, LineItemsJson = JsonSerializer.Serialize<IReadOnlyList<SimOrderLine>>([line], SimulatorJson.Default.IReadOnlyListSimOrderLine) };
            AuditRecords.Add(simulator, customer, "order", "create_order", purchase.OccurredAt, null,
                Carts.View(order, customer, purchase.OccurredAt, options) with { Status = "completed" }, SimulatorJson.Default.OrderResource);

            var state = Csp.PartnerCenter.Simulator.Features.Subscriptions.View(sim, purchase.OccurredAt, options) with
            {
                Quantity = line.Quantity,
                Status = "active",
                AutoRenewEnabled = true,
                ScheduledActions = null,
            };
            foreach (var e in events.Where(e => e.Kind is SubscriptionEventKind.QuantityChanged or SubscriptionEventKind.EndOfTermChanged or SubscriptionEventKind.StatusChanged))
            {
                var next = e.Kind switch
                {
                    SubscriptionEventKind.QuantityChanged => state with { Quantity = e.QuantityAfter ?? state.Quantity },
                    SubscriptionEventKind.StatusChanged => state with { Status = e.StatusAfter?.ToString().ToLowerInvariant() ?? state.Status },
                    _ => state with
                    {
                        AutoRenewEnabled = e.EndOfTermAfter is EndOfTerm.Renew,
                        ScheduledActions = e.EndOfTermAfter switch
                        {
                            EndOfTerm.Cancel => [new ScheduledActionResource("TermEnd", EndOfTermActions.Cancel)],
                            EndOfTerm.Renew => [new ScheduledActionResource("TermEnd", EndOfTermActions.Renew)],
                            EndOfTerm.Est => [new ScheduledActionResource("TermEnd", EndOfTermActions.Est)],
                            _ => null,
                        },
                    },
                };
                AuditRecords.Add(simulator, customer, "subscription", "update_subscription", e.OccurredAt, state, next, SimulatorJson.Default.SubscriptionResource, sim.Id);
                state = next;
            }
        }

        await simulator.SaveChangesAsync(cancellationToken);
    }
}
