using Csp.Data;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using CancellationPolicy = Csp.Domain.Subscriptions.CancellationPolicy;
using Subscription = Csp.Data.Subscription;

namespace Csp.Commerce.Renewals;

/// <summary>What one run of <see cref="RenewalWatch"/> did for one partner.</summary>
public sealed record RenewalWatchResult(int Watched, int Refreshed, int Renewed, int EnteredEst, int Ended, int AlertsRaised);

/// <summary>
/// Watches the terms that are about to end or have just ended, for the partner the context is scoped to: asks Partner
/// Center about every term that has ended (the renewal, the Extended Service Term or the end it led to is recorded as an
/// event), and raises the alerts a partner must see — the 7-day window closing within 24 hours, a term ending in 30, 7 or
/// 1 days, a term drifting into a paid EST nobody chose, a renewal or an EST entry recorded.
/// </summary>
/// <remarks>
/// Idempotent per business day: an event is recorded only when Partner Center shows a term the platform does not hold
/// yet, and an alert is unique per subscription, kind and day, so a second run — on this host or another — changes
/// nothing. A renewal Microsoft is still processing (it may take 24 hours) is found by a later run.
/// </remarks>
public sealed class RenewalWatch(CommerceDb db, PartnerCenterClient client, TimeProvider time, CancellationPolicy cancellation, EstPolicy est)
{
    public const string Actor = "renewal watch";

    /// <summary>How far ahead terms are watched: the first renewal alert is 30 days before the end.</summary>
    private const int DaysAhead = 30;

    /// <summary>How long after its end a term is still asked about: Microsoft's renewal takes up to a day; a few more allow for a host that was down.</summary>
    private const int DaysBehind = 3;

    private static readonly int[] RenewalAlertDays = [30, 7, 1];

