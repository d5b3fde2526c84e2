using System.Text.Json;
using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// What Partner Center does on its own as time passes, caught up to "now" before each call: orders are provisioned,
/// auto-renew turned off without a scheduled cancel becomes EST after 24 hours, trials convert after their month, and terms
/// end — renewing, entering EST, cancelling or expiring, by the same <see cref="EstPolicy"/> the platform uses.
/// </summary>
public static class TimeDriven
{
    public static async Task CatchUpAsync(SimulatorDb db, DateTimeOffset now, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var today = BillingClock.MicrosoftDay(now);
        var provisionedBefore = now - options.ProvisioningDelay;
        var estAfter = now - options.AutoRenewOffToEst;
        var due = await db.Subscriptions
            .Where(s => (s.Status == SubscriptionStatus.Pending && s.CreatedAt <= provisionedBefore)
                || ((s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended)
                    && ((s.AutoRenewOffAt != null && s.AutoRenewOffAt <= estAfter)
                        || (s.TermEndDate != null && s.TermEndDate < today))))
            .ToListAsync(cancellationToken);

        foreach (var subscription in due)
        {
            Advance(subscription, now, options);
        }

        if (due.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static void Advance(SimSubscription s, DateTimeOffset now, SimulatorOptions options)
    {
        var before = (s.Status, s.TermEndDate, s.EndOfTermAction, s.RenewalInProgressUntil, s.IsTrial);
        if (s.Status == SubscriptionStatus.Pending && s.CreatedAt + options.ProvisioningDelay <= now)
        {
            s.Status = SubscriptionStatus.Active;
        }

        if (s.AutoRenewOffAt is { } off && off + options.AutoRenewOffToEst <= now)
        {
            s.AutoRenewOffAt = null;
            if (!s.AutoRenewEnabled && s.EndOfTermAction is null && s.TermEndDate is { } end && options.EstPolicy.IsEligible(s.TermStartDate, end))
            {
                s.EndOfTermAction = EndOfTermActions.Est;
            }
        }

        while (s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended && s.TermEndDate is { } termEnd && termEnd < BillingClock.MicrosoftDay(now))
        {
            // Microsoft renews the day after the inclusive end date, and the renewal may take a while.
            var renewedAt = BillingClock.StartOfDay(termEnd.AddDays(1)) + options.RenewalProcessing;
            if (now < renewedAt)
            {
                s.RenewalInProgressUntil = renewedAt;
                break;
            }

            s.RenewalInProgressUntil = null;
            if (s.IsTrial)
            {
                ConvertTrial(s, termEnd.AddDays(1), renewedAt);
                continue;
            }

            EndTerm(s, termEnd, renewedAt, options);
        }

        if (before != (s.Status, s.TermEndDate, s.EndOfTermAction, s.RenewalInProgressUntil, s.IsTrial))
        {
            s.Version++;
        }
    }

    private static void EndTerm(SimSubscription s, DateOnly termEnd, DateTimeOffset renewedAt, SimulatorOptions options)
    {
        EndOfTerm? choice = s.EndOfTermAction switch
        {
            EndOfTermActions.Cancel => EndOfTerm.Cancel,
            EndOfTermActions.Renew => EndOfTerm.Renew,
            EndOfTermActions.Est => EndOfTerm.Est,
            _ => null,
        };
        var outcome = s.InExtendedServiceTerm && choice is null
            ? EndOfTermOutcome.ExtendedServiceTerm
            : options.EstPolicy.PathFor(s.Status, choice, s.AutoRenewEnabled, s.TermStartDate, termEnd).Outcome;
        switch (outcome)
        {
            case EndOfTermOutcome.Renew:
                var next = s.ScheduledNextTermJson is { } json ? JsonSerializer.Deserialize(json, PartnerCenterJson.Default.ScheduledNextTermInstructions) : null;
                if (next?.Product is { } product)
                {
                    (s.TermDuration, s.BillingCycle) = (product.TermDuration.ToUpperInvariant(), product.BillingCycle.ToLowerInvariant());
                    if (Catalog.Find($"{product.ProductId}:{product.SkuId}:{product.AvailabilityId}") is { } offer)
                    {
                        // A transition scheduled for the term's end: the subscription renews into the other product.
                        (s.ProductId, s.SkuId, s.AvailabilityId, s.OfferName) = (offer.ProductId, offer.SkuId, offer.AvailabilityId, offer.Title);
                    }
                }

                s.Quantity = next?.Quantity ?? s.Quantity;
                s.InExtendedServiceTerm = false;
                StartTerm(s, termEnd.AddDays(1), renewedAt);
                break;
            case EndOfTermOutcome.ExtendedServiceTerm:
                (s.TermDuration, s.BillingCycle, s.InExtendedServiceTerm, s.EndOfTermAction) = ("P1M", "monthly", true, null);
                StartTerm(s, termEnd.AddDays(1), renewedAt);
                break;
            case EndOfTermOutcome.Cancel:
                s.Status = SubscriptionStatus.Deleted;
                break;
            default:
                // Before EST enforcement Microsoft expires the term, with its free grace period.
                s.Status = SubscriptionStatus.Expired;
                break;
        }

        s.ScheduledNextTermJson = null;
        if (outcome != EndOfTermOutcome.ExtendedServiceTerm)
        {
            s.EndOfTermAction = null;
        }
    }

    private static void ConvertTrial(SimSubscription s, DateOnly convertedOn, DateTimeOffset convertedAt)
    {
        if (!s.AutoRenewEnabled)
        {
            s.Status = SubscriptionStatus.Expired;
            return;
        }

        // "On conversion to a new subscription, the term duration defaults to Annual, and the billing cycle to Monthly."
        (s.IsTrial, s.TermDuration, s.BillingCycle) = (false, "P1Y", "monthly");
        StartTerm(s, convertedOn, convertedAt);
    }

    /// <summary>A new term from <paramref name="start"/>: its end by the NCE calendar, its window from <paramref name="at"/>.</summary>
    public static void StartTerm(SimSubscription s, DateOnly start, DateTimeOffset at)
    {
        var term = TermExtensions.ParseTerm(s.TermDuration).Value;
        s.TermStartDate = start;
        s.TermEndDate = NceCalendar.EndDate(start, term);
        s.TermStartedAt = at;
        s.SeatAdditionsJson = Seats.Write([new SeatAddition(s.Quantity, at)]);
    }
}

/// <summary>The <c>actionType</c>s of Microsoft's scheduled actions the simulator keeps as the end-of-term decision.</summary>
public static class EndOfTermActions
{
    public const string Cancel = "Cancel";
    public const string Renew = "RenewToNewTerm";
    public const string Est = "RenewToExtendedServiceTerm";

    /// <summary>An upgrade at the term's end: kept as a renewal into the product its instructions name.</summary>
    public const string Transition = "Transition";
}
