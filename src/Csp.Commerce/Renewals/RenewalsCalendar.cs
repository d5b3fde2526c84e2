using Csp.Commerce.Lifecycle;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Renewals;

/// <summary>One subscription on a day of the calendar: a term ending (with its path) or a term renewed that day.</summary>
/// <param name="Outcome">What happens when the term ends; null for a term renewed that day.</param>
/// <param name="ReduceOrCancelUntil">For a term renewed that day, the end (exclusive) of its 7-day window to reduce seats or cancel.</param>
public sealed record CalendarItem(Guid SubscriptionId, Guid CustomerId, string CustomerName, string FriendlyName, EndOfTermOutcome? Outcome, bool Explicit, bool DriftsIntoEst, DateTimeOffset? ReduceOrCancelUntil = null);

/// <summary>One day of the month view: how many terms end and renew that day, and the first of them by customer.</summary>
public sealed record CalendarDay(DateOnly Date, int Ending, int Renewed, IReadOnlyList<CalendarItem> First);

/// <summary>What a calendar is narrowed to: one seller's customers, customers whose name holds a text, one path at the term's end.</summary>
public sealed record RenewalFilter(Guid? SellerId = null, string? CustomerName = null, EndOfTermOutcome? Path = null)
{
    /// <summary>The longest text a customer's name is searched for.</summary>
    public const int MaxCustomerName = 200;
}

/// <summary>
/// The renewals calendar's month view: for each day, the terms that end (each with its end-of-term path, from the stored
/// choice and Microsoft's rules — <see cref="EstPolicy.PathFor(SubscriptionStatus, EndOfTerm?, bool, DateOnly, DateOnly)"/>)
/// and the terms that renewed, counted, with the first few by customer. The counts are the database's, and only the few
/// shown are read, never a subscription's history: the month of a partner with 400,000 subscriptions holds some 33,000
/// term ends, and what each path costs is the list view's (<see cref="EndingAsync"/>), a page at a time.
/// </summary>
public static class RenewalsCalendar
{
    public static async Task<List<CalendarDay>> MonthAsync(
        CommerceDb db, EstPolicy est, CancellationPolicy cancellation, DateOnly from, DateOnly to, RenewalFilter filter, int perDay, CancellationToken cancellationToken)
    {
        var ending = Ending(db, est, from, to, filter);
        var renewed = Renewed(db, from, to, filter);
        // Each day is counted, and its first few chosen by customer — as many terms ending as are shown, then terms renewed
        // after them — from the narrowest facts (day, customer, id) of the month's terms: on PostgreSQL, reading these is
        // faster than having the database count them. Only the terms shown are read in full.
        var (endingCounts, endingShown) = await TallyAsync(ending.Select(e => new DayOfTerm(e.Subscription.TermEndDate!.Value, e.Customer, e.Subscription.Id)), perDay, cancellationToken);
        var (renewedCounts, renewedShown) = await TallyAsync(renewed.Select(e => new DayOfTerm(e.Subscription.TermStartDate, e.Customer, e.Subscription.Id)), perDay, cancellationToken);
        var shown = endingShown.Concat(renewedShown).Select(t => t.Id).ToList();
        var facts = await db.Subscriptions.Where(s => shown.Contains(s.Id))
            .Select(s => new { s.Id, s.CustomerId, s.FriendlyName, s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate, s.TermStartedAt })
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        var firstEnding = endingShown.Where(t => facts.ContainsKey(t.Id)).Select(t => (t, s: facts[t.Id], Path: est.PathFor(facts[t.Id].Status, facts[t.Id].EndOfTerm, facts[t.Id].AutoRenewEnabled, facts[t.Id].TermStartDate, t.Day)))
            .ToLookup(x => x.t.Day, x => new CalendarItem(x.t.Id, x.s.CustomerId, x.t.Customer, x.s.FriendlyName, x.Path.Outcome, x.Path.Explicit, x.Path.DriftsIntoEst));
        var firstRenewed = renewedShown.Where(t => facts.ContainsKey(t.Id))
            .ToLookup(t => t.Day, t => new CalendarItem(t.Id, facts[t.Id].CustomerId, t.Customer, facts[t.Id].FriendlyName, null, false, false, cancellation.AllowedUntil(facts[t.Id].TermStartedAt)));

        return endingCounts.Keys.Concat(renewedCounts.Keys).Distinct().Order()
            .Select(day => new CalendarDay(
                day,
                endingCounts.GetValueOrDefault(day),
                renewedCounts.GetValueOrDefault(day),
                firstEnding[day].Concat(firstRenewed[day]).Take(perDay).ToList()))
            .ToList();
    }

