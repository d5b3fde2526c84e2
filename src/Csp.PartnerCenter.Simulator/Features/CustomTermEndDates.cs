using System.Globalization;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.EntityFrameworkCore;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Coterminosity (docs/microsoft/term-end-dates.md): the end dates a new licence subscription may be bought with, and the rule
/// checkout applies to a cart line's <c>customTermEndDate</c> (900242 otherwise). A date is allowed when it ends a
/// calendar month — the last day of the term's last month but one (for a year, "the last day of the 11th calendar month
/// from your purchase date") — or when an active, non-trial licence subscription of the customer ends that day within
/// the new term; a one- or three-year term cannot end with a one-month subscription.
/// </summary>
public static class CustomTermEndDates
{
    public const string NotAllowed = "900242";

    public static void Map(IEndpointRouteBuilder v1) => v1.MapGet("/customers/{customerId:guid}/subscriptions/customTermEndDates", ListAsync);

    private static async Task<IResult> ListAsync(
        Guid customerId, string? term_duration, string? term_start_date, string? target_coterm_subscription_id, SimulatorDb db, SimulatorClock clock, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        var today = BillingClock.MicrosoftDay(clock.GetUtcNow());
        if (TermExtensions.ParseTerm(term_duration) is not { IsSuccess: true } || !TryStart(term_start_date, today, out var start))
        {
            return MicrosoftErrors.InvalidInput("term_duration is required (P1M, P1Y or P3Y); term_start_date is a date, today or later.");
        }

        var allowed = await AllowedAsync(db, customerId, TermExtensions.ParseTerm(term_duration).Value, start, cancellationToken);
        if (target_coterm_subscription_id is { Length: > 0 } target)
        {
            allowed = allowed.Where(a => a.CotermSubscriptionIds?.Contains(target, StringComparer.OrdinalIgnoreCase) == true).ToList();
        }

        var self = $"/customers/{customerId}/subscriptions/customTermEndDates?term_duration={term_duration}";
        return TypedResults.Json(
            new CustomTermEndDatePage(allowed.Count, allowed, new CollectionLinksResource(LinkResource.Get(self)), new AttributesResource(null, "Collection")), SimulatorJson.Default.CustomTermEndDatePage);
    }

    /// <summary>The end dates a <paramref name="term"/> bought on <paramref name="start"/> may have for the customer.</summary>
    public static async Task<List<CustomTermEndDateResource>> AllowedAsync(SimulatorDb db, Guid customerId, Term term, DateOnly start, CancellationToken cancellationToken)
    {
        var latest = NceCalendar.EndDate(start, term);
        var monthEnd = BillingPeriod.Month(start.AddMonths(term.Months() - 1)).End;
        var allowed = new List<CustomTermEndDateResource> { new("calendarMonthAligned", BillingClock.StartOfDay(monthEnd)) };
        var others = await db.Subscriptions
            .Where(s => s.CustomerId == customerId && s.Status == SubscriptionStatus.Active && !s.IsTrial && !s.IsUsage && s.TermEndDate != null)
            .ToListAsync(cancellationToken);
        allowed.AddRange(others
            .Where(s => s.TermEndDate >= start && s.TermEndDate <= latest && !(term != Term.P1M && (s.InExtendedServiceTerm || s.TermDuration == "P1M")))
            .GroupBy(s => s.TermEndDate!.Value)
            .OrderBy(g => g.Key)
            .Select(g => new CustomTermEndDateResource("subscriptionAligned", BillingClock.StartOfDay(g.Key), g.Select(s => s.Id.ToString()).Order(StringComparer.Ordinal).ToList())));
        return allowed;
    }

    private static bool TryStart(string? text, DateOnly today, out DateOnly start)
    {
        start = today;
        return string.IsNullOrEmpty(text)
            || (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                && (start = BillingClock.MicrosoftDay(at)) >= today);
    }

}
