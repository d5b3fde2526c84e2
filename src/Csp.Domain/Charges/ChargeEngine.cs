using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;

namespace Csp.Domain.Charges;

/// <summary>
/// Microsoft's charge engine: from subscriptions as bought and what happened to them, the lines Microsoft posts to the
/// reconciliation file, or the rule that Microsoft would have refused a change with.
/// </summary>
/// <remarks>
/// <para>
/// Specification: docs/microsoft/charges.md, whose worked examples are tests, and the rules of lifecycle.md,
/// term-end-dates.md, promotions.md, trials.md, extended-service-term.md and files.md beside it. The engine walks the days
/// from the first purchase to <see cref="ChargeHistory.Through"/>; on each day, time-driven charges come first
/// (renewals, EST months, charge cycles, a billing-plan switch), then that day's events in the order given.
/// </para>
/// <para>
/// Proration: effective unit price = unit price × billable days ÷ charge-cycle days, billable days counted from the
/// event to the end of its cycle, both inclusive. A seat change is a refund of the old count and a charge of the new
/// one for the rest of the cycle ("wipe and recreate"); a cancellation refunds the unused days; an upgrade refunds the
/// moved seats on the source and charges them on the target for the same days. A switch from monthly to annual billing
/// charges the rest of the annual cycle by months, unit price × months ÷ 12, as Microsoft's example does (229.16 = 250 ×
/// 11 ÷ 12). Days are Microsoft's billing days (UTC); windows are instants: each change is judged by
/// <see cref="NceRules"/>, the rules the lifecycle's actions ask, at its instant (<see cref="SubscriptionChange.At"/>,
/// the start of its day when not given) against the instant of the purchase, renewal or seat addition it depends on.
/// </para>
/// <para>
/// Choices where Microsoft publishes no rule, each marked so in the reference: EST months run month to month like
/// one-month terms, at the SKU's monthly-term price + 3% (or the term's monthly equivalent + 23% without a monthly plan),
/// with no promotion, charged in full at the start of each month and refunded by the day on cancellation; seats cannot
/// change during EST; a subscription still suspended at the end of its term expires; an upgrade into an existing
/// subscription charges only the moved seats on the target; a full upgrade keeps the source's subscription id on the
/// target's lines, as Microsoft's full-upgrade example shows.
/// </para>
/// </remarks>
public static class ChargeEngine
{
    public static Result<IReadOnlyList<ChargeLine>> Run(ChargeHistory history, ChargeRules rules)
    {
        var run = new EngineRun(history, rules);
        return run.Execute() is { } error ? error : run.Lines;
    }

    /// <summary>The part of a full cycle's price one line charges: <c>Numerator ÷ Denominator</c>.</summary>
    private readonly record struct Share(int Numerator, int Denominator)
    {
        public static Share Whole { get; } = new(1, 1);

        /// <summary>This share, for <paramref name="days"/> of a cycle of <paramref name="cycleDays"/> days.</summary>
        public Share For(int days, int cycleDays) => days == cycleDays ? this : new(Numerator * days, Denominator * cycleDays);
    }

    private sealed class Tracked(PurchasedSubscription bought, string lineId)
    {
        public PurchasedSubscription Bought { get; } = bought;

        /// <summary>The subscription id its lines carry: the source's after a full upgrade, as Microsoft keeps it.</summary>
        public string LineId { get; } = lineId;

        public SubscriptionStatus Status { get; set; } = SubscriptionStatus.Pending;

        public Money UnitPrice { get; set; } = bought.UnitPrice;

        public Term Term { get; set; } = bought.Term;

        public BillingPlan Plan { get; set; } = bought.BillingPlan;

        public int Quantity { get; set; } = bought.Quantity;

        public bool Trial { get; set; } = bought.Trial;

        public bool InEst { get; set; }

        public EndOfTerm EndOfTerm { get; set; } = bought.EndOfTerm;

        public string? PromotionId { get; set; } = bought.PromotionId;

