using Csp.Commerce.Lifecycle;
using Csp.Commerce.Renewals;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Dashboard;

/// <summary>Terms ending in one week: the week's first day, how many, and the seats they hold.</summary>
public sealed record WeekOfRenewals(DateOnly From, int Subscriptions, int Seats);

/// <summary>What one billed month's invoices came to in one currency, before tax.</summary>
public sealed record MonthRevenue(string Month, string Currency, int Invoices, decimal Net);

/// <summary>
/// The partner's day at a glance: what is in service, the terms ending in the next weeks, the money an Extended Service
/// Term nobody chose would cost, the newest alerts, and what the last billed month was invoiced (drafts included).
/// </summary>
/// <param name="EndingIn30Days">Terms in service that end within 30 days from today (Microsoft's day, UTC).</param>
public sealed record DashboardView(
    DateOnly Today,
    int CustomersCount,
    int ActiveSubscriptions,
    int ActiveSeats,
    int EndingIn30Days,
    IReadOnlyList<WeekOfRenewals> Weeks,
    EstRiskSummary EstRisk,
    IReadOnlyList<AlertView> Alerts,
    IReadOnlyList<MonthRevenue> Revenue);

/// <summary>Subscriptions drifting into an Extended Service Term and the money at stake per currency.</summary>
public sealed record EstRiskSummary(int Subscriptions, IReadOnlyList<AmountAtStake> AtStake);

public static class GetDashboard
{
    /// <summary>How many weeks ahead the renewals chart looks.</summary>
    public const int WeeksAhead = 12;

    public const int AlertsShown = 8;

    public static async Task<DashboardView> RunAsync(LifecycleServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var today = BillingClock.MicrosoftDay(services.Time.GetUtcNow());
        var last = today.AddDays(7 * WeeksAhead - 1);
        var inService = db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended);

        var active = db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active);
        var ending = await inService.Where(s => s.TermEndDate >= today && s.TermEndDate <= last)
            .GroupBy(s => s.TermEndDate).Select(g => new { Day = g.Key!.Value, Count = g.Count(), Seats = g.Sum(s => s.Quantity) })
            .ToListAsync(cancellationToken);
        var weeks = Enumerable.Range(0, WeeksAhead).Select(w =>
            {
                var from = today.AddDays(7 * w);
                var days = ending.Where(e => e.Day >= from && e.Day < from.AddDays(7)).ToList();
                return new WeekOfRenewals(from, days.Sum(d => d.Count), days.Sum(d => d.Seats));
            }).ToList();

        var risk = await ListEstRisk.RunAsync(services, cancellationToken);
        var alerts = await ListAlerts.RunAsync(db, null, AlertsShown, null, cancellationToken);

        // Amounts are added here, never in SQL (style rule 4): the month's invoices, one row each.
        var month = await db.Invoices.MaxAsync(i => (DateOnly?)i.Month, cancellationToken);
        var revenue = month is { } m
            ? (await db.Invoices.Where(i => i.Month == m).Select(i => new { i.Currency, i.Net }).ToListAsync(cancellationToken))
                .GroupBy(i => i.Currency)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new MonthRevenue($"{m:yyyy-MM}", g.Key, g.Count(), g.Sum(i => i.Net)))
                .ToList()
            : [];

        return new DashboardView(
            today,
            await db.Customers.CountAsync(cancellationToken),
            await active.CountAsync(cancellationToken),
            await active.SumAsync(s => s.Quantity, cancellationToken),
            ending.Where(e => e.Day <= today.AddDays(30)).Sum(e => e.Count),
            weeks,
            new EstRiskSummary(risk.Subscriptions.Count, risk.AtStake),
            alerts,
            revenue);
    }
}
