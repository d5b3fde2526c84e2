using Csp.PartnerCenter.Simulator.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.PartnerCenter.Tests.Simulator;

public class SimulatorDbTests
{
    [Fact]
    public void Model_HasNoChangeThatAMigrationDoesNotCover()
    {
        using var db = new SimulatorDbFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The simulator's model changed: add a migration with dotnet ef migrations add.");
    }
}
