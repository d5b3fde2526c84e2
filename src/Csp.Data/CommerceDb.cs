using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Csp.Data;

/// <summary>The platform's database: one context, two providers (SQLite embedded, PostgreSQL in production).</summary>
/// <remarks>
/// Every entity a partner owns carries the "Partner" named query filter, scoped by <see cref="PartnerScope"/>;
/// <c>IgnoreQueryFilters(["Partner"])</c> is for jobs and seeding only, with a comment saying why. Money
/// columns are exact decimals with explicit precision, and no money is computed in SQL.
/// </remarks>
public sealed class CommerceDb(DbContextOptions<CommerceDb> options, PartnerScope scope) : DbContext(options)
{
    public const string PartnerFilter = "Partner";

    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Sku> Skus => Set<Sku>();

    public DbSet<Availability> Availabilities => Set<Availability>();

    public DbSet<Price> Prices => Set<Price>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<SubscriptionEvent> SubscriptionEvents => Set<SubscriptionEvent>();

    public DbSet<Reconciliation> Reconciliations => Set<Reconciliation>();

    public DbSet<ReconciliationDifference> ReconciliationDifferences => Set<ReconciliationDifference>();

    public DbSet<UsageImport> UsageImports => Set<UsageImport>();

    public DbSet<UsageImportSubscription> UsageImportSubscriptions => Set<UsageImportSubscription>();

    public DbSet<DailyUsageTotal> DailyUsageTotals => Set<DailyUsageTotal>();

    public DbSet<PartnerCenterSync> PartnerCenterSyncs => Set<PartnerCenterSync>();

    public DbSet<PartnerCenterChange> PartnerCenterChanges => Set<PartnerCenterChange>();

    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<DashboardFigures> DashboardFigures => Set<DashboardFigures>();

    public DbSet<ChangeRequest> ChangeRequests => Set<ChangeRequest>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<PartnerTenant> PartnerTenants => Set<PartnerTenant>();

    public DbSet<User> Users => Set<User>();

    public DbSet<AccessEvent> AccessEvents => Set<AccessEvent>();

    public DbSet<MarginRuleVersion> MarginRules => Set<MarginRuleVersion>();

    public DbSet<TaxRate> TaxRates => Set<TaxRate>();

    public DbSet<PartnerExchangeRate> ExchangeRates => Set<PartnerExchangeRate>();

    public DbSet<CustomerInvoice> Invoices => Set<CustomerInvoice>();

    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();

    public DbSet<InvoiceSequence> InvoiceSequences => Set<InvoiceSequence>();

    public DbSet<BillingRun> BillingRuns => Set<BillingRun>();

    public DbSet<BilledCustomerMonth> BilledCustomerMonths => Set<BilledCustomerMonth>();

    public DbSet<SalesTotal> SalesTotals => Set<SalesTotal>();

    public DbSet<PartnerBranding> Brandings => Set<PartnerBranding>();

    /// <summary>Secrets kept across restarts, encrypted: the platform's (no partner filter).</summary>
    public DbSet<StoredSecret> StoredSecrets => Set<StoredSecret>();

    /// <summary>The Data Protection key ring every host shares: the platform's (no partner filter).</summary>
    public DbSet<ProtectionKey> ProtectionKeys => Set<ProtectionKey>();

    /// <summary>The scheduled jobs' firings: the platform's, not a partner's (no partner filter).</summary>
    public DbSet<JobRun> JobRuns => Set<JobRun>();

    /// <summary>
    /// A second context on the same database, in the same scope, with its own connection: for work that runs beside this
    /// context's (a billing run writes one page while it reads the next). The caller disposes it.
    /// </summary>
    public CommerceDb Sibling() => new((DbContextOptions<CommerceDb>)this.GetService<IDbContextOptions>(), scope);

    /// <summary>Whether this context is on SQLite (else PostgreSQL), for the settings and upkeep one of them needs.</summary>
    public bool OnSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>The partners this context may see; read by the query filters on every query.</summary>
    public IReadOnlyList<Guid> VisiblePartnerIds => scope.PartnerIds;

    /// <summary>A customer user's one customer, which its customers and subscriptions are narrowed to; null for everyone else.</summary>
    public Guid? VisibleCustomerId => scope.CustomerId;