        /// <summary>The share of <see cref="UnitPrice"/> the promotion takes off, 0 without one (Microsoft's <c>PercentDiscount</c>).</summary>
        public decimal Discount { get; set; } = bought.PromotionDiscount ?? 0m;

        public string ProductId { get; set; } = bought.ProductId;

        public string SkuId { get; set; } = bought.SkuId;

        public string ProductName { get; set; } = bought.ProductName;

        /// <summary>Changes scheduled for the renewal, if any.</summary>
        public NextTerm? Next { get; set; }

        /// <summary>The first term's custom end date, until that term has started.</summary>
        public DateOnly? CustomTermEnd { get; set; } = bought.CustomTermEndDate;

        /// <summary>The current term (for a trial its month, in EST the current month), both ends inclusive.</summary>
        public BillingPeriod Period { get; set; }

        public BillingPeriod Cycle { get; set; }

        /// <summary>The share of <see cref="UnitPrice"/> a seat costs for the whole of <see cref="Cycle"/>.</summary>
        public Share CycleShare { get; set; } = Share.Whole;

        /// <summary>The instant the current term was bought or renewed, from which it can be cancelled; null when it never can (an upgrade, EST).</summary>
        public DateTimeOffset? CommittedAt { get; set; }

        public List<SeatAddition> Additions { get; } = [];

        public (BillingPlan Plan, Money UnitPrice)? PendingPlan { get; set; }

        public bool Started => Status != SubscriptionStatus.Pending;
    }

    private sealed class EngineRun(ChargeHistory history, ChargeRules rules)
    {
        private readonly Dictionary<string, Tracked> tracked = history.Subscriptions.ToDictionary(s => s.Id, s => new Tracked(s, s.Id), StringComparer.Ordinal);

        public List<ChargeLine> Lines { get; } = [];

        public Error? Execute()
        {
            if (history.Subscriptions.Count == 0)
            {
                return Invalid("charges.no_subscriptions", "The history has no subscriptions.");
            }

            foreach (var bought in history.Subscriptions)
            {
                if (Validate(bought) is { } error)
                {
                    return error;
                }
            }

            var events = history.Events.Select((change, index) => (Change: change, Index: index)).ToLookup(e => e.Change.Date);
            for (var day = history.Subscriptions.Min(s => s.Start); day <= history.Through; day = day.AddDays(1))
            {
                // Only events add subscriptions (an upgrade's target), never scheduled charges: the values can be walked as they are.
                foreach (var subscription in tracked.Values)
                {
                    if (Scheduled(subscription, day) is { } error)
                    {
                        return error;
                    }
                }

                foreach (var (change, index) in events[day])
                {
                    if (Apply(change, index) is { } error)
                    {
                        return error;
                    }
                }
            }

            return history.Events
                .Select((change, index) => (change, index))
                .FirstOrDefault(e => e.change.Date < history.Subscriptions.Min(s => s.Start)) is { change: not null } early
                ? Refuse(early.index, early.change, "charges.before_purchase", "it is dated before any subscription was bought.")
                : null;
        }

        private static Error? Validate(PurchasedSubscription bought)
        {
            if (bought.Quantity < 1)
            {
                return Invalid("charges.invalid_quantity", $"Subscription {bought.Id}: quantity must be at least 1, not {bought.Quantity}.");
            }

            if (bought.PurchasedAt is { } at && BillingClock.MicrosoftDay(at) != bought.Start)
            {
                return Invalid("charges.invalid_instant", $"Subscription {bought.Id}: its purchase instant {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC is not on its start day, {bought.Start:yyyy-MM-dd}.");
            }

            if (!bought.Term.Offers(bought.BillingPlan))
            {
                return Invalid("calendar.plan_not_offered", $"Subscription {bought.Id}: a {bought.Term} term cannot be billed {bought.BillingPlan.ToMicrosoft()}.");
            }

            if (bought.CustomTermEndDate is { } end
                && (bought.Trial || NceCalendar.Schedule(bought.Start, bought.Term, bought.BillingPlan, end) is { IsSuccess: false }))
            {
                return Invalid(
                    "charges.invalid_term_end",
                    $"Subscription {bought.Id}: a custom term end date must fall within its first {bought.Term} term ({bought.Start:yyyy-MM-dd} to {NceCalendar.EndDate(bought.Start, bought.Term):yyyy-MM-dd}), and a trial has none; {end:yyyy-MM-dd} does not.");
            }

            if (bought.PromotionDiscount is { } discount && (discount <= 0 || discount >= 1 || bought.PromotionId is null || bought.Trial))
            {
                return Invalid(
                    "charges.invalid_promotion_discount",
                    $"Subscription {bought.Id}: a promotion's discount is the share of the unit price it takes off, more than 0 and less than 1 (0.25 for 25%), on a paid subscription with its promotionId; {discount} is not.");
            }

            return bought.UnitPrice.Amount < 0
                ? Invalid("charges.invalid_price", $"Subscription {bought.Id}: the unit price cannot be negative.")
                : null;
        }

