using Csp.PartnerCenter.Simulator;

// The Partner Center simulator on its own: its own port and SQLite file (Simulator:Database, default simulator.db).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddPartnerCenterSimulator(builder.Configuration);
var app = builder.Build();
await app.Services.MigrateSimulatorAsync(app.Lifetime.ApplicationStopping);
app.MapPartnerCenterSimulator();
await app.RunAsync();

namespace Csp.PartnerCenter.Simulator
{
    /// <summary>The standalone simulator host; public so tests can start it on a real port.</summary>
    public sealed partial class SimulatorHost;
}
