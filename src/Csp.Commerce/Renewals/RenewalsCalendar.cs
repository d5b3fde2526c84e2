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
public sealed record RenewalFilter(Guid? SellerId = null, string? CustomerName = null, EndOfTermOutcome? Path = null);

/// <summary>
/// The renewals calendar's month view: for each day, the terms that end (each with its end-of-term path, from the stored
/// choice and Microsoft's rules — <see cref="EstPolicy.PathFor(SubscriptionStatus, EndOfTerm?, bool, DateOnly, DateOnly)"/>)
/// and the terms that renewed, counted, with the first few by customer. It reads only those facts of each subscription,
/// never its history: the month of a partner with 400,000 subscriptions holds some 33,000 term ends, and what each path
/// costs is the list view's (<see cref="ListRenewals"/>), a page at a time.
/// </summary>
public static class RenewalsCalendar
{
    public static async Task<List<CalendarDay>> MonthAsync(
        CommerceDb db, EstPolicy est, CancellationPolicy cancellation, DateOnly from, DateOnly to, RenewalFilter filter, int perDay, CancellationToken cancellationToken)
    {
        var customers = Customers(db, filter);
        var inService = db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended);
        var ending = (await inService.Where(s => s.TermEndDate >= from && s.TermEndDate <= to)
                .Join(customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.Id, s.CustomerId, Customer = c.Name, s.FriendlyName, s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate })
                .ToListAsync(cancellationToken))
            .Select(s => (Day: s.TermEndDate!.Value, Path: est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate!.Value), Item: s))
            .Where(s => filter.Path is not { } path || s.Path.Outcome == path)
            .ToLookup(s => s.Day, s => new CalendarItem(s.Item.Id, s.Item.CustomerId, s.Item.Customer, s.Item.FriendlyName, s.Path.Outcome, s.Path.Explicit, s.Path.DriftsIntoEst));

        // A term renewed has no path to filter by: a calendar narrowed to a path shows none.
        var renewed = (filter.Path is not null
                ? []
                : await inService.Where(s => s.TermStartDate >= from && s.TermStartDate <= to && s.TermStartDate > s.StartDate && s.Term != null)
                    .Join(customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.Id, s.CustomerId, Customer = c.Name, s.FriendlyName, s.TermStartDate, s.TermStartedAt })
                    .ToListAsync(cancellationToken))
            .ToLookup(s => s.TermStartDate, s => new CalendarItem(s.Id, s.CustomerId, s.Customer, s.FriendlyName, null, false, false, cancellation.AllowedUntil(s.TermStartedAt)));

        return ending.Select(g => g.Key).Concat(renewed.Select(g => g.Key)).Distinct().Order()
            .Select(day => new CalendarDay(
                day,
                ending[day].Count(),
                renewed[day].Count(),
                ending[day].Concat(renewed[day]).OrderBy(i => i.Outcome is null).ThenBy(i => i.CustomerName, StringComparer.Ordinal).ThenBy(i => i.SubscriptionId).Take(perDay).ToList()))
            .ToList();
    }

    /// <summary>
    /// The list view: the terms ending from <paramref name="from"/> to <paramref name="to"/> that the filter keeps, by day
    /// then customer, one page of them priced — each path's cost, the last moment to decide — and how many there are in all.
    /// The facts that order and filter them are read for the whole range; only the page goes through the charge engine.
    /// </summary>
    public static async Task<Paged<EndOfTermOptions>> EndingAsync(
        LifecycleServices services, DateOnly from, DateOnly to, RenewalFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var terms = (await db.Subscriptions
                .Where(s => (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended) && s.TermEndDate >= from && s.TermEndDate <= to)
                .Join(Customers(db, filter), s => s.CustomerId, c => c.Id, (s, c) => new { s.Id, Customer = c.Name, s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate })
                .ToListAsync(cancellationToken))
            .Where(s => filter.Path is not { } path || services.Est.PathFor(s.Status, s.EndOfTerm, s.AutoRenewEnabled, s.TermStartDate, s.TermEndDate!.Value).Outcome == path)
            .OrderBy(s => s.TermEndDate).ThenBy(s => s.Customer, StringComparer.Ordinal).ThenBy(s => s.Id)
            .ToList();
        var ids = terms.Skip((page - 1) * pageSize).Take(pageSize).Select(s => s.Id).ToList();
        var priced = (await SubscriptionActions.ContextsAsync(services, db.Subscriptions.Where(s => ids.Contains(s.Id)), cancellationToken))
            .Select(c => EndOfTermCosts.For(c, services.Rules))
            .OfType<EndOfTermOptions>()
            .ToDictionary(o => o.SubscriptionId);
        return new Paged<EndOfTermOptions>(ids.Where(priced.ContainsKey).Select(id => priced[id]).ToList(), page, pageSize, terms.Count);
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
}
