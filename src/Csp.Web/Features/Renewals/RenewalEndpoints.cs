using System.Text;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Renewals;
using Csp.Domain;
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
            .WithDescription($"Days from 'from' to 'to' (yyyy-MM-dd; today and 30 days on by default; at most {ListRenewals.MaxDays} days) with the terms ending each day, their end-of-term path, the last moment to change it and each path's cost, and the terms renewed that day with their 7-day window.");
        api.MapGet("/renewals.ics", ICalendarAsync)
            .WithTags("Renewals")
            .WithSummary("Renewals calendar (iCalendar)")
            .WithDescription("The same calendar as an iCalendar (RFC 5545) feed: one all-day event per term ending, 90 days from today by default.");
    }

    private static async Task<Results<Ok<EndOfTermOptions>, ProblemHttpResult>> EndOfTermAsync(Guid id, [AsParameters] LifecycleServices services, HttpContext http) =>
        await EndOfTermCosts.RunAsync(services, id, http.RequestAborted) switch
        {
            { IsSuccess: false } none => none.Error.ToProblem(),
            var options => TypedResults.Ok(options.Value),
        };

    private static async Task<Results<Ok<List<RenewalDay>>, ProblemHttpResult>> CalendarAsync(string? from, string? to, [AsParameters] LifecycleServices services, HttpContext http)
    {
        var range = Range(from, to, services.Time, 30);
        return range.IsSuccess
            ? TypedResults.Ok(await ListRenewals.DaysAsync(services, range.Value.From, range.Value.To, http.RequestAborted))
            : range.Error.ToProblem();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ICalendarAsync(string? from, string? to, [AsParameters] LifecycleServices services, HttpContext http)
    {
        var range = Range(from, to, services.Time, 90);
        if (!range.IsSuccess)
        {
            return range.Error.ToProblem();
        }

        var days = await ListRenewals.DaysAsync(services, range.Value.From, range.Value.To, http.RequestAborted);
        return TypedResults.File(Encoding.UTF8.GetBytes(ListRenewals.ICalendar(days, services.Time.GetUtcNow())), "text/calendar; charset=utf-8", "renewals.ics");
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
