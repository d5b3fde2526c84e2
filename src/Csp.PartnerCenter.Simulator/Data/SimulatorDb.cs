using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Csp.PartnerCenter.Simulator.Data;

/// <summary>
/// What the simulated Partner Center holds for its one partner: customers, carts, orders, subscriptions, and the
/// responses already given to each <c>MS-RequestId</c>. Its own SQLite file, its own migrations.
/// </summary>
public sealed class SimulatorDb(DbContextOptions<SimulatorDb> options) : DbContext(options)
{
    public DbSet<SimCustomer> Customers => Set<SimCustomer>();

    public DbSet<SimCart> Carts => Set<SimCart>();

    public DbSet<SimOrder> Orders => Set<SimOrder>();

    public DbSet<SimSubscription> Subscriptions => Set<SimSubscription>();

    public DbSet<SimRequest> Requests => Set<SimRequest>();

    public DbSet<SimAuditRecord> AuditRecords => Set<SimAuditRecord>();

    public DbSet<SimBillingExport> BillingExports => Set<SimBillingExport>();

    public DbSet<SimUsageSpike> UsageSpikes => Set<SimUsageSpike>();

    /// <summary>
    /// The <c>MS-CorrelationId</c> of the call being handled (null outside a <c>/v1</c> call): audit records written while
    /// handling it carry it as <c>originalCorrelationId</c>.
    /// </summary>
    public string? CorrelationId { get; set; }

    // SQLite cannot compare or order DateTimeOffset; as UTC ticks in an integer it can, in the same order.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SimCustomer>().HasIndex(c => c.Domain).IsUnique();
        modelBuilder.Entity<SimSubscription>().HasIndex(s => s.CustomerId);
        modelBuilder.Entity<SimSubscription>().Property(s => s.Status).HasConversion<string>();
        modelBuilder.Entity<SimOrder>().HasIndex(o => o.CustomerId);
        modelBuilder.Entity<SimRequest>().HasKey(r => r.RequestId);
        modelBuilder.Entity<SimAuditRecord>().HasIndex(r => r.OperationDate);
        modelBuilder.Entity<SimUsageSpike>().HasKey(u => new { u.SubscriptionId, u.UsageDate });
        modelBuilder.Entity<SimAuditRecord>().HasIndex(r => r.SubscriptionId);
    }
}

public sealed class SimCustomer
{
    public Guid Id { get; set; }

    public required string CompanyName { get; set; }

    public required string Domain { get; set; }

    public required string Country { get; set; }

    public required string Currency { get; set; }

    /// <summary>As Microsoft returns it: the language in lower case, the region in upper (<c>en-US</c>).</summary>
    public required string Culture { get; set; }

    /// <summary>The billing language, two letters (<c>en</c>).</summary>
    public string Language { get; set; } = "";

    public required string Email { get; set; }

    /// <summary>The billing profile's default address as given at creation (the simulator's <c>AddressResource</c> as JSON), if any.</summary>
    public string? AddressJson { get; set; }

    /// <summary>The indirect reseller the customer is served through, if any (its Partner ID).</summary>
    public string? ResellerPartnerId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The customer's attestation of the Microsoft Customer Agreement, as the API returns it (JSON), if any.</summary>
    public string? AgreementJson { get; set; }
}

public sealed class SimCart
{
    public Guid Id { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary><c>Active</c>, then <c>Ordered</c> once checked out.</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the cart was last created or updated: its lines are priced as of that day.</summary>
    public DateTimeOffset ModifiedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool PartnerOnRecordAttestationAccepted { get; set; }

    /// <summary>The cart's lines as the API carries them (JSON).</summary>
    public required string LineItemsJson { get; set; }
}

public sealed class SimOrder
{
    public required string Id { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>When the order was placed; it is provisioned <see cref="SimulatorOptions.ProvisioningDelay"/> later, as its subscriptions.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The order's lines (<see cref="SimOrderLine"/>, JSON).</summary>
    public required string LineItemsJson { get; set; }
}

/// <summary>
/// An order line as the simulator keeps it: what was bought, and its pricing at the purchase (null for orders kept before
/// it was). <see cref="BillingCycle"/> is the line's, of which Microsoft's order shows one for the whole order.
/// </summary>
public sealed record SimOrderLine(
    int LineItemNumber,
    string OfferId,
    string? SubscriptionId,
    int Quantity,
    string TermDuration,
    string? BillingCycle,
    string? PartnerIdOnRecord = null,
    DateTimeOffset? CustomTermEndDate = null,
    string? FriendlyName = null,
    Wire.PricingResource? Pricing = null);

/// <summary>
/// An order as its <c>create_order</c> audit record holds it: Microsoft's order, with one billing cycle for all its lines,
/// or, in records written before the simulator wrote Microsoft's order, a billing cycle on each line.
/// </summary>
public sealed record AuditedOrder(string Id, string? BillingCycle, IReadOnlyList<SimOrderLine> LineItems);

public sealed class SimSubscription
{
    public Guid Id { get; set; }

    public Guid CustomerId { get; set; }

    public required string OrderId { get; set; }

    public required string ProductId { get; set; }

    public required string SkuId { get; set; }

    public required string AvailabilityId { get; set; }

    public required string OfferName { get; set; }

    public int Quantity { get; set; }