        private Error? Scheduled(Tracked s, DateOnly day)
        {
            if (s.Status == SubscriptionStatus.Pending && day == s.Bought.Start)
            {
                Purchase(s, day);
                return null;
            }

            if (s.Status is not (SubscriptionStatus.Active or SubscriptionStatus.Suspended))
            {
                return null;
            }

            if (day == s.Period.End.AddDays(1))
            {
                EndOfTermReached(s, day);
            }
            else if (day == s.Cycle.End.AddDays(1))
            {
                var type = ChargeType.CycleCharge;
                if (s.PendingPlan is { } pending)
                {
                    // The new plan is charged at the price list's price: a promotion does not carry over.
                    (s.Plan, s.UnitPrice, s.PendingPlan, type) = (pending.Plan, pending.UnitPrice, null, ChargeType.ChangeBillingPlan);
                    (s.PromotionId, s.Discount) = (null, 0m);
                }

                StartCycle(s, day);
                Charge(s, day, type, s.Cycle, s.CycleShare, s.Quantity, Reference(s, day, type));
            }

            return null;
        }

        private void Purchase(Tracked s, DateOnly day)
        {
            s.Status = SubscriptionStatus.Active;
            if (s.Trial)
            {
                // A trial runs one month by the NCE calendar: "One-Month commitment for trial", bought May 20, charged to June 19.
                s.Period = NceCalendar.Schedule(day, Term.P1M, BillingPlan.Monthly).Value.Period;
                s.Cycle = s.Period;
                s.CycleShare = Share.Whole;
                Charge(s, day, ChargeType.New, s.Cycle, Share.Whole, s.Quantity, Reference(s, day, ChargeType.New));
                return;
            }

            StartTerm(s, day, s.Bought.PurchasedAt ?? At(day));
            Charge(s, day, ChargeType.New, s.Cycle, s.CycleShare, s.Quantity, Reference(s, day, ChargeType.New));
        }

        private void EndOfTermReached(Tracked s, DateOnly day)
        {
            if (s.Status == SubscriptionStatus.Suspended || (s.EndOfTerm == EndOfTerm.Cancel && !s.InEst))
            {
                s.Status = SubscriptionStatus.Expired;
            }
            else if (s.Trial)
            {
                ConvertToPaid(s, day, Renewed(day), s.Bought.UnitPrice, Term.P1Y, BillingPlan.Monthly, Reference(s, day, ChargeType.Convert));
            }
            else if (s.InEst || (s.EndOfTerm == EndOfTerm.Est && rules.Est.IsEligible(s.Period.Start, s.Period.End)))
            {
                EnterEstMonth(s, day);
            }
            else if (s.EndOfTerm == EndOfTerm.Renew)
            {
                if (s.Next is { } next)
                {
                    (s.ProductId, s.SkuId, s.ProductName, s.Term, s.Plan, s.Quantity, s.UnitPrice, s.Next) =
                        (next.ProductId, next.SkuId, next.ProductName, next.Term, next.BillingPlan, next.Quantity, next.UnitPrice, null);
                }

                // A promotion is for the term it was bought with: the renewal is at the list price.
                (s.PromotionId, s.Discount) = (null, 0m);

                s.Additions.Clear();
                StartTerm(s, day, Renewed(day));
                Charge(s, day, ChargeType.Renew, s.Cycle, s.CycleShare, s.Quantity, Reference(s, day, ChargeType.Renew));
            }
            else
            {
                s.Status = SubscriptionStatus.Expired;
            }
        }

