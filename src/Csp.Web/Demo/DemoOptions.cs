namespace Csp.Web.Demo;

/// <summary>
/// Demo mode (section <c>Demo</c>; on in the Development environment, which the README's run command starts, off
/// everywhere else unless set): demo data seeded into an empty database, and the Partner Center simulator in this process
/// as the platform's Partner Center — unless <c>PartnerCenter:BaseAddress</c> is set, which always wins.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Seed { get; set; }

    public bool Simulator { get; set; }

    /// <summary>Whether a newly seeded demo gets its margin rules, tax rates and invoices (<see cref="DemoBilling"/>); on unless set.</summary>
    public bool Invoices { get; set; } = true;

    /// <summary>Where the demo's simulator listens.</summary>
    public string SimulatorUrl { get; set; } = InProcessSimulator.DefaultUrl;
}
