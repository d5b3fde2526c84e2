using System.Text;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Renewals;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Renewals;

/// <summary>
/// The renewals' routes: a subscription's end-of-term paths and their cost, the subscriptions drifting into EST, and the
/// renewals calendar (JSON and iCalendar), each calling its use case in <c>Csp.Commerce.Renewals</c>.
/// </summary>
public static class RenewalEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/subscriptions/{id:guid}/end-of-term", EndOfTermAsync)
            .WithTags("Renewals")
            .WithSummary("End-of-term paths and their cost")
            .WithDescription("What happens when the term ends if nothing changes, and what renewing, an Extended Service Term or cancelling would cost Microsoft-side in the following year, per month and for the year.");
        api.MapGet("/renewals/est-risk", async ([AsParameters] LifecycleServices services, HttpContext http) => TypedResults.Ok(await ListEstRisk.RunAsync(services, http.RequestAborted)))
            .WithTags("Renewals")
            .WithSummary("Subscriptions drifting into EST")
            .WithDescription("Subscriptions that will enter a paid Extended Service Term without anybody having chosen it, soonest first, with the money at stake per currency. Set their end-of-term choice (one by one, or in bulk) to stop the drift.");
        api.MapGet("/renewals", CalendarAsync)
            .WithTags("Renewals")
            .WithSummary("Renewals calendar")
            .WithDescription($"Days from 'from' to 'to' (yyyy-MM-dd; today and 30 days on by default; at most {ListRenewals.MaxDays} days) with the terms ending each day, their end-of-term path, the last moment to change it and each path's cost, and the terms renewed that day with their 7-day window; narrowed by sellerId (the caller or one of its resellers), customer (text in the customer's name) and path (renew, cancel, extendedServiceTerm, expire). At most {ListRenewals.MaxTerms} terms: a range holding more is refused with their count.");
        api.MapGet("/renewals.ics", ICalendarAsync)
            .WithTags("Renewals")
            .WithSummary("Renewals calendar (iCalendar)")
            .WithDescription("The same calendar, with the same filters, as an iCalendar (RFC 5545) feed: one all-day event per term ending, 90 days from today by default.");
    }

    private static async Task<Results<Ok<EndOfTermOptions>, ProblemHttpResult>> EndOfTermAsync(Guid id, [AsParameters] LifecycleServices services, HttpContext http) =>
        await EndOfTermCosts.RunAsync(services, id, http.RequestAborted) switch
        {
            { IsSuccess: false } none => none.Error.ToProblem(),
            var options => TypedResults.Ok(options.Value),
        };

    private static async Task<Results<Ok<List<RenewalDay>>, ProblemHttpResult>> CalendarAsync(
        string? from, string? to, string? sellerId, string? customer, string? path, [AsParameters] LifecycleServices services, HttpContext http) =>
        await DaysAsync(from, to, sellerId, customer, path, services, 30, http.RequestAborted) switch
        {
            { IsSuccess: false } refused => refused.Error.ToProblem(),
            var days => TypedResults.Ok(days.Value),
        };

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ICalendarAsync(
        string? from, string? to, string? sellerId, string? customer, string? path, [AsParameters] LifecycleServices services, HttpContext http) =>
        await DaysAsync(from, to, sellerId, customer, path, services, 90, http.RequestAborted) switch
        {
            { IsSuccess: false } refused => refused.Error.ToProblem(),
            var days => TypedResults.File(Encoding.UTF8.GetBytes(ListRenewals.ICalendar(days.Value, services.Time.GetUtcNow())), "text/calendar; charset=utf-8", "renewals.ics"),
        };

    /// <summary>The calendar the query asks for: its days, narrowed to a seller, customers whose name holds a text, or a path.</summary>
    private static async Task<Result<List<RenewalDay>>> DaysAsync(
        string? from, string? to, string? sellerId, string? customer, string? path, LifecycleServices services, int defaultDays, CancellationToken cancellationToken)
    {
        var range = Range(from, to, services.Time, defaultDays);
        var seller = Query.Id(sellerId, nameof(sellerId));
        var outcome = Query.Name<EndOfTermOutcome>(path, nameof(path));
        var error = range.Error ?? seller.Error ?? outcome.Error
            ?? (customer?.Length > RenewalFilter.MaxCustomerName ? Error.InvalidParameter(nameof(customer), $"customer is at most {RenewalFilter.MaxCustomerName} characters.") : null);
        return error is not null
            ? error
            : await ListRenewals.DaysAsync(services, range.Value.From, range.Value.To, new RenewalFilter(seller.Value, customer, outcome.Value), cancellationToken);
    }

    /// <summary>The days asked for: from today (Microsoft's billing day) for <paramref name="defaultDays"/> unless given, at most <see cref="ListRenewals.MaxDays"/>.</summary>
    private static Result<(DateOnly From, DateOnly To)> Range(string? from, string? to, TimeProvider time, int defaultDays)
    {
        var start = Query.Date(from, nameof(from));
        var end = Query.Date(to, nameof(to));
        if ((start.Error ?? end.Error) is { } error)
        {
            return error;
        }

        var first = start.Value ?? BillingClock.MicrosoftToday(time);
        var last = end.Value ?? first.AddDays(defaultDays);
        return last < first || last.DayNumber - first.DayNumber > ListRenewals.MaxDays
            ? Error.InvalidParameter(nameof(to), $"'to' must be on or after 'from' and at most {ListRenewals.MaxDays} days later.")
            : (first, last);
    }
}
