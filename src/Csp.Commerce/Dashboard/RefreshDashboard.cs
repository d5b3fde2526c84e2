using System.Text.Json;
using Csp.Commerce.Billing;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Reconciliations;
using Csp.Commerce.Renewals;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Dashboard;

/// <summary>Terms ending in one week: the week's first day, how many, and the seats they hold.</summary>
public sealed record WeekOfRenewals(DateOnly From, int Subscriptions, int Seats);

/// <summary>What one billed month's invoices came to in one currency, before tax.</summary>
public sealed record MonthRevenue(string Month, string Currency, int Invoices, decimal Net);

/// <summary>One month's sales in one currency, from its invoice lines (drafts included): revenue, cost and margin.</summary>
public sealed record MonthMargin(string Month, string Currency, decimal Revenue, decimal Cost, decimal Margin);

/// <summary>The Azure usage imported for one month in one currency (Microsoft's <c>BillingPreTaxTotal</c>, each day once).</summary>
public sealed record MonthAzureSpend(string Month, string Currency, decimal Cost, int Subscriptions);

/// <summary>Subscriptions drifting into an Extended Service Term and the money at stake per currency.</summary>
public sealed record EstRiskSummary(int Subscriptions, IReadOnlyList<AmountAtStake> AtStake);

/// <summary>
/// The figures of a partner's dashboard on one business day: what is in service, the terms ending in the next weeks, the
/// money an Extended Service Term nobody chose would cost, what the last billed month was invoiced (its monthly recurring
/// revenue), the margin of the last months and the Azure usage imported.
/// </summary>
/// <param name="EndingIn30Days">Terms in service that end within 30 days from <paramref name="Today"/> (Microsoft's day, UTC).</param>
public sealed record DashboardFiguresView(
    DateOnly Today,
    int CustomersCount,
    int ActiveSubscriptions,
    int ActiveSeats,
    int EndingIn30Days,
    IReadOnlyList<WeekOfRenewals> Weeks,
    EstRiskSummary EstRisk,
    IReadOnlyList<MonthRevenue> Revenue,
    IReadOnlyList<MonthMargin> Margins,
    IReadOnlyList<MonthAzureSpend> AzureSpend);

/// <summary>
/// Works out a partner's dashboard figures, within the partner's own scope, and stores them
/// (<see cref="DashboardFigures"/>): the hourly renewal watch does it for every partner, and the first view of a business
/// day without figures of that day. Working them out again replaces them: nothing is added.
/// </summary>
public static class RefreshDashboard
{
    /// <summary>How many weeks ahead the renewals chart looks.</summary>
    public const int WeeksAhead = 12;

    /// <summary>How many months, the current one included, the margin chart shows.</summary>
    public const int MarginMonths = 6;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(DashboardFiguresView Figures, DateTimeOffset ComputedAt)> RunAsync(LifecycleServices services, Guid partnerId, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var now = services.Time.GetUtcNow();
        var today = BillingClock.MicrosoftDay(now);
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

        // Amounts are added here, never in SQL (style rule 4): the month's invoices, one row each.
        var month = await db.Invoices.MaxAsync(i => (DateOnly?)i.Month, cancellationToken);
        var revenue = month is { } m
            ? (await db.Invoices.Where(i => i.Month == m).Select(i => new { i.Currency, i.Net }).ToListAsync(cancellationToken))
                .GroupBy(i => i.Currency)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new MonthRevenue($"{m:yyyy-MM}", g.Key, g.Count(), g.Sum(i => i.Net)))
                .ToList()
            : [];

        var thisMonth = BillingPeriod.Month(today);
        var margins = (await GetMargins.RunAsync(db, partnerId, BillingPeriod.Month(today.AddMonths(1 - MarginMonths)), thisMonth, MarginGrouping.Month, cancellationToken)).Value
            .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Currency, StringComparer.Ordinal)
            .Select(r => new MonthMargin(r.Key, r.Currency, r.Revenue, r.Cost, r.Margin))
            .ToList();
        var azure = new List<MonthAzureSpend>();
        foreach (var period in new[] { BillingPeriod.Month(today.AddMonths(-1)), thisMonth })
        {
            azure.AddRange((await ImportedUsage.ForMonthAsync(db, period, cancellationToken)).Usage
                .Where(u => u.Currency.Length > 0)
                .GroupBy(u => u.Currency)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new MonthAzureSpend($"{period.Start:yyyy-MM}", g.Key, g.Sum(u => u.BillingPreTaxTotal), g.Count())));
        }

        var figures = new DashboardFiguresView(
            today,
            await db.Customers.CountAsync(cancellationToken),
            await active.CountAsync(cancellationToken),
            await active.SumAsync(s => s.Quantity, cancellationToken),
            ending.Where(e => e.Day <= today.AddDays(30)).Sum(e => e.Count),
            weeks,
            new EstRiskSummary(risk.Subscriptions.Count, risk.AtStake),
            revenue,
            margins,
            azure);
        await StoreAsync(db, partnerId, today, now, JsonSerializer.Serialize(figures, Json), cancellationToken);
        return (figures, now);
    }

    /// <summary>Stored figures read back; null for figures written in a shape this version no longer reads, which are worked out again.</summary>
    public static DashboardFiguresView? Read(string figures)
    {
        try
        {
            return JsonSerializer.Deserialize<DashboardFiguresView>(figures, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task StoreAsync(CommerceDb db, Guid partnerId, DateOnly today, DateTimeOffset now, string json, CancellationToken cancellationToken)
    {
        var stored = await db.DashboardFigures.FirstOrDefaultAsync(f => f.PartnerId == partnerId, cancellationToken);
        if (stored is null)
        {
            db.DashboardFigures.Add(new DashboardFigures(partnerId, today, now, json));
        }
        else
        {
            stored.Replace(today, now, json);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (stored is null)
        {
            // Another view or the watch stored the same day's figures first: theirs stand, as good as these.
            db.ChangeTracker.Clear();
        }
    }
}
