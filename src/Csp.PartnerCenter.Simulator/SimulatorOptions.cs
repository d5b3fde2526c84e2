using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;

namespace Csp.PartnerCenter.Simulator;

/// <summary>
/// The simulator's settings (section <c>Simulator</c>). Where Microsoft's behaviour is unconfirmed the default is the
/// documented one and the value is a setting (docs/microsoft/, each page's "Not settled").
/// </summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The SQLite connection string; by default <c>simulator.db</c> beside the content root.</summary>
    public string ConnectionString { get; set; } = "Data Source=simulator.db";

    /// <summary>The bearer token the simulator accepts, standing in for an app + user token with MFA.</summary>
    public string DevelopmentToken { get; set; } = "csp-simulator-development-token";

    /// <summary>The application whose refresh token the simulator's token endpoint redeems (the Secure Application Model).</summary>
    public Http.SimulatorSecureApplicationModel SecureApplicationModel { get; set; } = new();

    /// <summary>The simulated partner's tenant id.</summary>
    public Guid PartnerTenantId { get; set; } = new("8f7c2a3e-5b1d-4e9a-9c6f-2d4b8a1e7f30");

    /// <summary>The simulated partner's PartnerID (formerly MPN ID), printed on its invoices' lines as <c>MpnId</c>.</summary>
    public string PartnerMpnId { get; set; } = "5357564";

    /// <summary>Microsoft's limit on the subscription, customer and order resources: 500 requests per minute per tenant.</summary>
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>How long after checkout an order's subscriptions are provisioned (Microsoft: asynchronous, "shortly").</summary>
    public TimeSpan ProvisioningDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a renewal stays in progress after the term's end (Microsoft: "may take up to 24 hours").</summary>
    public TimeSpan RenewalProcessing { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a cart lives: "carts expire 7 days from initial creation" (create-a-cart; an older sample shows about 15 minutes).</summary>
    public TimeSpan CartLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>After auto-renew is turned off without a <c>Cancel</c> action, Microsoft schedules EST within this delay.</summary>
    public TimeSpan AutoRenewOffToEst { get; set; } = TimeSpan.FromHours(24);

    public int CancellationWindowHours { get; set; } = (int)CancellationPolicy.Default.Window.TotalHours;

    public DateOnly EstEnforcedFrom { get; set; } = EstPolicy.Default.EnforcedFrom;

    public DateOnly EstEligibleTermsStartingFrom { get; set; } = EstPolicy.Default.EligibleTermsStartingFrom;

    /// <summary>Faults in force from the start, per route (as <c>POST /_sim/faults</c> takes them).</summary>
    public List<Http.Fault> Faults { get; set; } = [];

    /// <summary>How Microsoft rounds the charges on its invoices (the charge engine's policy; the documented one by default).</summary>
    public RoundingPolicy Rounding { get; set; } = RoundingPolicy.Documented;

    /// <summary>How long an asynchronous billing export runs before its files are ready (Microsoft: minutes).</summary>
    public TimeSpan ExportDuration { get; set; } = TimeSpan.FromSeconds(30);

    public ChargeRules ChargeRules => ChargeRules.Default with { Rounding = Rounding, Cancellation = CancellationPolicy, Est = EstPolicy, RenewalProcessing = RenewalProcessing };

    public CancellationPolicy CancellationPolicy => new(TimeSpan.FromHours(CancellationWindowHours));

    public EstPolicy EstPolicy => new(EstEnforcedFrom, EstEligibleTermsStartingFrom);
}
