namespace Csp.PartnerCenter.Simulator;

/// <summary>
/// The Partner Center simulator on its own: its own port and SQLite file (<c>Simulator:ConnectionString</c>, default
/// <c>simulator.db</c>). An explicit entry point rather than top-level statements, whose generated <c>Program</c> would
/// clash with the platform's host, which references this assembly.
/// </summary>
public sealed class SimulatorHost
{
    private SimulatorHost()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPartnerCenterSimulator(builder.Configuration);
        builder.Services.AddOpenApi("simulator");
        var app = builder.Build();
        await app.Services.MigrateSimulatorAsync(app.Lifetime.ApplicationStopping);
        app.MapPartnerCenterSimulator();

        // The simulator's routes, its control API (/_sim) with each body's names, at /openapi/simulator.json.
        app.MapOpenApi();
        await app.RunAsync();
    }
}