        private void EnterEstMonth(Tracked s, DateOnly day)
        {
            if (!s.InEst)
            {
                // EST is billed at the SKU's current monthly-term rate plus the uplift, without any promotion.
                var perMonth = s.Bought.MonthlyTermUnitPrice is { } monthly
                    ? monthly * (1 + rules.EstUplift)
                    : s.UnitPrice / s.Plan.Months() * (1 + rules.EstUpliftWithoutMonthlyPlan);
                (s.InEst, s.UnitPrice, s.Plan, s.PromotionId, s.Discount, s.PendingPlan) = (true, perMonth, BillingPlan.Monthly, null, 0m, null);
            }

            s.Period = NceCalendar.Schedule(day, Term.P1M, BillingPlan.Monthly).Value.Period;
            s.Cycle = s.Period;
            s.CycleShare = Share.Whole;
            s.CommittedAt = null;
            Charge(s, day, ChargeType.ExtendedServiceTerm, s.Cycle, Share.Whole, s.Quantity, Reference(s, day, ChargeType.ExtendedServiceTerm));
        }

        /// <summary>A term from <paramref name="day"/>, committed at <paramref name="at"/>: its windows count from then.</summary>
        private static void StartTerm(Tracked s, DateOnly day, DateTimeOffset at)
        {
            s.Period = NceCalendar.Schedule(day, s.Term, s.Plan, s.CustomTermEnd).Value.Period;
            s.CustomTermEnd = null;
            s.CommittedAt = at;
            StartCycle(s, day);
            if (s.Additions.Count == 0)
            {
                s.Additions.Add(new SeatAddition(s.Quantity, at));
            }
        }

        /// <summary>When a term renewed (or a trial converted) on <paramref name="day"/> is taken to have been committed.</summary>
        private DateTimeOffset Renewed(DateOnly day) => At(day) + rules.RenewalProcessing;

        /// <summary>
        /// The cycle of the current plan that starts on <paramref name="day"/>. The short first cycle of a term cut to a
        /// custom end date costs its days' share of the whole cycle it is part of. After a switch from monthly to annual
        /// billing the first annual cycle runs only to the end of the term year it falls in, and costs its months' share.
        /// </summary>
        private static void StartCycle(Tracked s, DateOnly day)
        {
            var schedule = Schedule(s.Period, s.Term, s.Plan);
            var grid = schedule.CycleOn(day)!.Value;
            s.Cycle = new BillingPeriod(day, grid.End);
            if (grid.Start != day)
            {
                var months = Schedule(s.Period, s.Term, BillingPlan.Monthly).ChargeCycles.Count(c => c.Start >= day && c.Start <= grid.End);
                s.CycleShare = new Share(months, s.Plan.Months());
            }
            else
            {
                s.CycleShare = grid == schedule.ChargeCycles[0] && schedule.ShortFirstCycle is { } whole ? new Share(grid.Days, whole.Days) : Share.Whole;
            }
        }

        /// <summary>The calendar of a term running over <paramref name="period"/>, which may end early by a custom end date.</summary>
        private static TermSchedule Schedule(BillingPeriod period, Term term, BillingPlan plan) =>
            NceCalendar.Schedule(period.Start, term, plan, period.End).Value;

