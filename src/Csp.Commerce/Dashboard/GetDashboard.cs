using Csp.Commerce.Lifecycle;
using Csp.Commerce.Renewals;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Dashboard;

/// <summary>The dashboard as shown: the stored figures, when they were worked out, and the newest alerts, read live.</summary>
public sealed record DashboardView(DashboardFiguresView Figures, DateTimeOffset ComputedAt, IReadOnlyList<AlertView> Alerts);

/// <summary>
/// The partner's day at a glance from its stored figures (<see cref="RefreshDashboard"/>): one row read, never a scan of
/// its subscriptions per view. Figures of an earlier business day, or none yet, are worked out first, once.
/// </summary>
public static class GetDashboard
{
    public const int AlertsShown = 8;

    public static async Task<DashboardView> RunAsync(LifecycleServices services, Guid partnerId, CancellationToken cancellationToken)
    {
        var today = BillingClock.MicrosoftDay(services.Time.GetUtcNow());
        var stored = await services.Db.DashboardFigures.AsNoTracking().FirstOrDefaultAsync(f => f.PartnerId == partnerId, cancellationToken);
        var (figures, computedAt) = stored is not null && stored.BusinessDay == today && RefreshDashboard.Read(stored.Figures) is { } read
            ? (read, stored.ComputedAt)
            : await RefreshDashboard.RunAsync(services, partnerId, cancellationToken);
        var alerts = await ListAlerts.RunAsync(services.Db, null, AlertsShown, null, cancellationToken);
        return new DashboardView(figures, computedAt, alerts);
    }
}
