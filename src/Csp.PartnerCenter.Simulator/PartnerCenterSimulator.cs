using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Features;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator;

/// <summary>How a host carries the simulator: its services, its database, and its routes.</summary>
public static class PartnerCenterSimulator
{
    /// <summary>Registers the simulator; its clock runs on the host's <see cref="TimeProvider"/>, moved by <c>/_sim/clock</c>.</summary>
    public static IServiceCollection AddPartnerCenterSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SimulatorOptions>(configuration.GetSection("Simulator"));
        services.AddSingleton(provider => new SimulatorClock(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SimulatorFaults>();
        services.AddSingleton<SimulatorThrottle>();
        services.AddSingleton<SimulatorLog>();
        services.AddDbContext<SimulatorDb>((provider, options) => options.UseSqlite(provider.GetRequiredService<IOptions<SimulatorOptions>>().Value.ConnectionString));
        return services;
    }

    public static async Task MigrateSimulatorAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SimulatorDb>().Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Microsoft's routes under <c>/v1</c>, behind the <see cref="SimulatorGate"/>, and the control routes under <c>/_sim</c>.</summary>
    public static void MapPartnerCenterSimulator(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v1"), v1 =>
        {
            v1.Use(async (context, next) =>
            {
                var clock = context.RequestServices.GetRequiredService<SimulatorClock>();
                context.RequestServices.GetRequiredService<SimulatorLog>().Add(new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers["MS-RequestId"], clock.GetUtcNow()));
                await next(context);
            });
            v1.UseMiddleware<SimulatorGate>();
        });
        var routes = app.MapGroup("/v1");
        Customers.Map(routes);
        Catalog.Map(routes);
        Carts.Map(routes);
        Subscriptions.Map(routes);
        Control.Map(app);
    }
}
