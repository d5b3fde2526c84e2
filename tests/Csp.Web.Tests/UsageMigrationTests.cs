using Csp.Data;
using Csp.Migrations.Postgres;
using Csp.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Csp.Web.Tests;

/// <summary>
/// Usage imported before the totals were compacted (migration CompactUsageTotals) keeps every sum, with its customer,
/// subscription and day, and its import learns its first and last day: on both providers.
/// </summary>
public abstract class UsageMigrationTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompactUsageTotals_KeepsEveryTotalOfEarlierImports()
    {
        await using var database = new TDatabase();
        var options = new DbContextOptionsBuilder<CommerceDb>();
        _ = database.Provider == "Sqlite" ? SqliteCommerceDb.Use(options, database.ConnectionString) : PostgresCommerceDb.Use(options, database.ConnectionString);
        await using var db = new CommerceDb(options.Options, new PartnerScope());
        var migrator = db.GetService<IMigrator>();
        var all = db.Database.GetMigrations().ToList();
        await migrator.MigrateAsync(all[all.FindIndex(m => m.EndsWith("_CompactUsageTotals", StringComparison.Ordinal)) - 1], Cancel);

        var partner = Guid.NewGuid();
        // Written as that migration's schema holds it: the model of today has columns it does not have yet.
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "Partners" ("Id", "Name", "Kind", "Country", "BillingCurrency", "BillingTimeZone", "CreatedAt") VALUES ({partner}, {"Contoso Distribution"}, {"Distributor"}, {"IE"}, {"EUR"}, {"Europe/Dublin"}, {DateTimeOffset.UnixEpoch})""",
            Cancel);
        var (march, april) = (Guid.NewGuid(), Guid.NewGuid());
        var (customer, plan, otherPlan) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        (Guid Import, Guid Subscription, DateOnly Day, decimal Quantity, decimal Total, int Rows)[] before =
        [
            (march, plan, new DateOnly(2026, 3, 1), 1.5m, 10.123456m, 3),
            (march, plan, new DateOnly(2026, 3, 31), 2m, 0.000001m, 1),
            (march, otherPlan, new DateOnly(2026, 3, 2), 4m, -3.5m, 2),
            (april, plan, new DateOnly(2026, 4, 15), 7m, 99.99m, 5),
        ];
        foreach (var import in new[] { march, april })
        {
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "UsageImports" ("Id", "PartnerId", "FileName", "FileSha256", "ImportedAt", "Rows", "Days", "BillingPreTaxTotal", "Warnings") VALUES ({import}, {partner}, {"usage.csv"}, {import.ToString("N")}, {DateTimeOffset.UnixEpoch}, {0L}, {0}, {0m}, {""})""",
                Cancel);
        }

        foreach (var t in before)
        {
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "DailyUsageTotals" ("UsageImportId", "PartnerId", "CustomerTenantId", "SubscriptionId", "UsageDate", "Quantity", "BillingPreTaxTotal", "Rows") VALUES ({t.Import}, {partner}, {customer}, {t.Subscription}, {t.Day}, {t.Quantity}, {t.Total}, {t.Rows})""",
                Cancel);
        }

        await migrator.MigrateAsync(cancellationToken: Cancel);

        var after = await db.DailyUsageTotals.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Join(db.UsageImportSubscriptions.IgnoreQueryFilters([CommerceDb.PartnerFilter]), t => new { t.UsageImportId, Number = t.SubscriptionNumber }, s => new { s.UsageImportId, s.Number }, (t, s) => new { t.UsageImportId, s.PartnerId, s.CustomerTenantId, s.SubscriptionId, t.UsageDate, t.Quantity, t.BillingPreTaxTotal, t.Rows })
            .ToListAsync(Cancel);
        var imports = await db.UsageImports.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ToDictionaryAsync(i => i.Id, i => (i.FirstUsageDate, i.LastUsageDate), Cancel);

        Assert.Equal(
            before.Select(t => (t.Import, partner, customer, t.Subscription, t.Day, t.Quantity, t.Total, t.Rows)).Order(),
            after.Select(t => (t.UsageImportId, t.PartnerId, t.CustomerTenantId, t.SubscriptionId, t.UsageDate, t.Quantity, t.BillingPreTaxTotal, t.Rows)).Order());
        Assert.Equal(((DateOnly?)new DateOnly(2026, 3, 1), (DateOnly?)new DateOnly(2026, 3, 31)), imports[march]);
        Assert.Equal(((DateOnly?)new DateOnly(2026, 4, 15), (DateOnly?)new DateOnly(2026, 4, 15)), imports[april]);
    }
}

public sealed class SqliteUsageMigrationTests : UsageMigrationTests<SqliteDatabase>;

public sealed class PostgresUsageMigrationTests : UsageMigrationTests<PostgresDatabase>;