    /// <summary>
    /// Brings the query planner's statistics up to date where the database does not do it itself. SQLite plans without
    /// statistics until <c>ANALYZE</c> runs: it then takes an index on the partner (every query names one) for one on the
    /// customer and reads a partner's every subscription to find one customer's. <c>PRAGMA optimize</c> analyzes only the
    /// tables that grew or shrank many times over since (reading every row: a sample misjudged a partner's share), so it is
    /// cheap when nothing changed. PostgreSQL's autovacuum analyzes as tables change.
    /// </summary>
    public Task RefreshStatisticsAsync(CancellationToken cancellationToken) =>
        OnSqlite
            ? Database.ExecuteSqlRawAsync("PRAGMA optimize = 0x10002;", cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// Until the current transaction ends, keeps every other writer of invoice lines, and every other holder of this lock,
    /// waiting: on PostgreSQL a lock on the lines' table that only readers share. SQLite has one writer at a time, and a
    /// host of its own.
    /// </summary>
    public Task HoldInvoiceLinesAsync(CancellationToken cancellationToken)
    {
        if (OnSqlite)
        {
            return Task.CompletedTask;
        }

        var entity = Model.FindEntityType(typeof(InvoiceLine))!;
        // The table's name is the model's, never input.
        var lockTable = $"LOCK TABLE {this.GetService<ISqlGenerationHelper>().DelimitIdentifier(entity.GetTableName()!, entity.GetSchema())} IN SHARE ROW EXCLUSIVE MODE;";
        return Database.ExecuteSqlRawAsync(lockTable, cancellationToken);
    }

    /// <summary>
    /// Samples the statistics of the tables of <paramref name="entities"/> anew on PostgreSQL, after writing many rows to them:
    /// autovacuum samples a table about a minute after it changed, and until then the planner takes rows that were not there
    /// when last sampled to be none — a billing run's month of lines, which grows from nothing, it would search for a page's
    /// customers by reading every line of the month. SQLite chooses by its indexes' columns while a table has no statistics.
    /// </summary>
    public Task SampleAsync(IEnumerable<Type> entities, CancellationToken cancellationToken)
    {
        if (OnSqlite)
        {
            return Task.CompletedTask;
        }

        var sql = this.GetService<ISqlGenerationHelper>();
        var tables = entities.Select(e => Model.FindEntityType(e) ?? throw new InvalidOperationException($"{e.Name} is not in the model."))
            .Select(e => sql.DelimitIdentifier(e.GetTableName()!, e.GetSchema()));
        // The tables' names are the model's, never input.
        var analyze = $"ANALYZE {string.Join(", ", tables)};";
        return Database.ExecuteSqlRawAsync(analyze, cancellationToken);
    }

    /// <summary>
    /// Keeps this context's connection open until the result is disposed, and on SQLite, meanwhile, lets it cache
    /// <see cref="BulkCacheKilobytes"/> of the database instead of SQLite's 2 MB and copy its write-ahead log into the
    /// database every <see cref="BulkCheckpointPages"/> pages instead of every 1,000: a billing run's lines go into indexes
    /// keyed by random ids (the lines' own and their invoices'), so with the small cache each insert read back pages written
    /// a moment before (a run of 20,000 customers wrote its lines in 9.2 s instead of 12.5 s), and each page's commit copied
    /// again the index pages the last had copied.
    /// </summary>
    public async Task<IAsyncDisposable> OpenForBulkWritesAsync(CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        if (!OnSqlite)
        {
            return new BulkWrites(this, []);
        }

        var connection = Database.GetDbConnection();
        var before = new List<(string, long)>();
        foreach (var (pragma, value) in new[] { ("cache_size", -BulkCacheKilobytes), ("wal_autocheckpoint", BulkCheckpointPages) })
        {
            await using var read = connection.CreateCommand();
            read.CommandText = $"PRAGMA {pragma};";
            before.Add((pragma, Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture)));
            await SetAsync(connection, pragma, value, cancellationToken);
        }

        return new BulkWrites(this, before);
    }

    /// <summary>The page cache of a SQLite connection writing in bulk, in kilobytes.</summary>
    public const long BulkCacheKilobytes = 128 * 1024;

    /// <summary>The size of the write-ahead log, in pages, at which a SQLite connection writing in bulk copies it into the database.</summary>
    public const long BulkCheckpointPages = 16_384;