        private Error? Apply(SubscriptionChange change, int index)
        {
            if (!tracked.TryGetValue(change.SubscriptionId, out var s))
            {
                return Refuse(index, change, "charges.unknown_subscription", $"there is no subscription '{change.SubscriptionId}'.", ErrorKind.Invalid);
            }

            if (!s.Started)
            {
                return Refuse(index, change, "charges.before_purchase", $"subscription {s.Bought.Id} is only bought on {s.Bought.Start:yyyy-MM-dd}.", ErrorKind.Invalid);
            }

            if (change.At is { } at && BillingClock.MicrosoftDay(at) != change.Date)
            {
                return Refuse(index, change, "charges.invalid_instant", $"its instant {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC is not on its day, {change.Date:yyyy-MM-dd}.", ErrorKind.Invalid);
            }

            return change switch
            {
                ChangeQuantity c => ChangeSeats(s, c, index),
                Cancel c => CancelNow(s, c, index),
                Upgrade c => UpgradeTo(s, c, index),
                ConvertTrial c => Convert(s, c, index),
                ChangeBillingPlan c => SwitchPlan(s, c, index),
                SetEndOfTerm c => Decide(s, c, index),
                ScheduleNextTerm c => ScheduleRenewal(s, c, index),
                Suspend c => Move(s, c, index, SubscriptionTrigger.Suspend),
                Reactivate c => Move(s, c, index, SubscriptionTrigger.Reactivate),
                _ => throw new ArgumentOutOfRangeException(nameof(change), change, "Unknown change."),
            };
        }

        private static Error? ScheduleRenewal(Tracked s, ScheduleNextTerm change, int index)
        {
            if (Unchangeable(s, change, index, "schedule changes for its renewal") is { } refused)
            {
                return refused;
            }

            if (change.Next is { } next && (!next.Term.Offers(next.BillingPlan) || next.Quantity < 1))
            {
                return Refuse(index, change, "calendar.plan_not_offered", $"the next term, {next.Quantity} seats of {next.Term} billed {next.BillingPlan.ToMicrosoft()}, cannot be sold.", ErrorKind.Invalid);
            }

            s.Next = change.Next;
            return null;
        }

        private Error? ChangeSeats(Tracked s, ChangeQuantity change, int index)
        {
            s.Next = null;
            if (Unchangeable(s, change, index, "change seats") is { } refused)
            {
                return refused;
            }

            if (change.Quantity < 1)
            {
                return Refuse(index, change, "charges.invalid_quantity", $"a quantity must be at least 1, not {change.Quantity}; cancel the subscription instead.", ErrorKind.Invalid);
            }

            var old = s.Quantity;
            if (change.Quantity == old)
            {
                return null;
            }

            if (change.Quantity < old)
            {
                if (NceRules.SeatReduction(Subject(s), rules.Cancellation, s.Additions, old, old - change.Quantity, Instant(change)) is { } closed)
                {
                    return Refuse(index, change, closed);
                }

                Consume(s, old - change.Quantity);
            }
            else
            {
                s.Additions.Add(new SeatAddition(change.Quantity - old, Instant(change)));
            }

            var type = change.Quantity > old ? ChargeType.AddQuantity : ChargeType.RemoveQuantity;
            var reference = Reference(s, change.Date, type, index);
            var rest = s.Cycle.From(change.Date);
            var share = s.CycleShare.For(rest.Days, s.Cycle.Days);
            Refund(s, change.Date, type, rest, share, old, reference);
            Charge(s, change.Date, type, rest, share, change.Quantity, reference);
            s.Quantity = change.Quantity;
            return null;
        }

        private Error? CancelNow(Tracked s, Cancel change, int index)
        {
            s.Next = null;
            if (SubscriptionLifecycle.Next(s.Status, SubscriptionTrigger.Cancel).Error is { } invalid)
            {
                return Refuse(index, change, invalid.Code, $"{invalid.Message}");
            }

            if (NceRules.Cancellation(Subject(s), rules.Cancellation, s.CommittedAt, Instant(change), s.InEst, s.Trial, s.Period.End) is { } closed)
            {
                return Refuse(index, change, closed);
            }

            s.Status = SubscriptionStatus.Deleted;
            if (!s.Trial)
            {
                var rest = s.Cycle.From(change.Date);
                Refund(s, change.Date, ChargeType.CancelImmediate, rest, s.CycleShare.For(rest.Days, s.Cycle.Days), s.Quantity, Reference(s, change.Date, ChargeType.CancelImmediate, index));
            }

            return null;
        }

