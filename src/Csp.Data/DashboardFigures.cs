namespace Csp.Data;

/// <summary>
/// A partner's dashboard figures as last worked out — by the hourly renewal watch, or by the first view of a business day
/// that found none of its day — so that the dashboard reads one row instead of scanning every subscription on each view.
/// </summary>
public sealed class DashboardFigures
{
    public DashboardFigures(Guid partnerId, DateOnly businessDay, DateTimeOffset computedAt, string figures)
    {
        PartnerId = partnerId;
        BusinessDay = businessDay;
        ComputedAt = computedAt;
        Figures = figures;
    }

    public Guid PartnerId { get; private set; }

    /// <summary>Microsoft's day (UTC) the figures count from: "ending in 30 days" is from this day.</summary>
    public DateOnly BusinessDay { get; private set; }

    public DateTimeOffset ComputedAt { get; private set; }

    /// <summary>The figures as JSON (amounts as exact decimals with their currency), as <c>Csp.Commerce.Dashboard</c> writes and reads them.</summary>
    public string Figures { get; private set; }

    public void Replace(DateOnly businessDay, DateTimeOffset computedAt, string figures) => (BusinessDay, ComputedAt, Figures) = (businessDay, computedAt, figures);
}