    /// <summary>
    /// The list view: the terms ending from <paramref name="from"/> to <paramref name="to"/> that the filter keeps, by day
    /// then customer, one page of them priced — each path's cost, the last moment to decide — and how many there are in all.
    /// The database counts, orders and pages them; only the page goes through the charge engine.
    /// </summary>
    public static async Task<Paged<EndOfTermOptions>> EndingAsync(
        LifecycleServices services, DateOnly from, DateOnly to, RenewalFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var terms = Ending(db, services.Est, from, to, filter);
        var count = await terms.CountAsync(cancellationToken);
        var ids = await terms.OrderBy(e => e.Subscription.TermEndDate).ThenBy(e => e.Customer).ThenBy(e => e.Subscription.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).Select(e => e.Subscription.Id).ToListAsync(cancellationToken);
        var priced = (await SubscriptionActions.ContextsAsync(services, db.Subscriptions.Where(s => ids.Contains(s.Id)), cancellationToken))
            .Select(c => EndOfTermCosts.For(c, services.Rules))
            .OfType<EndOfTermOptions>()
            .ToDictionary(o => o.SubscriptionId);
        return new Paged<EndOfTermOptions>(ids.Where(priced.ContainsKey).Select(id => priced[id]).ToList(), page, pageSize, count);
    }

    /// <summary>
    /// The terms renewed from <paramref name="from"/> to <paramref name="to"/> that the filter keeps (none when it names a
    /// path: a renewed term has none to filter by), by day then customer, a page at a time, with the 7-day window of each.
    /// </summary>
    public static async Task<Paged<(DateOnly Day, CalendarItem Item)>> RenewedAsync(
        CommerceDb db, CancellationPolicy cancellation, DateOnly from, DateOnly to, RenewalFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var terms = Renewed(db, from, to, filter);
        var count = await terms.CountAsync(cancellationToken);
        var items = (await terms.OrderBy(e => e.Subscription.TermStartDate).ThenBy(e => e.Customer).ThenBy(e => e.Subscription.Id)
                .Skip((page - 1) * pageSize).Take(pageSize)
                .Select(e => new { e.Subscription.Id, e.Subscription.CustomerId, e.Customer, e.Subscription.FriendlyName, e.Subscription.TermStartDate, e.Subscription.TermStartedAt })
                .ToListAsync(cancellationToken))
            .Select(s => (s.TermStartDate, new CalendarItem(s.Id, s.CustomerId, s.Customer, s.FriendlyName, null, false, false, cancellation.AllowedUntil(s.TermStartedAt))))
            .ToList();
        return new Paged<(DateOnly Day, CalendarItem Item)>(items, page, pageSize, count);
    }