    private static async Task SetAsync(System.Data.Common.DbConnection connection, string pragma, long value, CancellationToken cancellationToken)
    {
        await using var set = connection.CreateCommand();
        set.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA {pragma} = {value};");
        await set.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives the pooled connection back with the settings it had (<paramref name="settings"/>).</summary>
    private sealed class BulkWrites(CommerceDb db, List<(string Pragma, long Value)> settings) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var (pragma, value) in settings)
            {
                await SetAsync(db.Database.GetDbConnection(), pragma, value, CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Puts a SQLite database in write-ahead-log mode (it stays so: the mode is kept in the file). A commit then appends to
    /// the log and syncs it once, instead of copying every page it changes to a rollback journal first and syncing both, and
    /// readers no longer wait for a writer: a month's billing run committed a page of 8,000 lines in 120 ms with the journal.
    /// Commits stay as durable as before (<c>synchronous</c> is left at <c>FULL</c>). PostgreSQL has its own log.
    /// </summary>
    public Task UseWriteAheadLogAsync(CancellationToken cancellationToken) =>
        OnSqlite
            ? Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken)
            : Task.CompletedTask;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseEditsToHistory();
        CountRevisions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseEditsToHistory();
        CountRevisions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Every subscription this save changes counts one more <see cref="Subscription.Revision"/>, whoever changed it.</summary>
    private void CountRevisions()
    {
        foreach (var entry in ChangeTracker.Entries<Subscription>().Where(e => e.State == EntityState.Modified).ToList())
        {
            entry.Entity.Revise();
        }
    }

    /// <remarks>
    /// A failed save is logged where it is handled: a unique key met twice by a concurrent request (the same file uploaded
    /// twice, the same record synced twice) is an answer, not an error; one nobody handles reaches the host's exception
    /// handler, which logs it as the error it is. EF Core's own error lines for it would say the same thing twice, or an
    /// error where there is none.
    /// </remarks>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ConfigureWarnings(warnings => warnings.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug)));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Prices carry up to six decimals (Microsoft's price sheets use four; effective prices more).
        configurationBuilder.Properties<decimal>().HavePrecision(19, 6);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<string>().HaveMaxLength(256);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Partner>(partner =>
        {
            partner.HasQueryFilter(PartnerFilter, p => VisiblePartnerIds.Contains(p.Id));
            partner.HasOne<Partner>().WithMany().HasForeignKey(p => p.ParentPartnerId).OnDelete(DeleteBehavior.Restrict);
            partner.Property(p => p.Country).HasMaxLength(2);
            partner.Property(p => p.BillingCurrency).HasMaxLength(3);
            partner.Property(p => p.BillingTimeZone).HasMaxLength(64);
            partner.Property(p => p.MpnId).HasMaxLength(16);
        });

        modelBuilder.Entity<Customer>(customer =>
        {
            customer.Ignore(c => c.InvoicedIn);
            customer.Property(c => c.InvoiceCurrency).HasMaxLength(3);
            customer.HasQueryFilter(PartnerFilter, c => VisiblePartnerIds.Contains(c.PartnerId) && (VisibleCustomerId == null || c.Id == VisibleCustomerId));
            customer.HasOne<Partner>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Restrict);
            customer.HasIndex(c => c.CustomerTenantId).IsUnique();
            customer.HasIndex(c => new { c.PartnerId, c.Name });
            customer.Property(c => c.Country).HasMaxLength(2);
            customer.Property(c => c.Currency).HasMaxLength(3);
            customer.Property(c => c.TaxId).HasMaxLength(32);
        });

        modelBuilder.Entity<Product>(product => product.Property(p => p.Id).HasMaxLength(16));

        modelBuilder.Entity<Sku>(sku =>
        {
            sku.HasKey(s => new { s.ProductId, s.Id });
            sku.HasOne<Product>().WithMany().HasForeignKey(s => s.ProductId);
            sku.Property(s => s.Id).HasMaxLength(8);
        });