    /// <summary><c>P1M</c>, <c>P1Y</c>, <c>P3Y</c>; empty for the Azure plan.</summary>
    public required string TermDuration { get; set; }

    /// <summary><c>monthly</c>, <c>annual</c>, <c>triennial</c>; <c>none</c> for the Azure plan.</summary>
    public required string BillingCycle { get; set; }

    public SubscriptionStatus Status { get; set; }

    public bool AutoRenewEnabled { get; set; }

    public bool IsTrial { get; set; }

    public bool IsUsage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the current term began (purchase, renewal, or entry into EST): the cancellation window opens here.</summary>
    public DateTimeOffset TermStartedAt { get; set; }

    public DateOnly TermStartDate { get; set; }

    /// <summary>The last day of the term, inclusive; null for the Azure plan.</summary>
    public DateOnly? TermEndDate { get; set; }

    /// <summary><c>Cancel</c>, <c>RenewToNewTerm</c> or <c>RenewToExtendedServiceTerm</c> at the term's end, when scheduled.</summary>
    public string? EndOfTermAction { get; set; }

    /// <summary>When auto-renew was turned off without a scheduled cancel: 24 hours later Microsoft schedules EST.</summary>
    public DateTimeOffset? AutoRenewOffAt { get; set; }

    /// <summary>In a paid Extended Service Term: month to month, same subscription id.</summary>
    public bool InExtendedServiceTerm { get; set; }

    /// <summary>Until when the renewal Microsoft is processing keeps the subscription read-only (409, 800082).</summary>
    public DateTimeOffset? RenewalInProgressUntil { get; set; }

    /// <summary>The seats added and when (purchase, renewal, mid-term additions), as JSON: what can still be reduced.</summary>
    public required string SeatAdditionsJson { get; set; }

    /// <summary>The scheduled next-term instructions as the API carries them (JSON), if any.</summary>
    public string? ScheduledNextTermJson { get; set; }

    public string? PartnerIdOnRecord { get; set; }

    public string? PromotionId { get; set; }

    /// <summary>The share of <see cref="UnitPrice"/> the promotion takes off this term (0.15 for 15%); null without one.</summary>
    public decimal? PromotionDiscount { get; set; }

    /// <summary>The price list's price per seat per charge cycle when the term was bought, before any promotion.</summary>
    public decimal UnitPrice { get; set; }

    public required string Currency { get; set; }

    /// <summary>Increases with every change: the ETag is derived from it.</summary>
    public int Version { get; set; }

    public string ETag => $"W/\"{Id:N}-{Version}\"";
}

/// <summary>The response given to one <c>MS-RequestId</c>: a repeat of the request gets it back and changes nothing.</summary>
public sealed class SimRequest
{
    public required string RequestId { get; set; }

    public required string Method { get; set; }

    public required string Path { get; set; }

    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public required byte[] Body { get; set; }

    public string? ETag { get; set; }

    public string? Location { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>
/// One operation on the partner's account, as <c>/v1/auditrecords</c> returns it; also the simulator's history of what
/// was bought and changed, from which its invoices are computed.
/// </summary>
public sealed class SimAuditRecord
{
    /// <summary>Increasing in the order operations were carried out.</summary>
    public long Id { get; set; }

    public Guid? CustomerId { get; set; }

    public string? CustomerName { get; set; }

    /// <summary>The subscription the operation bought or changed, when it is about one.</summary>
    public Guid? SubscriptionId { get; set; }

    /// <summary><c>customer</c>, <c>order</c> or <c>subscription</c>.</summary>
    public required string ResourceType { get; set; }

    /// <summary><c>add_customer</c>, <c>create_order</c>, <c>update_subscription</c>, <c>upgrade_subscription</c>.</summary>
    public required string OperationType { get; set; }

    public DateTimeOffset OperationDate { get; set; }

    /// <summary>Who did it: the partner's application through the API, or a user in the Partner Center portal (drift).</summary>
    public required string ApplicationId { get; set; }

    public required string UserPrincipalName { get; set; }

    /// <summary>The resource before and after, as the API's JSON.</summary>
    public string? ResourceOldValue { get; set; }

    public string? ResourceNewValue { get; set; }

    /// <summary>The <c>MS-CorrelationId</c> of the call that made the operation; null for one made in the portal.</summary>
    public string? OriginalCorrelationId { get; set; }
}

/// <summary>An asynchronous billing export: the operation a <c>…/export</c> request started, ready at <see cref="ReadyAt"/>.</summary>
public sealed class SimBillingExport
{
    public Guid Id { get; set; }

    /// <summary><c>reconciliation/billed</c>, <c>usage/billed</c> or <c>usage/unbilled</c>.</summary>
    public required string Dataset { get; set; }

    public string? InvoiceId { get; set; }

    public string? CurrencyCode { get; set; }

    /// <summary><c>current</c> or <c>last</c>, for unbilled usage.</summary>
    public string? BillingPeriod { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ReadyAt { get; set; }
}

/// <summary>A day on which an Azure plan subscription used <see cref="Factor"/> times its usual (<c>/_sim/usage</c>).</summary>
public sealed class SimUsageSpike
{
    public Guid SubscriptionId { get; set; }

    public DateOnly UsageDate { get; set; }

    public decimal Factor { get; set; }
}
