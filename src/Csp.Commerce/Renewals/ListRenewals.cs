using System.Globalization;
using System.Text;
using Csp.Commerce.Lifecycle;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Renewals;

/// <summary>A subscription that renewed into its current term on the day: its new term can still be reduced or cancelled until <paramref name="ReduceOrCancelUntil"/>.</summary>
public sealed record RenewedSubscription(Guid SubscriptionId, Guid CustomerId, string FriendlyName, int Quantity, DateTimeOffset RenewedAt, DateTimeOffset ReduceOrCancelUntil, bool WindowOpen);

/// <summary>One day of the calendar: the terms ending that day, and the subscriptions that renewed that day.</summary>
public sealed record RenewalDay(DateOnly Date, IReadOnlyList<EndOfTermOptions> Ending, IReadOnlyList<RenewedSubscription> Renewed);

/// <summary>
/// The renewals calendar: for each day from <c>from</c> to <c>to</c>, the terms that end — each with its end-of-term path,
/// the last moment to change it, the cost of each path — and the terms that renewed, with the 7-day window in which the new
/// term can still be reduced or cancelled; narrowed like the portal's calendar (<see cref="RenewalFilter"/>). Also as an
/// iCalendar feed a partner can subscribe to.
/// </summary>
/// <remarks>
/// Every term ending is priced through the charge engine, so a calendar holds at most <see cref="MaxTerms"/> terms: the
/// database counts them first and a longer one is refused, naming how many there are, before anything is priced. A
/// partner with 400,000 subscriptions has some 33,000 term ends a month; its calendar is asked for by the week, or narrowed
/// to a reseller, customers or a path, and the portal's list view pages a whole month.
/// </remarks>
public static class ListRenewals
{
    /// <summary>The longest calendar asked for at once.</summary>
    public const int MaxDays = 366;

    /// <summary>The most terms, ending and renewed, one calendar holds.</summary>
    public const int MaxTerms = 2_000;

    public static async Task<Result<List<RenewalDay>>> DaysAsync(LifecycleServices services, DateOnly from, DateOnly to, RenewalFilter filter, CancellationToken cancellationToken, int maxTerms = MaxTerms)
    {
        var (db, rules) = (services.Db, services.Rules);
        var ending = RenewalsCalendar.Ending(db, services.Est, from, to, filter).Select(e => e.Subscription);
        var renewedTerms = RenewalsCalendar.Renewed(db, from, to, filter).Select(e => e.Subscription);
        var count = await ending.CountAsync(cancellationToken) + await renewedTerms.CountAsync(cancellationToken);
        if (count > maxTerms)
        {
            return Error.InvalidParameter(
                "to",
                string.Create(CultureInfo.InvariantCulture, $"to: {count:N0} terms end or renew from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}, more than the {maxTerms:N0} a calendar holds: ask for fewer days, or narrow it by sellerId, customer or path."));
        }

        var options = (await SubscriptionActions.ContextsAsync(services, ending, cancellationToken))
            .Select(c => EndOfTermCosts.For(c, rules))
            .OfType<EndOfTermOptions>()
            .ToLookup(o => o.TermEndDate);

        var (cancellation, now) = (services.Cancellation, services.Time.GetUtcNow());
        var renewed = (await renewedTerms.ToListAsync(cancellationToken))
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
