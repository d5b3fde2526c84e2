using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>The migrations and the model, on both providers.</summary>
public abstract class PersistenceTests<TDatabase>(DemoFixture<TDatabase> fixture) : IClassFixture<DemoFixture<TDatabase>>
    where TDatabase : TestDatabase, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrations_AtStartUp_AreAllApplied()
    {
        var (applied, pending, all) = await fixture.App.WithDbAsync(async db => (
            (await db.Database.GetAppliedMigrationsAsync(Cancel)).ToList(),
            (await db.Database.GetPendingMigrationsAsync(Cancel)).ToList(),
            db.Database.GetMigrations().ToList()));

        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Empty(pending);
    }

    [Fact]
    public async Task Migrations_Model_HasNoChangesMissingAMigration()
    {
        var pendingChanges = await fixture.App.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        Assert.False(pendingChanges);
    }

    [Fact]
    public async Task Subscription_WithEveryFieldSet_RoundTrips()
    {
        var startedAt = new DateTimeOffset(2026, 11, 20, 14, 2, 33, 123, TimeSpan.Zero);
        var written = await fixture.App.WithDbAsync(async db =>
        {
            var customer = await db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel);
            var subscription = new Subscription(
                Guid.NewGuid(), customer.PartnerId, customer.Id, Guid.NewGuid(), "CFQ7TTC0LFLZ", "0002", "CFQ7TTC0K5GF", "Microsoft 365 E5 — finance team",
                Term.P3Y, BillingPlan.Triennial, 250, new DateOnly(2024, 2, 29), new DateOnly(2026, 11, 20), new DateOnly(2029, 11, 19), startedAt,
                SubscriptionStatus.Suspended, EndOfTerm.Est, false, 2052.123456m, "EUR", "39NFJQT1PJQB:0001:39NFJQT1Q5KN", true);
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync(Cancel);
            return subscription;
        });

        var read = await fixture.App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == written.Id, Cancel));

        Assert.NotSame(written, read);
        Assert.Equivalent(written, read, strict: true);
        Assert.Equal("CFQ7TTC0LFLZ:0002:CFQ7TTC0K5GF", read.CatalogItemId);
        Assert.Equal(startedAt, read.TermStartedAt);
        Assert.Equal(2052.123456m, read.UnitPrice);
    }

    [Fact]
    public async Task SubscriptionEvent_Recorded_CanBeNeitherUpdatedNorDeleted()
    {
        var recorded = await fixture.App.WithDbAsync(db => db.SubscriptionEvents.OrderBy(e => e.Id).FirstAsync(Cancel));

        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.App.WithDbAsync(async db =>
        {
            db.SubscriptionEvents.Remove(await db.SubscriptionEvents.SingleAsync(e => e.Id == recorded.Id, Cancel));
            return await db.SaveChangesAsync(Cancel);
        }));
        var update = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.App.WithDbAsync(async db =>
        {
            var loaded = await db.SubscriptionEvents.SingleAsync(e => e.Id == recorded.Id, Cancel);
            db.Entry(loaded).Property(e => e.Change).CurrentValue = "rewritten";
            return await db.SaveChangesAsync(Cancel);
        }));

        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Equal(recorded.Change, await fixture.App.WithDbAsync(db => db.SubscriptionEvents.Where(e => e.Id == recorded.Id).Select(e => e.Change).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task PartnerFilter_ScopedToAReseller_SeesOnlyItsOwnRows()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var partners = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).ToListAsync(Cancel);
        var reseller = partners.First(p => p.Kind == PartnerKind.Reseller);

        var unscoped = await db.Customers.CountAsync(Cancel);
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(reseller.Id, partners.Select(p => (p.Id, p.ParentPartnerId)));

        Assert.Equal(0, unscoped);
        Assert.Equal([reseller.Id], await db.Partners.Select(p => p.Id).ToListAsync(Cancel));
        Assert.All(await db.Customers.ToListAsync(Cancel), c => Assert.Equal(reseller.Id, c.PartnerId));
        Assert.All(await db.Subscriptions.ToListAsync(Cancel), s => Assert.Equal(reseller.Id, s.PartnerId));
        Assert.All(await db.SubscriptionEvents.Take(50).ToListAsync(Cancel), e => Assert.Equal(reseller.Id, e.PartnerId));
    }

    [Fact]
    public async Task RowsWrittenInBulk_ReadBackAsWritten_AndTheirTableIsSampledAfter()
    {
        var (partnerId, month) = (Guid.NewGuid(), new DateOnly(2031, 1, 1));
        var marks = Enumerable.Range(0, 300)
            .Select(i => new BilledCustomerMonth(partnerId, month, Guid.NewGuid(), $"8/{i}/3/engine", i, new DateTimeOffset(2026, 11, 30, 23, 59, 59, 123, TimeSpan.Zero).AddTicks(i * 10)))
            .OrderBy(m => m.CustomerId)
            .ToList();

        var (cache, read, sampled, counted) = await fixture.App.WithDbAsync(async db =>
        {
            var before = await CacheSizeAsync(db);
            long? during;
            await using (await db.OpenForBulkWritesAsync(Cancel))
            {
                during = await CacheSizeAsync(db);
                await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
                await BulkInsert.WriteAsync(db, marks, Cancel);
                await transaction.CommitAsync(Cancel);
            }

            await db.SampleAsync([typeof(BilledCustomerMonth)], Cancel);
            var postgres = db.Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite";
            return (
                (before, during, after: await CacheSizeAsync(db)),
                await db.BilledCustomerMonths.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(b => b.PartnerId == partnerId).OrderBy(b => b.CustomerId).ToListAsync(Cancel),
                postgres ? await db.Database.SqlQuery<float>($"SELECT reltuples AS \"Value\" FROM pg_class WHERE relname = 'BilledCustomerMonths'").SingleAsync(Cancel) : (float?)null,
                await db.BilledCustomerMonths.IgnoreQueryFilters([CommerceDb.PartnerFilter]).CountAsync(Cancel));
        });

        Assert.Equivalent(marks, read, strict: true);
        Assert.Equal(marks.Select(m => m.CustomerId), read.Select(m => m.CustomerId));
        if (typeof(TDatabase) == typeof(SqliteDatabase))
        {
            // SQLite's connection caches 128 MB while it writes in bulk, and is given back with the cache it had (the log's
            // checkpoint is set and given back alike).
            Assert.Equal(-CommerceDb.BulkCacheKilobytes, cache.during);
            Assert.Equal(cache.before, cache.after);
            Assert.NotEqual(cache.before, cache.during);
        }
        else
        {
            // PostgreSQL's statistics count the rows just written: the planner knows they are there.
            Assert.Equal(counted, sampled);
        }
    }

    /// <summary>SQLite's page cache of the context's connection (negative: in kilobytes); null on PostgreSQL.</summary>
    private static async Task<long?> CacheSizeAsync(CommerceDb db)
    {
        if (db.Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite")
        {
            return null;
        }

        await db.Database.OpenConnectionAsync(Cancel);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size;";
            return Convert.ToInt64(await command.ExecuteScalarAsync(Cancel), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public async Task Availability_OfferedTerms_RoundTrip()
    {
        var availability = await fixture.App.WithDbAsync(db => db.Availabilities.SingleAsync(a => a.CatalogItemId == "CFQ7TTC0LFLX:0001:CFQ7TTC0K5DQ", Cancel));

        Assert.Equal(6, availability.Terms.Count);
        Assert.Contains(new OfferedTerm(Term.P3Y, BillingPlan.Triennial), availability.Terms);
    }
}

public sealed class SqlitePersistenceTests(DemoFixture<SqliteDatabase> fixture) : PersistenceTests<SqliteDatabase>(fixture);

public sealed class PostgresPersistenceTests(DemoFixture<PostgresDatabase> fixture) : PersistenceTests<PostgresDatabase>(fixture);
