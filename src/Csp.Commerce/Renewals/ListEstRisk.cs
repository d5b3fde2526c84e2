using Csp.Commerce.Lifecycle;
using Csp.Domain;
using Csp.Domain.Subscriptions;

namespace Csp.Commerce.Renewals;

/// <summary>A subscription that will enter a paid Extended Service Term nobody chose, and what that costs.</summary>
/// <param name="Reason">Why: auto-renew turned off without the explicit <c>Cancel</c> scheduled action.</param>
/// <param name="EstPerMonth">The EST's charge per month on average over its first year (comparison figure).</param>
/// <param name="EstFirstYear">What the EST would cost in its first twelve months if nobody acts.</param>
public sealed record EstRisk(
    Guid SubscriptionId, Guid CustomerId, string CustomerName, string FriendlyName, int Quantity, DateOnly TermEndDate, DateTimeOffset DecideBefore,
    string Reason, decimal EstPerMonth, decimal EstFirstYear, string Currency);

/// <summary>The money at stake in one currency.</summary>
public sealed record AmountAtStake(string Currency, int Subscriptions, decimal PerMonth, decimal FirstYear);

public sealed record EstRiskReport(IReadOnlyList<EstRisk> Subscriptions, IReadOnlyList<AmountAtStake> AtStake);

/// <summary>
/// Every subscription in service that would drift into a paid Extended Service Term: its term ends on or after EST
/// enforcement (2026-05-04), it is eligible, and nobody made an explicit choice — in particular those whose auto-renew was
/// turned off without a <c>Cancel</c> scheduled action, which Microsoft converts to EST within 24 hours.
/// </summary>
public static class ListEstRisk
{
    public static async Task<EstRiskReport> RunAsync(LifecycleServices services, CancellationToken cancellationToken)
    {
        var (db, time, rules) = (services.Db, services.Time, services.Rules);
        var today = BillingClock.MicrosoftDay(time.GetUtcNow());
        // A subscription still suspended when its term ends expires instead; it enters EST only once reactivated.
        var candidates = db.Subscriptions.Where(s => s.Term != null && s.EndOfTerm == null && !s.AutoRenewEnabled && s.TermEndDate >= today && s.Status == SubscriptionStatus.Active);
        var contexts = await SubscriptionActions.ContextsAsync(services, candidates, cancellationToken);

        var risks = contexts
            .Select(c => (Context: c, Options: EndOfTermCosts.For(c, rules)))
            .Where(x => x.Options is { DriftsIntoEst: true })
            .Select(x =>
            {
                var (s, est) = (x.Context.Subscription, x.Options!.Paths.Single(p => p.Current));
                const string reason = "Auto-renew is off without the explicit Cancel scheduled action: Microsoft converts it to an Extended Service Term.";
                return new EstRisk(s.Id, s.CustomerId, x.Context.Customer.Name, s.FriendlyName, s.Quantity, x.Options.TermEndDate, x.Options.DecideBefore, reason, est.PerMonth, est.FirstYear, s.Currency);
            })
            .OrderBy(r => r.TermEndDate).ThenBy(r => r.SubscriptionId)
            .ToList();
        var atStake = risks.GroupBy(r => r.Currency)
            .Select(g => new AmountAtStake(g.Key, g.Count(), g.Sum(r => r.EstPerMonth), g.Sum(r => r.EstFirstYear)))
            .OrderBy(a => a.Currency, StringComparer.Ordinal)
            .ToList();
        return new EstRiskReport(risks, atStake);
    }
}
