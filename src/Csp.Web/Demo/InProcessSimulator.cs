using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Features;
using Microsoft.EntityFrameworkCore;

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
        var directory = Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment.EnvironmentName, ContentRootPath = environment.ContentRootPath });
        builder.Configuration.AddInMemoryCollection(configuration.GetSection("Simulator").AsEnumerable());
        builder.Configuration["Simulator:ConnectionString"] = $"Data Source={Path.Combine(directory, "simulator.db")}";
        builder.WebHost.UseUrls(configuration["Demo:SimulatorUrl"] ?? DefaultUrl);
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
            OrderId = "demo",
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
            SeatAdditionsJson = Seats.Write([new SeatAddition(s.Quantity, s.TermStartedAt)]),
            PromotionId = s.PromotionId,
            UnitPrice = s.UnitPrice,
            Currency = s.Currency,
        }));
        await simulator.SaveChangesAsync(cancellationToken);
    }
}
