using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Subscriptions;

/// <summary>The partner's subscriptions, soonest term end first; with <c>renewingBefore</c>, only those renewing before that day.</summary>
public static class ListSubscriptions
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/subscriptions", HandleAsync)
            .WithName(nameof(ListSubscriptions))
            .WithTags("Subscriptions")
            .WithSummary("List subscriptions")
            .WithDescription("Subscriptions, soonest term end first, paged; renewingBefore=yyyy-MM-dd keeps those in service whose renewal date is before that day.");

    public static async Task<Results<Ok<Paged<SubscriptionView>>, ProblemHttpResult>> HandleAsync(
        string? renewingBefore,
        string? page,
        string? pageSize,
        CommerceDb db,
        TimeProvider time,
        CancellationPolicy cancellation,
        EstPolicy est,
        CancellationToken cancellationToken)
    {
        var before = Query.Date(renewingBefore, nameof(renewingBefore));
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 50, 1, 500);
        if ((before.Error ?? number.Error ?? size.Error) is { } error)
        {
            return error.ToProblem();
        }

        var query = db.Subscriptions.AsQueryable();
        if (before.Value is { } day)
        {
            // The renewal date is the day after the inclusive term end, so "renews before day" is "ends before day − 1".
            var lastEnd = day.AddDays(-1);
            query = query.Where(s => s.TermEndDate != null && s.TermEndDate < lastEnd
                && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended));
        }

        var total = await query.CountAsync(cancellationToken);
        var pageQuery = query.OrderBy(s => s.TermEndDate == null).ThenBy(s => s.TermEndDate).ThenBy(s => s.Id)
            .Skip((number.Value - 1) * size.Value)
            .Take(size.Value);
        var items = await SubscriptionViews.LoadAsync(db, pageQuery, time, cancellation, est, cancellationToken);

        return TypedResults.Ok(new Paged<SubscriptionView>(items, number.Value, size.Value, total));
    }
}
