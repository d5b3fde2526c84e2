using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Csp.PartnerCenter.Simulator.Data;

/// <summary>Used by <c>dotnet ef migrations add</c> only; the connection string is never opened.</summary>
public sealed class SimulatorDbFactory : IDesignTimeDbContextFactory<SimulatorDb>
{
    public SimulatorDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SimulatorDb>().UseSqlite("Data Source=design-time.db").Options);
}