        private Error? UpgradeTo(Tracked source, Upgrade change, int index)
        {
            source.Next = null;
            if (Unchangeable(source, change, index, "be upgraded") is { } refused)
            {
                return refused;
            }

            var target = change.Target;
            if (change.Quantity < 1 || change.Quantity > source.Quantity)
            {
                return Refuse(index, change, "charges.invalid_quantity", $"an upgrade moves from 1 to {source.Quantity} seats, not {change.Quantity}.", ErrorKind.Invalid);
            }

            if (NceRules.Upgrade(Subject(source), source.Trial, source.Term, target.Term) is { } refusedUpgrade)
            {
                return Refuse(index, change, refusedUpgrade);
            }

            if (!target.Term.Offers(target.BillingPlan))
            {
                return Refuse(index, change, "calendar.plan_not_offered", $"a {target.Term} term cannot be billed {target.BillingPlan.ToMicrosoft()}.", ErrorKind.Invalid);
            }

            var type = change.TargetExists ? ChargeType.MoveQuantity : ChargeType.Convert;
            var reference = Reference(source, change.Date, type, index);
            Tracked into;
            if (change.TargetExists)
            {
                if (!tracked.TryGetValue(target.Id, out var existing) || existing.Status != SubscriptionStatus.Active)
                {
                    return Refuse(index, change, "charges.target_not_active", $"the target subscription '{target.Id}' does not exist or is not active on that day.");
                }

                into = existing;
                into.Quantity += change.Quantity;
            }
            else
            {
                if (tracked.ContainsKey(target.Id))
                {
                    return Refuse(index, change, "charges.target_exists", $"subscription '{target.Id}' already exists; mark the upgrade as into an existing subscription.", ErrorKind.Invalid);
                }

                var full = change.Quantity == source.Quantity;
                into = new Tracked(target with { Quantity = change.Quantity }, full ? source.LineId : target.Id) { Status = SubscriptionStatus.Active };
                tracked.Add(target.Id, into);

                // A same-term target is coterminous with its source; a longer one starts its own term.
                into.Period = target.Term == source.Term ? source.Period : NceCalendar.Schedule(change.Date, target.Term, target.BillingPlan).Value.Period;
                var schedule = Schedule(into.Period, into.Term, into.Plan);
                var grid = schedule.CycleOn(change.Date)!.Value;
                into.Cycle = grid;
                into.CycleShare = grid == schedule.ChargeCycles[0] && schedule.ShortFirstCycle is { } whole ? new Share(grid.Days, whole.Days) : Share.Whole;
                into.CommittedAt = null;
            }

            var sourceRest = source.Cycle.From(change.Date);
            Refund(source, change.Date, type, sourceRest, source.CycleShare.For(sourceRest.Days, source.Cycle.Days), change.Quantity, reference);
            var targetRest = into.Cycle.From(change.Date);
            Charge(into, change.Date, type, targetRest, into.CycleShare.For(targetRest.Days, into.Cycle.Days), change.Quantity, reference);

            if (change.Quantity == source.Quantity)
            {
                source.Status = SubscriptionStatus.Deleted;
            }
            else
            {
                Consume(source, change.Quantity);
                source.Quantity -= change.Quantity;
            }

            return null;
        }

        private Error? Convert(Tracked s, ConvertTrial change, int index)
        {
            if (!s.Trial || s.Status != SubscriptionStatus.Active)
            {
                return Refuse(index, change, "charges.not_a_trial", $"subscription {s.Bought.Id} is not an active trial.");
            }

            if (!change.Term.Offers(change.BillingPlan))
            {
                return Refuse(index, change, "calendar.plan_not_offered", $"a {change.Term} term cannot be billed {change.BillingPlan.ToMicrosoft()}.", ErrorKind.Invalid);
            }

            var reference = Reference(s, change.Date, ChargeType.Convert, index);
            var rest = s.Cycle.From(change.Date);
            Charge(s, change.Date, ChargeType.Convert, rest, Share.Whole, s.Quantity, reference);
            ConvertToPaid(s, change.Date, Instant(change), change.UnitPrice, change.Term, change.BillingPlan, reference);
            return null;
        }

