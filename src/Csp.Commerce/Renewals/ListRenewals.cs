using System.Globalization;
using System.Text;
using Csp.Commerce.Lifecycle;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Renewals;

/// <summary>A subscription that renewed into its current term on the day: its new term can still be reduced or cancelled until <paramref name="ReduceOrCancelUntil"/>.</summary>
public sealed record RenewedSubscription(Guid SubscriptionId, Guid CustomerId, string FriendlyName, int Quantity, DateTimeOffset RenewedAt, DateTimeOffset ReduceOrCancelUntil, bool WindowOpen);

/// <summary>One day of the calendar: the terms ending that day, and the subscriptions that renewed that day.</summary>
public sealed record RenewalDay(DateOnly Date, IReadOnlyList<EndOfTermOptions> Ending, IReadOnlyList<RenewedSubscription> Renewed);

/// <summary>
/// The renewals calendar: for each day from <c>from</c> to <c>to</c>, the terms that end — each with its end-of-term path,
/// the last moment to change it, the cost of each path — and the terms that renewed, with the 7-day window in which the new
/// term can still be reduced or cancelled. Also as an iCalendar feed a partner can subscribe to.
/// </summary>
public static class ListRenewals
{
    /// <summary>The longest calendar asked for at once.</summary>
    public const int MaxDays = 366;

    public static async Task<List<RenewalDay>> DaysAsync(LifecycleServices services, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var (db, rules) = (services.Db, services.Rules);
        var ending = db.Subscriptions.Where(s => s.TermEndDate >= from && s.TermEndDate <= to && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended));
        var options = (await SubscriptionActions.ContextsAsync(services, ending, cancellationToken))
            .Select(c => EndOfTermCosts.For(c, rules))
            .OfType<EndOfTermOptions>()
            .ToLookup(o => o.TermEndDate);

        var (cancellation, now) = (services.Cancellation, services.Time.GetUtcNow());
        var renewed = (await db.Subscriptions
                .Where(s => s.TermStartDate >= from && s.TermStartDate <= to && s.TermStartDate > s.StartDate && s.Term != null
                    && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended))
                .ToListAsync(cancellationToken))
            .Select(s => (s.TermStartDate, Renewed: new RenewedSubscription(s.Id, s.CustomerId, s.FriendlyName, s.Quantity, s.TermStartedAt, cancellation.AllowedUntil(s.TermStartedAt), cancellation.IsOpen(s.TermStartedAt, now))))
            .ToLookup(r => r.TermStartDate, r => r.Renewed);

        return options.Select(g => g.Key).Concat(renewed.Select(g => g.Key)).Distinct().Order()
            .Select(day => new RenewalDay(day, options[day].OrderBy(o => o.CustomerName, StringComparer.Ordinal).ThenBy(o => o.SubscriptionId).ToList(), renewed[day].OrderBy(r => r.SubscriptionId).ToList()))
            .ToList();
    }

    /// <summary>The calendar as RFC 5545 text: one all-day event per term ending, on the term's last day.</summary>
    public static string ICalendar(IEnumerable<RenewalDay> days, DateTimeOffset now)
    {
        var text = new StringBuilder();
        void Line(string line)
        {
            // Lines are folded at 75 octets: a break, then a space, as RFC 5545 §3.1 asks.
            var bytes = Encoding.UTF8.GetBytes(line);
            var start = 0;
            while (bytes.Length - start > 75)
            {
                var cut = start + (start == 0 ? 75 : 74);
                while ((bytes[cut] & 0xC0) == 0x80)
                {
                    cut--;
                }

                text.Append(Encoding.UTF8.GetString(bytes, start, cut - start)).Append("\r\n ");
                start = cut;
            }

            text.Append(Encoding.UTF8.GetString(bytes, start, bytes.Length - start)).Append("\r\n");
        }

        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//CSP Commerce//Renewals//EN");
        Line("CALSCALE:GREGORIAN");
        Line("X-WR-CALNAME:Subscription renewals");
        foreach (var day in days)
        {
            foreach (var o in day.Ending)
            {
                var current = o.Paths.Single(p => p.Current);
                var what = o.DriftsIntoEst ? "enters a paid EST unless decided" : current.Path;
                Line("BEGIN:VEVENT");
                Line(string.Create(CultureInfo.InvariantCulture, $"UID:{o.SubscriptionId:N}-{o.TermEndDate:yyyyMMdd}@csp-commerce"));
                Line(string.Create(CultureInfo.InvariantCulture, $"DTSTAMP:{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}"));
                Line(string.Create(CultureInfo.InvariantCulture, $"DTSTART;VALUE=DATE:{o.TermEndDate:yyyyMMdd}"));
                Line(string.Create(CultureInfo.InvariantCulture, $"DTEND;VALUE=DATE:{o.TermEndDate.AddDays(1):yyyyMMdd}"));
                Line($"SUMMARY:{Escape($"{o.CustomerName}: {o.FriendlyName} ({o.Quantity}) ends — {what}")}");
                Line($"DESCRIPTION:{Escape(string.Create(CultureInfo.InvariantCulture, $"The term ends on {o.TermEndDate:yyyy-MM-dd}; change the end-of-term choice before {o.DecideBefore:yyyy-MM-dd HH:mm} UTC.\n{string.Join("\n", o.Paths.Select(p => $"{p.Path}{(p.Current ? " (current)" : "")}: {p.FirstYear:0.00} {o.Currency} in the following year. {p.Description}"))}"))}");
                Line("TRANSP:TRANSPARENT");
                Line("END:VEVENT");
            }
        }

        Line("END:VCALENDAR");
        return text.ToString();
    }

    /// <summary>
    /// TEXT as RFC 5545 writes it: backslash, semicolon, comma and line break escaped; any other control character, which
    /// a TEXT value may not hold, written as a space.
    /// </summary>
    private static string Escape(string value) =>
        string.Concat(value.Select(c => c is '\n' || !char.IsControl(c) ? c : ' '))
            .Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