    /// <summary>The sellers the calendar can be narrowed to: the caller and the resellers under it, by name.</summary>
    public static async Task<List<(Guid Id, string Name)>> SellersAsync(CommerceDb db, CancellationToken cancellationToken) =>
        (await db.Partners.OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken)).Select(p => (p.Id, p.Name)).ToList();

    /// <summary>The customers the filter keeps.</summary>
    public static IQueryable<Customer> Customers(CommerceDb db, RenewalFilter filter)
    {
        var customers = db.Customers.AsQueryable();
        if (filter.SellerId is { } seller)
        {
            customers = customers.Where(c => c.PartnerId == seller);
        }

        if (!string.IsNullOrWhiteSpace(filter.CustomerName))
        {
            var text = filter.CustomerName.Trim().ToLowerInvariant();
            customers = customers.Where(c => c.Name.ToLower().Contains(text));
        }

        return customers;
    }

    /// <summary>A term on the calendar by its day, its customer's name and its id: what orders a day's terms.</summary>
    private sealed record DayOfTerm(DateOnly Day, string Customer, Guid Id);

    /// <summary>
    /// Each day's count of <paramref name="terms"/>, and its first <paramref name="perDay"/> by customer name (ordinal) then
    /// id, read as they stream: no list of the month's terms is held.
    /// </summary>
    private static async Task<(Dictionary<DateOnly, int> Counts, List<DayOfTerm> First)> TallyAsync(IQueryable<DayOfTerm> terms, int perDay, CancellationToken cancellationToken)
    {
        var order = Comparer<DayOfTerm>.Create((a, b) => string.CompareOrdinal(a.Customer, b.Customer) is var byName and not 0 ? byName : a.Id.CompareTo(b.Id));
        var days = new Dictionary<DateOnly, (int Count, List<DayOfTerm> First)>();
        await foreach (var term in terms.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            ref var day = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(days, term.Day, out var found);
            if (!found)
            {
                day.First = [];
            }

            day.Count++;
            if (day.First.Count < perDay || order.Compare(term, day.First[^1]) < 0)
            {
                var at = day.First.BinarySearch(term, order);
                day.First.Insert(at < 0 ? ~at : at, term);
                if (day.First.Count > perDay)
                {
                    day.First.RemoveAt(day.First.Count - 1);
                }
            }
        }

        return (days.ToDictionary(d => d.Key, d => d.Value.Count), days.Values.SelectMany(d => d.First).ToList());
    }

    /// <summary>A term with its customer's name; built with an initializer, which EF Core can see through in later operators.</summary>
    internal sealed class TermOfCustomer
    {
        public required Subscription Subscription { get; init; }

        public required string Customer { get; init; }
    }

    internal static IQueryable<TermOfCustomer> Ending(CommerceDb db, EstPolicy est, DateOnly from, DateOnly to, RenewalFilter filter) =>
        OnPath(InService(db).Where(s => s.TermEndDate >= from && s.TermEndDate <= to), est, filter.Path)
            .Join(Customers(db, filter), s => s.CustomerId, c => c.Id, (s, c) => new TermOfCustomer { Subscription = s, Customer = c.Name });

    internal static IQueryable<TermOfCustomer> Renewed(CommerceDb db, DateOnly from, DateOnly to, RenewalFilter filter) =>
        InService(db).Where(s => filter.Path == null && s.TermStartDate >= from && s.TermStartDate <= to && s.TermStartDate > s.StartDate && s.Term != null)
            .Join(Customers(db, filter), s => s.CustomerId, c => c.Id, (s, c) => new TermOfCustomer { Subscription = s, Customer = c.Name });

    private static IQueryable<Subscription> InService(CommerceDb db) =>
        db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended);

    /// <summary>
    /// The terms whose end-of-term path is <paramref name="path"/>, as the database can select them: the same rule as
    /// <see cref="EstPolicy.PathFor(SubscriptionStatus, EndOfTerm?, bool, DateOnly, DateOnly)"/>, written as a query (a test
    /// holds the two to the same answer for every path).
    /// </summary>
    private static IQueryable<Subscription> OnPath(IQueryable<Subscription> terms, EstPolicy est, EndOfTermOutcome? path)
    {
        var (eligibleFrom, enforcedFrom) = (est.EligibleTermsStartingFrom, est.EnforcedFrom);
        return path switch
        {
            null => terms,
            EndOfTermOutcome.Renew => terms.Where(s => s.Status != SubscriptionStatus.Suspended && (s.EndOfTerm == EndOfTerm.Renew || (s.EndOfTerm == null && s.AutoRenewEnabled))),
            EndOfTermOutcome.Cancel => terms.Where(s => s.Status != SubscriptionStatus.Suspended && s.EndOfTerm == EndOfTerm.Cancel),
            EndOfTermOutcome.ExtendedServiceTerm => terms.Where(s => s.Status != SubscriptionStatus.Suspended
                && (s.EndOfTerm == EndOfTerm.Est || (s.EndOfTerm == null && !s.AutoRenewEnabled && s.TermStartDate >= eligibleFrom && s.TermEndDate >= enforcedFrom))),
            _ => terms.Where(s => s.Status == SubscriptionStatus.Suspended
                || (s.EndOfTerm == null && !s.AutoRenewEnabled && (s.TermStartDate < eligibleFrom || s.TermEndDate < enforcedFrom))),
        };
    }
}