        private void ConvertToPaid(Tracked s, DateOnly day, DateTimeOffset at, Money unitPrice, Term term, BillingPlan plan, string reference)
        {
            (s.Trial, s.UnitPrice, s.Term, s.Plan) = (false, unitPrice, term, plan);
            s.Additions.Clear();
            StartTerm(s, day, at);
            Charge(s, day, ChargeType.Convert, s.Cycle, s.CycleShare, s.Quantity, reference);
        }

        private static Error? SwitchPlan(Tracked s, ChangeBillingPlan change, int index)
        {
            if (Unchangeable(s, change, index, "change its billing plan") is { } refused)
            {
                return refused;
            }

            if ((NceRules.BillingPlanChange(Subject(s), s.Trial, s.Term, s.Plan, change.BillingPlan) ?? NceRules.BillingPlanChangeBeforeTermEnd(Subject(s), s.Cycle.End, s.Period.End)) is { } refusedPlan)
            {
                return Refuse(index, change, refusedPlan);
            }

            s.PendingPlan = (change.BillingPlan, change.UnitPrice);
            return null;
        }

        private static Error? Decide(Tracked s, SetEndOfTerm change, int index)
        {
            const string What = "change its end-of-term choice";
            if ((NceRules.OutsideExtendedServiceTerm(Subject(s), s.InEst, What) ?? NceRules.InService(Subject(s), s.Status, What, allowSuspended: true)) is { } refused)
            {
                return Refuse(index, change, refused);
            }

            s.EndOfTerm = change.EndOfTerm;
            s.Next = change.EndOfTerm == EndOfTerm.Renew ? s.Next : null;
            return null;
        }

        private static Error? Move(Tracked s, SubscriptionChange change, int index, SubscriptionTrigger trigger)
        {
            var next = SubscriptionLifecycle.Next(s.Status, trigger);
            if (!next.IsSuccess)
            {
                return Refuse(index, change, next.Error.Code, next.Error.Message);
            }

            s.Status = next.Value;
            return null;
        }

        /// <summary>Microsoft refuses seat, plan and product changes unless the subscription is active, and during EST.</summary>
        private static Error? Unchangeable(Tracked s, SubscriptionChange change, int index, string what) =>
            (NceRules.InService(Subject(s), s.Status, what) ?? NceRules.OutsideExtendedServiceTerm(Subject(s), s.InEst, what)) is { } refused
                ? Refuse(index, change, refused)
                : null;

        private static string Subject(Tracked s) => $"subscription {s.Bought.Id}";

        /// <summary>Takes <paramref name="seats"/> away from the newest additions first: a reduction refunds what was added last.</summary>
        private static void Consume(Tracked s, int seats)
        {
            var kept = SeatAdditions.Remove(s.Additions, seats);
            s.Additions.Clear();
            s.Additions.AddRange(kept);
        }

        private void Charge(Tracked s, DateOnly day, ChargeType type, BillingPeriod period, Share share, int quantity, string reference) =>
            Lines.Add(Line(s, day, type, period, share, quantity, refund: false, reference, PriceOf(s), QualifiersOf(s)));

        private void Refund(Tracked s, DateOnly day, ChargeType type, BillingPeriod period, Share share, int quantity, string reference) =>
            Lines.Add(Line(s, day, type, period, share, quantity, refund: true, reference, PriceOf(s), QualifiersOf(s)));

        /// <summary>A trial's lines are free and marked <c>["Trial"]</c>, whatever it will cost once converted.</summary>
        private Money PriceOf(Tracked s) => s.Trial ? Zero : s.UnitPrice;

        private static IReadOnlyList<string> QualifiersOf(Tracked s) => s.Trial ? TrialQualifier : [];