        modelBuilder.Entity<Availability>(availability =>
        {
            availability.HasKey(a => new { a.ProductId, a.SkuId, a.Id });
            availability.HasOne<Sku>().WithMany().HasForeignKey(a => new { a.ProductId, a.SkuId });
            availability.HasIndex(a => a.CatalogItemId).IsUnique();
            availability.Property(a => a.Id).HasMaxLength(16);
            availability.Property(a => a.CatalogItemId).HasMaxLength(48);
            availability.OwnsMany(a => a.Terms, term =>
            {
                term.ToTable("AvailabilityTerms");
                term.WithOwner().HasForeignKey("ProductId", "SkuId", "AvailabilityId");
                term.HasKey("ProductId", "SkuId", "AvailabilityId", nameof(OfferedTerm.Term), nameof(OfferedTerm.BillingPlan));
            });
            availability.Navigation(a => a.Terms).HasField("terms").UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        modelBuilder.Entity<Price>(price =>
        {
            price.HasOne<Availability>().WithMany().HasForeignKey(p => new { p.ProductId, p.SkuId, p.AvailabilityId });
            price.HasIndex(p => new { p.ProductId, p.SkuId, p.AvailabilityId, p.Market, p.Currency, p.Term, p.BillingPlan, p.EffectiveFrom }).IsUnique();
            price.Property(p => p.Market).HasMaxLength(2);
            price.Property(p => p.Currency).HasMaxLength(3);
        });

        modelBuilder.Entity<Subscription>(subscription =>
        {
            subscription.HasQueryFilter(PartnerFilter, s => VisiblePartnerIds.Contains(s.PartnerId) && (VisibleCustomerId == null || s.CustomerId == VisibleCustomerId));
            subscription.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Restrict);
            subscription.HasOne<Partner>().WithMany().HasForeignKey(s => s.PartnerId).OnDelete(DeleteBehavior.Restrict);
            subscription.HasIndex(s => s.MicrosoftSubscriptionId).IsUnique();
            subscription.HasIndex(s => new { s.PartnerId, s.TermEndDate });

            // The renewals calendar's terms renewed in a month, and the renewal watch's open windows, are found by the term's first day.
            subscription.HasIndex(s => new { s.PartnerId, s.TermStartDate });
            subscription.HasIndex(s => s.CustomerId);
            subscription.Property(s => s.Currency).HasMaxLength(3);
            subscription.Property(s => s.CatalogItemId).HasMaxLength(48);
            subscription.Property(s => s.PromotionId).HasMaxLength(48);
            subscription.Property(s => s.OrderId).HasMaxLength(64);
            subscription.OwnsOne(s => s.ScheduledRenewal, RenewalScheduleColumns);
        });

        modelBuilder.Entity<SubscriptionEvent>(history =>
        {
            history.HasQueryFilter(PartnerFilter, e => VisiblePartnerIds.Contains(e.PartnerId));
            history.HasOne<Subscription>().WithMany().HasForeignKey(e => e.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
            history.HasIndex(e => new { e.SubscriptionId, e.Id });
            history.Property(e => e.Id).ValueGeneratedOnAdd();
            history.Property(e => e.Change).HasMaxLength(1024);
            history.OwnsOne(e => e.ScheduledRenewalAfter, RenewalScheduleColumns);
            history.OwnsOne(e => e.TermsBefore, TermsColumns);
            history.OwnsOne(e => e.TermsAfter, TermsColumns);
        });

        modelBuilder.Entity<Reconciliation>(reconciliation =>
        {
            reconciliation.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId));
            reconciliation.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
            reconciliation.HasIndex(r => new { r.PartnerId, r.FileSha256 }).IsUnique();
            reconciliation.Property(r => r.FileSha256).HasMaxLength(64);
        });

        modelBuilder.Entity<ReconciliationDifference>(difference =>
        {
            difference.HasQueryFilter(PartnerFilter, d => VisiblePartnerIds.Contains(d.PartnerId));
            difference.HasOne<Reconciliation>().WithMany().HasForeignKey(d => d.ReconciliationId).OnDelete(DeleteBehavior.Cascade);
            difference.HasIndex(d => new { d.ReconciliationId, d.Kind, d.Id });
            difference.Property(d => d.Id).ValueGeneratedOnAdd();
            difference.Property(d => d.Currency).HasMaxLength(3);
            difference.Property(d => d.Detail).HasMaxLength(1024);
        });

        modelBuilder.Entity<UsageImport>(import =>
        {
            import.HasQueryFilter(PartnerFilter, i => VisiblePartnerIds.Contains(i.PartnerId));
            import.HasOne<Partner>().WithMany().HasForeignKey(i => i.PartnerId).OnDelete(DeleteBehavior.Restrict);
            import.HasIndex(i => new { i.PartnerId, i.FileSha256 }).IsUnique();
            import.Property(i => i.FileSha256).HasMaxLength(64);
            import.Property(i => i.Warnings).HasMaxLength(4096);
        });

        // No foreign keys from a usage import's subscriptions and totals to it: they are written only by the bulk writer,
        // with their import, in one transaction; a key checked for each of a month's million rows cost more than the rest
        // of the write (PostgreSQL: 1.7 s of 3.0 s for 686,000 rows).
        modelBuilder.Entity<UsageImportSubscription>(subscription =>
        {
            subscription.HasQueryFilter(PartnerFilter, s => VisiblePartnerIds.Contains(s.PartnerId));
            subscription.HasKey(s => new { s.UsageImportId, s.Number });
        });

