using System.Data.Common;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Features;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator;

/// <summary>How a host carries the simulator: its services, its database, and its routes.</summary>
public static class PartnerCenterSimulator
{
    /// <summary>Registers the simulator; its clock runs on the host's <see cref="TimeProvider"/>, moved by <c>/_sim/clock</c>.</summary>
    public static IServiceCollection AddPartnerCenterSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.Section)).ValidateOnStart();
        services.AddSingleton(provider => new SimulatorClock(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SimulatorFaults>();
        services.AddSingleton<SimulatorThrottle>();
        services.AddSingleton<SimulatorLog>();
        services.AddSingleton<OneCallAtATime>();
        services.AddSingleton<SimulatorTokens>();
        services.AddSingleton<IssuedInvoices>();
        services.AddDbContext<SimulatorDb>((provider, options) => options
            .UseSqlite(provider.GetRequiredService<IOptions<SimulatorOptions>>().Value.ConnectionString)
            .AddInterceptors(WriteAheadLog.Instance));
        return services;
    }

    public static async Task MigrateSimulatorAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDb>();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
    }

    /// <summary>
    /// Each connection commits to the write-ahead log without waiting for the disk (<c>synchronous = NORMAL</c>): the
    /// simulator is a test double, and a commit per call at disk speed would make it the slowest part of every test.
    /// </summary>
    private sealed class WriteAheadLog : DbConnectionInterceptor
    {
        public static readonly WriteAheadLog Instance = new();

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Microsoft's routes under <c>/v1</c> and Graph's billing routes under <c>/v1.0</c>, behind the
    /// <see cref="SimulatorGate"/>; export blobs under <c>/_blobs</c> (SAS-signed); the control routes under <c>/_sim</c>.
    /// </summary>
    public static void MapPartnerCenterSimulator(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments("/v1.0"), v1 =>
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
        Transitions.Map(routes);
        AuditRecords.Map(routes);
        CustomTermEndDates.Map(routes);
        Promotions.Map(routes);
        Invoices.Map(routes);
        BillingExports.Map(app);
        PriceSheets.Map(app);
        Login.Map(app);
        Control.Map(app);
    }
}