        /// <summary>
        /// One line: <c>UnitPrice</c> is the price list's price, <c>EffectiveUnitPrice</c> that price less the promotion's
        /// discount, for the line's share of the cycle (16 less 10% is 14.4 for a whole cycle).
        /// </summary>
        private ChargeLine Line(Tracked s, DateOnly day, ChargeType type, BillingPeriod period, Share share, int quantity, bool refund, string reference, Money unitPrice, IReadOnlyList<string> qualifiers)
        {
            var price = unitPrice.Currency == history.Currency ? unitPrice : new Money(unitPrice.Amount, history.Currency);
            var discounted = s.Trial ? price : price * (1 - s.Discount);
            var effective = discounted.Amount * share.Numerator / share.Denominator;
            var subtotal = ChargeRounding.Subtotal(rules.Rounding, discounted, share.Numerator, share.Denominator, quantity);
            return new ChargeLine(
                day,
                s.LineId,
                s.ProductId,
                s.SkuId,
                s.ProductName,
                type,
                price,
                quantity,
                quantity,
                refund ? -effective : effective,
                refund ? -subtotal : subtotal,
                period.Start,
                period.End,
                s.Period.Start,
                s.Period.End,
                TermAndBillingCycle(s, qualifiers.Count > 0),
                BillingFrequency(s, qualifiers.Count > 0),
                reference,
                qualifiers,
                s.InEst || qualifiers.Count > 0 ? null : s.PromotionId);
        }

        private Money Zero => Money.Zero(history.Currency);

        private static readonly IReadOnlyList<string> TrialQualifier = ["Trial"];

        private static string TermAndBillingCycle(Tracked s, bool trial) => (trial, s.InEst, s.Term) switch
        {
            (true, _, _) => "One-Month commitment for trial",
            (_, true, _) => "Extended Service Term for monthly billing",
            (_, _, Term.P1M) => "One-Month commitment for monthly billing",
            (_, _, Term.P1Y) => "One-Year commitment for monthly/yearly billing",
            _ => "Three-Year commitment for monthly/yearly billing",
        };

        /// <summary>
        /// Microsoft's <c>BillingFrequency</c>: Monthly or Annual for recurring charges; blank for one-time payments — a
        /// one- or three-year term paid in one charge — and for a trial ("For one-time payments and unbilled transactions,
        /// the billing frequency is left blank"). A one-month term is billed monthly, renewing month to month: Monthly.
        /// </summary>
        private static string BillingFrequency(Tracked s, bool trial) =>
            trial || (s.Term != Term.P1M && s.Plan.Months() == s.Term.Months()) ? "" : s.Plan == BillingPlan.Monthly ? "Monthly" : "Annual";

        /// <summary>A stable id shared by the lines of one change: the same history always gives the same ids.</summary>
        private static string Reference(Tracked s, DateOnly day, ChargeType type, int eventIndex = -1)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{s.Bought.Id}|{day:yyyy-MM-dd}|{type}|{eventIndex}");
            return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16)).ToString();
        }

        /// <summary>A billing day as an instant, at its start in UTC.</summary>
        private static DateTimeOffset At(DateOnly day) => BillingClock.StartOfDay(day);

        /// <summary>When <paramref name="change"/> was made: its instant, or the start of its day when not known.</summary>
        private static DateTimeOffset Instant(SubscriptionChange change) => change.At ?? At(change.Date);

        private static Error Invalid(string code, string message) => new(code, message, ErrorKind.Invalid);

        private static Error Refuse(int index, SubscriptionChange change, string code, string rule, ErrorKind kind = ErrorKind.Conflict) =>
            new(code, $"Event {index} ({change.Date:yyyy-MM-dd}, {Name(change)} on {change.SubscriptionId}) is refused: {rule}", kind, $"events[{index}]");

        /// <summary>A change refused by one of Microsoft's rules: its code and the instant it was allowed until, for the event at fault.</summary>
        private static Error Refuse(int index, SubscriptionChange change, Error rule) =>
            Refuse(index, change, rule.Code, rule.Message, rule.Kind) with { AllowedUntil = rule.AllowedUntil };

        private static string Name(SubscriptionChange change)
        {
            var name = change.GetType().Name;
            return string.Concat(char.ToLowerInvariant(name[0]), name[1..]);
        }
    }
}