        modelBuilder.Entity<DailyUsageTotal>(usage =>
        {
            // A total is the partner's whose import is: one partner's import is not another's (the import's own filter).
            usage.HasQueryFilter(PartnerFilter, u => UsageImports.Any(i => i.Id == u.UsageImportId));

            // The key is the only index: a month's report reads the totals of the imports whose days reach into the month
            // (UsageImport.FirstUsageDate, LastUsageDate), in the key's order. On SQLite the table has no rowid (migration
            // CompactUsageTotals), so the key is the table itself.
            usage.HasKey(u => new { u.UsageImportId, u.SubscriptionNumber, u.UsageDate });
        });

        modelBuilder.Entity<PartnerCenterSync>(sync =>
        {
            sync.HasQueryFilter(PartnerFilter, s => VisiblePartnerIds.Contains(s.PartnerId));
            sync.HasKey(s => s.PartnerId);
            sync.HasOne<Partner>().WithOne().HasForeignKey<PartnerCenterSync>(s => s.PartnerId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<PartnerCenterChange>(change =>
        {
            change.HasQueryFilter(PartnerFilter, c => VisiblePartnerIds.Contains(c.PartnerId));
            change.HasOne<Partner>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Restrict);
            change.HasIndex(c => new { c.PartnerId, c.AuditKey }).IsUnique();
            change.HasIndex(c => new { c.PartnerId, c.IsDrift, c.Id });
            change.Property(c => c.Id).ValueGeneratedOnAdd();
            change.Property(c => c.AuditKey).HasMaxLength(64);
            change.Property(c => c.Description).HasMaxLength(1024);
        });

        modelBuilder.Entity<SyncRun>(run =>
        {
            run.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId));
            run.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);

            // One sync at a time per account: a second start finds the first, whichever host it came to.
            run.HasIndex(r => r.PartnerId).IsUnique().HasFilter("\"FinishedAt\" IS NULL").HasDatabaseName("IX_SyncRuns_PartnerId_Running");
            run.HasIndex(r => new { r.PartnerId, r.Id });
            run.Property(r => r.StartedBy).HasMaxLength(200);
            run.Property(r => r.Host).HasMaxLength(200);
            run.Property(r => r.ErrorCode).HasMaxLength(64);
            run.Property(r => r.Error).HasMaxLength(2000);
        });

        modelBuilder.Entity<IdempotencyRecord>(record =>
        {
            record.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId));
            record.HasKey(r => new { r.PartnerId, r.Key });
            record.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
            record.HasIndex(r => r.CreatedOn);
            record.Property(r => r.Key).HasMaxLength(255);
            record.Property(r => r.RequestSha256).HasMaxLength(64);
            record.Property(r => r.ContentType).HasMaxLength(128);
            record.Property(r => r.ResponseBody).HasMaxLength(int.MaxValue);
        });

        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.HasQueryFilter(PartnerFilter, e => VisiblePartnerIds.Contains(e.PartnerId));
            entry.HasOne<Partner>().WithMany().HasForeignKey(e => e.PartnerId).OnDelete(DeleteBehavior.Restrict);
            entry.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
            entry.HasIndex(e => new { e.SubscriptionId, e.Id });
            entry.HasIndex(e => new { e.CustomerId, e.Id });
            entry.Property(e => e.Id).ValueGeneratedOnAdd();
            entry.Property(e => e.Description).HasMaxLength(2048);
            entry.Property(e => e.Code).HasMaxLength(64);
            entry.Property(e => e.IdempotencyKey).HasMaxLength(255);
            entry.Property(e => e.Request).HasMaxLength(int.MaxValue);
            entry.Property(e => e.Before).HasMaxLength(int.MaxValue);
            entry.Property(e => e.After).HasMaxLength(int.MaxValue);
        });

        modelBuilder.Entity<Alert>(alert =>
        {
            alert.HasQueryFilter(PartnerFilter, a => VisiblePartnerIds.Contains(a.PartnerId));
            alert.HasOne<Subscription>().WithMany().HasForeignKey(a => a.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
            alert.HasIndex(a => new { a.SubscriptionId, a.Kind, a.DueOn }).IsUnique();
            alert.HasIndex(a => new { a.PartnerId, a.Id });
            alert.Property(a => a.Id).ValueGeneratedOnAdd();
            alert.Property(a => a.Message).HasMaxLength(1024);
        });

        modelBuilder.Entity<ChangeRequest>(request =>
        {
            request.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId) && (VisibleCustomerId == null || r.CustomerId == VisibleCustomerId));
            request.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
            request.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
            request.HasOne<Subscription>().WithMany().HasForeignKey(r => r.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
            request.HasIndex(r => new { r.CustomerId, r.RequestKey }).IsUnique();
            request.HasIndex(r => new { r.PartnerId, r.Status });
            request.HasIndex(r => r.SubscriptionId);
            request.Property(r => r.Note).HasMaxLength(500);
            request.Property(r => r.RequestKey).HasMaxLength(64);
            request.Property(r => r.RequestedBy).HasMaxLength(200);
            request.Property(r => r.DecidedBy).HasMaxLength(200);
            request.Property(r => r.Outcome).HasMaxLength(2000);
        });

        modelBuilder.Entity<DashboardFigures>(figures =>
        {
            figures.HasKey(f => f.PartnerId);
            figures.HasQueryFilter(PartnerFilter, f => VisiblePartnerIds.Contains(f.PartnerId));
            figures.HasOne<Partner>().WithMany().HasForeignKey(f => f.PartnerId).OnDelete(DeleteBehavior.Cascade);
            figures.Property(f => f.Figures).HasMaxLength(int.MaxValue);
        });

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.HasQueryFilter(PartnerFilter, k => VisiblePartnerIds.Contains(k.PartnerId));
            key.HasOne<Partner>().WithMany().HasForeignKey(k => k.PartnerId).OnDelete(DeleteBehavior.Restrict);
            key.HasIndex(k => k.Prefix).IsUnique();
            key.HasIndex(k => new { k.PartnerId, k.Id });
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.Property(k => k.Sha256).HasMaxLength(64);
            key.Property(k => k.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<PartnerTenant>(tenant =>
        {
            tenant.HasKey(t => t.TenantId);
            tenant.HasQueryFilter(PartnerFilter, t => VisiblePartnerIds.Contains(t.PartnerId));
            tenant.HasOne<Partner>().WithMany().HasForeignKey(t => t.PartnerId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<User>(user =>
        {
            user.HasQueryFilter(PartnerFilter, u => VisiblePartnerIds.Contains(u.PartnerId));
            user.HasOne<Partner>().WithMany().HasForeignKey(u => u.PartnerId).OnDelete(DeleteBehavior.Restrict);
            user.HasOne<Customer>().WithMany().HasForeignKey(u => u.CustomerId).OnDelete(DeleteBehavior.Restrict);
            user.HasIndex(u => new { u.TenantId, u.ObjectId }).IsUnique();
            user.HasIndex(u => new { u.PartnerId, u.Id });
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<AccessEvent>(entry =>
        {
            entry.HasQueryFilter(PartnerFilter, e => VisiblePartnerIds.Contains(e.PartnerId));
            entry.HasOne<Partner>().WithMany().HasForeignKey(e => e.PartnerId).OnDelete(DeleteBehavior.Restrict);
            entry.HasIndex(e => new { e.PartnerId, e.Id });
            entry.Property(e => e.Id).ValueGeneratedOnAdd();
            entry.Property(e => e.Detail).HasMaxLength(512);
        });

        modelBuilder.Entity<MarginRuleVersion>(rule =>
        {
            rule.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId));
            rule.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);

            // Two versions made at once for the same rule cannot both be version n: one is refused and tried again.
            rule.HasIndex(r => new { r.PartnerId, r.Level, r.Target, r.Version }).IsUnique();
            rule.Property(r => r.Target).HasMaxLength(64);
            rule.Property(r => r.FixedCurrency).HasMaxLength(3);
            rule.Property(r => r.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<PartnerExchangeRate>(rate =>
        {
            rate.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId));
            rate.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);

            // One rate per pair and day: a second is refused, never a silent replacement.
            rate.HasIndex(r => new { r.PartnerId, r.FromCurrency, r.ToCurrency, r.EffectiveFrom }).IsUnique();
            rate.Property(r => r.FromCurrency).HasMaxLength(3);
            rate.Property(r => r.ToCurrency).HasMaxLength(3);
            rate.Property(r => r.Rate).HasPrecision(20, Domain.Billing.ExchangeRate.MaxDecimals);
            rate.Property(r => r.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<TaxRate>(rate =>
        {
            rate.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId));
            rate.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
            rate.HasIndex(r => new { r.PartnerId, r.Country, r.EffectiveFrom }).IsUnique();
            rate.Property(r => r.Country).HasMaxLength(2);
            rate.Property(r => r.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<CustomerInvoice>(invoice =>
        {
            invoice.HasQueryFilter(PartnerFilter, i => VisiblePartnerIds.Contains(i.PartnerId) && (VisibleCustomerId == null || i.CustomerId == VisibleCustomerId));
            invoice.HasOne<Partner>().WithMany().HasForeignKey(i => i.PartnerId).OnDelete(DeleteBehavior.Restrict);
            invoice.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Restrict);
            invoice.HasIndex(i => new { i.PartnerId, i.Month, i.CustomerId });
            invoice.HasIndex(i => new { i.CustomerId, i.Month });

            // Gap-free and unique: the sequence row hands out each number once, and this refuses a second holder.
            invoice.HasIndex(i => new { i.PartnerId, i.SequenceNumber }).IsUnique();
            invoice.Property(i => i.Currency).HasMaxLength(3);
            invoice.Property(i => i.Number).HasMaxLength(32);
            invoice.Property(i => i.IssuedBy).HasMaxLength(200);
            invoice.Ignore(i => i.Total);
            invoice.Ignore(i => i.TaxTreatment);
            invoice.Property(i => i.LineCount).IsConcurrencyToken();
        });

        modelBuilder.Entity<InvoiceLine>(line =>
        {
            line.HasQueryFilter(PartnerFilter, l => VisiblePartnerIds.Contains(l.PartnerId) && (VisibleCustomerId == null || l.CustomerId == VisibleCustomerId));
            line.HasOne<CustomerInvoice>().WithMany().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Restrict);

            // What makes billing idempotent: a charge is billed once per issuing partner, whatever runs at the same time. A
            // key names Microsoft's subscription, which is one customer's, so it is unique per partner and customer alike;
            // with the customer second, a page of a run finds its customers' billed keys by the customer even while the
            // planner has no statistics (a first run: the partner's every line was read for each page of 1,000 customers),
            // and a page's new keys go into one region of the index.
            line.HasIndex(l => new { l.PartnerId, l.CustomerId, l.ChargeKey }).IsUnique();
            line.HasIndex(l => new { l.PartnerId, l.Month, l.CustomerId });
            line.HasIndex(l => new { l.InvoiceId, l.ChargeStartDate });
            line.Property(l => l.ChargeKey).HasMaxLength(200);
            line.Property(l => l.MicrosoftSubscriptionId).HasMaxLength(64);
            line.Property(l => l.ProductId).HasMaxLength(16);
            line.Property(l => l.SkuId).HasMaxLength(8);
            line.Property(l => l.Currency).HasMaxLength(3);
            line.Property(l => l.ReferenceId).HasMaxLength(64);
            line.Property(l => l.Explanation).HasMaxLength(2048);
            line.Property(l => l.DistributorExplanation).HasMaxLength(2048);
            line.Ignore(l => l.Cost);
            line.Property(l => l.MicrosoftCurrency).HasMaxLength(3);
            line.Property(l => l.ExchangeRate).HasPrecision(20, Domain.Billing.ExchangeRate.MaxDecimals);
        });

        modelBuilder.Entity<InvoiceSequence>(sequence =>
        {
            sequence.HasKey(s => s.PartnerId);
            sequence.HasQueryFilter(PartnerFilter, s => VisiblePartnerIds.Contains(s.PartnerId));
            sequence.HasOne<Partner>().WithOne().HasForeignKey<InvoiceSequence>(s => s.PartnerId).OnDelete(DeleteBehavior.Restrict);
            sequence.Property(s => s.LastNumber).IsConcurrencyToken();
        });

        modelBuilder.Entity<BillingRun>(run =>
        {
            run.HasQueryFilter(PartnerFilter, r => VisiblePartnerIds.Contains(r.PartnerId));
            run.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
            run.HasIndex(r => new { r.PartnerId, r.Month, r.StartedAt });
            run.Property(r => r.StartedBy).HasMaxLength(200);
        });

        // Written in bulk beside a page's lines, one per customer; no foreign keys, as for the usage totals.
        modelBuilder.Entity<BilledCustomerMonth>(billed =>
        {
            billed.HasQueryFilter(PartnerFilter, b => VisiblePartnerIds.Contains(b.PartnerId));
            billed.HasKey(b => new { b.PartnerId, b.Month, b.CustomerId });
            billed.Property(b => b.Fingerprint).HasMaxLength(128);
        });

        // Kept beside the lines they add up, in the same transaction; no foreign keys, as for the billed months.
        modelBuilder.Entity<SalesTotal>(total =>
        {
            total.HasQueryFilter(PartnerFilter, t => VisiblePartnerIds.Contains(t.PartnerId));
            total.HasKey(t => new { t.PartnerId, t.Month, t.Kind, t.CustomerId, t.ProductId, t.Currency });
            total.Property(t => t.ProductId).HasMaxLength(16);
            total.Property(t => t.Currency).HasMaxLength(3);
            total.Ignore(t => t.Key);
        });

        modelBuilder.Entity<PartnerBranding>(branding =>
        {
            branding.HasKey(b => b.PartnerId);
            branding.HasQueryFilter(PartnerFilter, b => VisiblePartnerIds.Contains(b.PartnerId));
            branding.HasOne<Partner>().WithOne().HasForeignKey<PartnerBranding>(b => b.PartnerId).OnDelete(DeleteBehavior.Restrict);
            branding.Property(b => b.DisplayName).HasMaxLength(200);
            branding.Property(b => b.Address).HasMaxLength(500);
            branding.Property(b => b.TaxId).HasMaxLength(32);
            branding.Property(b => b.PrimaryColour).HasMaxLength(7);
            branding.Property(b => b.UpdatedBy).HasMaxLength(200);
            branding.Property(b => b.PortalHost).HasMaxLength(253);
            branding.HasIndex(b => b.PortalHost).IsUnique();
        });

        modelBuilder.Entity<StoredSecret>(secret =>
        {
            secret.HasKey(x => x.Name);
            secret.Property(x => x.Name).HasMaxLength(100);
            secret.Property(x => x.ProtectedValue).HasMaxLength(int.MaxValue);
        });

        modelBuilder.Entity<ProtectionKey>(key =>
        {
            key.Property(k => k.Id).ValueGeneratedOnAdd();
            key.Property(k => k.FriendlyName).HasMaxLength(200);
            key.Property(k => k.Xml).HasMaxLength(int.MaxValue);
        });

        modelBuilder.Entity<JobRun>(run =>
        {
            run.HasIndex(r => r.FireInstanceId).IsUnique();
            run.HasIndex(r => new { r.Job, r.Id });
            run.Property(r => r.Id).ValueGeneratedOnAdd();
            run.Property(r => r.Job).HasMaxLength(64);
            run.Property(r => r.FireInstanceId).HasMaxLength(128);
            run.Property(r => r.Host).HasMaxLength(200);
            run.Property(r => r.Outcome).HasMaxLength(2048);
        });
    }

    /// <summary>Invoice lines are never edited or deleted; an issued invoice changes only to be marked paid.</summary>
    private void RefuseEditsToInvoices()
    {
        if (ChangeTracker.Entries<InvoiceLine>().FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted) is { } line)
        {
            throw new InvalidOperationException($"Invoice line {line.Entity.Id} cannot be {line.State.ToString().ToLowerInvariant()}: a correction is a credit note.");
        }

        string[] paying = [nameof(CustomerInvoice.Status), nameof(CustomerInvoice.PaidOn)];
        foreach (var invoice in ChangeTracker.Entries<CustomerInvoice>().Where(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            var wasIssued = invoice.OriginalValues.GetValue<InvoiceStatus>(nameof(CustomerInvoice.Status)) != InvoiceStatus.Draft;
            if (invoice.State == EntityState.Deleted || (wasIssued && invoice.Properties.Any(p => p.IsModified && !paying.Contains(p.Metadata.Name))))
            {
                throw new InvalidOperationException($"Invoice {invoice.Entity.Number ?? invoice.Entity.Id.ToString()} cannot be changed: an issued invoice is corrected by a credit note.");
            }
        }
    }

    private static void RenewalScheduleColumns<TOwner>(OwnedNavigationBuilder<TOwner, RenewalSchedule> schedule)
        where TOwner : class
    {
        schedule.Property(r => r.ProductId).HasMaxLength(16);
        schedule.Property(r => r.SkuId).HasMaxLength(8);
        schedule.Property(r => r.AvailabilityId).HasMaxLength(16);
    }

    private static void TermsColumns(OwnedNavigationBuilder<SubscriptionEvent, SubscriptionTerms> terms)
    {
        terms.Property(t => t.ProductId).HasMaxLength(16);
        terms.Property(t => t.SkuId).HasMaxLength(8);
        terms.Property(t => t.AvailabilityId).HasMaxLength(16);
    }

    private void RefuseEditsToHistory()
    {
        RefuseEditsToInvoices();
        var edited = ChangeTracker.Entries<SubscriptionEvent>()
            .FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted);
        if (edited is not null)
        {
            throw new InvalidOperationException(
                $"Subscription event {edited.Entity.Id} cannot be {edited.State.ToString().ToLowerInvariant()}: the history is append-only; record a new event instead.");
        }
    }
}