    public async Task<RenewalWatchResult> RunAsync(DateOnly businessDate, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = businessDate.AddDays(-DaysBehind);
        var to = businessDate.AddDays(DaysAhead);
        var watched = await db.Subscriptions
            .Where(s => s.Term != null && s.TermEndDate >= from && s.TermEndDate <= to && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended))
            .OrderBy(s => s.Id)
            .ToListAsync(cancellationToken);
        // Terms begun recently enough for their window to be still open (the window counts from the term's first instant at the earliest).
        var windowStartedFrom = businessDate.AddDays(-(int)Math.Ceiling(cancellation.Window.TotalDays) - 1);
        var windows = await db.Subscriptions
            .Where(s => s.Term != null && s.TermStartDate >= windowStartedFrom && s.Status == SubscriptionStatus.Active)
            .ToListAsync(cancellationToken);
        var customerIds = watched.Concat(windows).Select(s => s.CustomerId).Distinct().ToList();
        var tenants = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CustomerTenantId.ToString(), cancellationToken);
        var ids = watched.Concat(windows).Select(s => s.Id).Distinct().ToList();
        var raised = (await db.Alerts.Where(a => ids.Contains(a.SubscriptionId)).Select(a => new { a.SubscriptionId, a.Kind, a.DueOn }).ToListAsync(cancellationToken))
            .Select(a => (a.SubscriptionId, a.Kind, a.DueOn))
            .ToHashSet();

        var (refreshed, renewed, enteredEst, ended) = (0, 0, 0, 0);
        var alerts = new List<Alert>();
        void Raise(Subscription s, AlertKind kind, DateOnly dueOn, DateTimeOffset? actBefore, string message)
        {
            if (raised.Add((s.Id, kind, dueOn)))
            {
                alerts.Add(new Alert(s.PartnerId, s.CustomerId, s.Id, kind, dueOn, actBefore, message, now));
            }
        }

        foreach (var s in watched.Where(s => s.TermEndDate < businessDate))
        {
            refreshed++;
            var found = await client.GetSubscriptionAsync(tenants[s.CustomerId], s.MicrosoftSubscriptionId.ToString(), cancellationToken);
            switch (Ended(s, found))
            {
                case SubscriptionEventKind.Renewed or SubscriptionEventKind.EnteredExtendedServiceTerm when found.CommitmentEndDate is { } commitment:
                    var (kind, start, end) = (EnteredEst(s, found) ? SubscriptionEventKind.EnteredExtendedServiceTerm : SubscriptionEventKind.Renewed, BillingClock.MicrosoftDay(found.EffectiveStartDate), BillingClock.MicrosoftDay(commitment));

                    // Partner Center does not say when the renewal completed; the window is counted from the term's first
                    // instant, the earliest it can have started, so that it is never shown open when it has closed.
                    var startedAt = BillingClock.StartOfDay(start);
                    var change = kind == SubscriptionEventKind.Renewed
                        ? $"renewed: term {start:yyyy-MM-dd} – {end:yyyy-MM-dd}, {SeatAdditions.Count(found.Quantity)}"
                        : $"entered an Extended Service Term: month to month from {start:yyyy-MM-dd}, {SeatAdditions.Count(found.Quantity)}";
                    db.SubscriptionEvents.Add(kind == SubscriptionEventKind.Renewed
                        ? SubscriptionEvent.Renewed(s, new Recorded(startedAt, Actor), change, s.Quantity, found.Quantity)
                        : SubscriptionEvent.EnteredExtendedServiceTerm(s, new Recorded(startedAt, Actor), change, s.Quantity, found.Quantity));
                    s.StartNewTerm(start, end, startedAt, found.Quantity, SubscriptionChanges.Decision(found), found.AutoRenewEnabled);
                    if (kind == SubscriptionEventKind.Renewed)
                    {
                        renewed++;
                        Raise(s, AlertKind.Renewed, start, cancellation.AllowedUntil(startedAt), $"{s.FriendlyName} renewed for a new term to {end:yyyy-MM-dd}: its seats can be reduced or it can be cancelled until {cancellation.AllowedUntil(startedAt):yyyy-MM-dd HH:mm} UTC.");
                    }
                    else
                    {
                        enteredEst++;
                        Raise(s, AlertKind.EnteredEst, start, null, $"{s.FriendlyName} entered a paid Extended Service Term on {start:yyyy-MM-dd}: billed month to month at the monthly-term price plus the uplift until it is cancelled or replaced.");
                    }

                    break;
                case SubscriptionEventKind.StatusChanged when SubscriptionChanges.Status(found.Status) is { } status:
                    // A status the lifecycle has no move to is left for sync to show as drift.
                    if (s.Follow(status).IsSuccess)
                    {
                        db.SubscriptionEvents.Add(SubscriptionEvent.StatusChanged(s, new Recorded(BillingClock.StartOfDay(s.TermEndDate!.Value.AddDays(1)), Actor), $"term ended: status {found.Status}", status));
                        ended++;
                    }

                    break;
            }
        }

        foreach (var s in watched.Where(s => s.TermEndDate >= businessDate && s.Status != SubscriptionStatus.Deleted && s.Status != SubscriptionStatus.Expired))
        {
            var end = s.TermEndDate!.Value;
            var decideBefore = BillingClock.StartOfDay(end.AddDays(1));
            var daysLeft = end.DayNumber - businessDate.DayNumber;
            if (RenewalAlertDays.Contains(daysLeft))
            {
                var kind = daysLeft switch { 30 => AlertKind.RenewalIn30Days, 7 => AlertKind.RenewalIn7Days, _ => AlertKind.RenewalIn1Day };
                Raise(s, kind, end, decideBefore, $"{s.FriendlyName} ({SeatAdditions.Count(s.Quantity)}) ends on {end:yyyy-MM-dd}, in {daysLeft} day{(daysLeft == 1 ? "" : "s")}: {Path(s, end)}. Change the end-of-term choice before {decideBefore:yyyy-MM-dd HH:mm} UTC.");
            }

            if (est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, end).DriftsIntoEst)
            {
                Raise(s, AlertKind.EstDrift, end, decideBefore, $"{s.FriendlyName} will enter a paid Extended Service Term on {end.AddDays(1):yyyy-MM-dd} that nobody chose: auto-renew is off without the Cancel scheduled action. Set its end-of-term choice.");
            }
        }

        var windowIds = windows.Select(s => s.Id).ToList();
        var windowEvents = (await db.SubscriptionEvents.Where(e => windowIds.Contains(e.SubscriptionId)).ToListAsync(cancellationToken)).ToLookup(e => e.SubscriptionId);
        foreach (var s in windows)
        {
            var closes = cancellation.AllowedUntil(s.TermStartedAt);
            if (closes > now && closes <= now.AddHours(24))
            {
                // Each seat has its own window (CancellationPolicy): those added later stay reducible after the term's first week.
                var reducible = cancellation.Refundable(SubscriptionEvent.SeatAdditionsOfTerm(windowEvents[s.Id], s.TermStartedAt), s.Quantity, now).Details;
                var closing = reducible.Where(d => d.AllowedUntil <= closes).Sum(d => d.Quantity);
                var later = reducible.Where(d => d.AllowedUntil > closes).ToList();
                Raise(
                    s,
                    AlertKind.WindowClosing,
                    BillingClock.MicrosoftDay(closes),
                    closes,
                    $"{s.FriendlyName} can be cancelled, and {closing} of its {SeatAdditions.Count(s.Quantity)} reduced, only until {closes:yyyy-MM-dd HH:mm} UTC; after that those seats are owed to the end of the term ({s.TermEndDate:yyyy-MM-dd})."
                        + (later.Count > 0 ? $" The {SeatAdditions.Count(later.Sum(d => d.Quantity))} added since can be reduced until {string.Join(", ", later.Select(d => $"{d.AllowedUntil:yyyy-MM-dd HH:mm} UTC ({d.Quantity})"))}." : ""));
            }
        }

        db.Alerts.AddRange(alerts);
        await db.SaveChangesAsync(cancellationToken);
        return new RenewalWatchResult(watched.Count, refreshed, renewed, enteredEst, ended, alerts.Count);
    }

    /// <summary>What Partner Center shows of a term that has ended: a new term, an end, or nothing yet (null: still processing).</summary>
    private static SubscriptionEventKind? Ended(Subscription s, Csp.PartnerCenter.Api.Subscription found)
    {
        var status = SubscriptionChanges.Status(found.Status);
        if (status is SubscriptionStatus.Deleted or SubscriptionStatus.Expired or SubscriptionStatus.Disabled)
        {
            return SubscriptionEventKind.StatusChanged;
        }

        return found.CommitmentEndDate is { } commitment && BillingClock.MicrosoftDay(commitment) > s.TermEndDate ? SubscriptionEventKind.Renewed : null;
    }

    /// <summary>Whether the new term is an Extended Service Term: it was the path, and Partner Center now runs it month to month.</summary>
    private bool EnteredEst(Subscription s, Csp.PartnerCenter.Api.Subscription found) =>
        est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate!.Value).Outcome == EndOfTermOutcome.ExtendedServiceTerm
        && found.TermDuration.Equals("P1M", StringComparison.OrdinalIgnoreCase);

    private string Path(Subscription s, DateOnly end) => est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, end) switch
    {
        { DriftsIntoEst: true } => "it will enter a paid Extended Service Term nobody chose",
        { Outcome: EndOfTermOutcome.Renew } => "it renews",
        { Outcome: EndOfTermOutcome.Cancel } => "it is cancelled at the end of the term",
        { Outcome: EndOfTermOutcome.ExtendedServiceTerm } => "it continues in an Extended Service Term",
        _ => "it expires",
    };
}
