using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;

namespace Csp.Domain.Charges;

/// <summary>
/// A subscription as bought: what the charge engine starts from. <see cref="UnitPrice"/> is Microsoft's price per seat per
/// charge cycle of <see cref="BillingPlan"/> (per month billed monthly, per year billed annually, per term up front).
/// </summary>
/// <param name="MonthlyTermUnitPrice">The SKU's current one-month-term price, for EST; null when the SKU has no monthly plan.</param>
/// <param name="Trial">A free trial: one month by the NCE calendar at no charge, then converted unless cancelled.</param>
/// <param name="PromotionDiscount">
/// The share of <see cref="UnitPrice"/> the promotion <see cref="PromotionId"/> takes off, as Microsoft's
/// <c>PercentDiscount</c> pricing policy gives it (0.25 for 25%): applied to the term bought, not to renewals. Lines show
/// <see cref="UnitPrice"/> as the price list's price and the discounted price as <c>EffectiveUnitPrice</c>.
/// </param>
/// <param name="CustomTermEndDate">
/// A first term ending earlier than the calendar's (Microsoft's <c>customTermEndDate</c>), to share an end date with
/// other subscriptions or to end with a calendar month: its charge cycles are counted back from that end, the first one
/// short and charged by the day (<see cref="Terms.NceCalendar"/>). Renewals run full terms.
/// </param>
/// <param name="PurchasedAt">
/// The instant the purchase completed, on <see cref="Start"/> in UTC, from which its cancellation and seat windows count;
/// the start of that day when not known.
/// </param>
public sealed record PurchasedSubscription(
    string Id,
    string ProductId,
    string SkuId,
    string ProductName,
    Money UnitPrice,
    Term Term,
    BillingPlan BillingPlan,
    DateOnly Start,
    int Quantity,
    bool Trial = false,
    EndOfTerm EndOfTerm = EndOfTerm.Renew,
    Money? MonthlyTermUnitPrice = null,
    string? PromotionId = null,
    DateOnly? CustomTermEndDate = null,
    decimal? PromotionDiscount = null,
    DateTimeOffset? PurchasedAt = null);

/// <summary>
/// Something that happened to a subscription on a billing day, Microsoft's (UTC). Events on one day apply in the order given.
/// </summary>
public abstract record SubscriptionChange(DateOnly Date, string SubscriptionId)
{
    /// <summary>
    /// The instant the change was made, on <see cref="Date"/> in UTC: Microsoft's windows are compared to it. The start of
    /// the day when not known (Microsoft's worked examples give days only).
    /// </summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>Seats set to <paramref name="Quantity"/> (Partner Center PATCH of <c>quantity</c>).</summary>
public sealed record ChangeQuantity(DateOnly Date, string SubscriptionId, int Quantity) : SubscriptionChange(Date, SubscriptionId);

/// <summary>Cancelled now (PATCH <c>status: deleted</c>).</summary>
public sealed record Cancel(DateOnly Date, string SubscriptionId) : SubscriptionChange(Date, SubscriptionId);

/// <summary>
/// <paramref name="Quantity"/> seats upgraded to <paramref name="Target"/>; when <paramref name="TargetExists"/>, into that
/// existing subscription (<c>moveQuantity</c>), else into a new one (<c>convert</c>).
/// </summary>
public sealed record Upgrade(DateOnly Date, string SubscriptionId, int Quantity, PurchasedSubscription Target, bool TargetExists)
    : SubscriptionChange(Date, SubscriptionId);

/// <summary>A trial converted to paid at <paramref name="UnitPrice"/> on <paramref name="Term"/> and <paramref name="BillingPlan"/>.</summary>
public sealed record ConvertTrial(DateOnly Date, string SubscriptionId, Money UnitPrice, Term Term, BillingPlan BillingPlan)
    : SubscriptionChange(Date, SubscriptionId);

/// <summary>Billing switched to <paramref name="BillingPlan"/> at <paramref name="UnitPrice"/> from the next charge cycle.</summary>
public sealed record ChangeBillingPlan(DateOnly Date, string SubscriptionId, BillingPlan BillingPlan, Money UnitPrice)
    : SubscriptionChange(Date, SubscriptionId);

/// <summary>The end-of-term decision set to <paramref name="EndOfTerm"/>.</summary>
public sealed record SetEndOfTerm(DateOnly Date, string SubscriptionId, EndOfTerm EndOfTerm) : SubscriptionChange(Date, SubscriptionId);

/// <summary>
/// What the next term will be, as scheduled (Partner Center's <c>scheduledNextTermInstructions</c>): product, term,
/// billing plan, seats, and the price list's price for them on the renewal day.
/// </summary>
public sealed record NextTerm(string ProductId, string SkuId, string ProductName, Term Term, BillingPlan BillingPlan, int Quantity, Money UnitPrice);

/// <summary>
/// Changes scheduled for the renewal (<paramref name="Next"/>), or the schedule cleared (null). A mid-term change —
/// seats, cancellation, upgrade, auto-renew off — drops the schedule, as Microsoft documents.
/// </summary>
public sealed record ScheduleNextTerm(DateOnly Date, string SubscriptionId, NextTerm? Next) : SubscriptionChange(Date, SubscriptionId);

/// <summary>Service suspended (PATCH <c>status: suspended</c>); Microsoft keeps billing.</summary>
public sealed record Suspend(DateOnly Date, string SubscriptionId) : SubscriptionChange(Date, SubscriptionId);

/// <summary>Service restored (PATCH <c>status: active</c>).</summary>
public sealed record Reactivate(DateOnly Date, string SubscriptionId) : SubscriptionChange(Date, SubscriptionId);

/// <summary>What the charge engine computes from: subscriptions as bought, what happened to them, and the last day to charge.</summary>
public sealed record ChargeHistory(Currency Currency, DateOnly Through, IReadOnlyList<PurchasedSubscription> Subscriptions, IReadOnlyList<SubscriptionChange> Events);

/// <summary>The rules the engine applies, each a setting with Microsoft's documented default.</summary>
/// <param name="EstUplift">Added to the SKU's monthly-term price during EST: 3%.</param>
/// <param name="EstUpliftWithoutMonthlyPlan">Added to the term's monthly-equivalent price when the SKU has no monthly plan: 23%.</param>
/// <param name="RenewalProcessing">
/// How long after its first instant a renewal completes, from when the renewed term's windows count. Partner Center does
/// not say ("may take up to 24 hours"), so the platform counts from the first instant, the earliest; the simulator
/// passes the delay it renews with.
/// </param>
public sealed record ChargeRules(
    RoundingPolicy Rounding,
    CancellationPolicy Cancellation,
    EstPolicy Est,
    decimal EstUplift = 0.03m,
    decimal EstUpliftWithoutMonthlyPlan = 0.23m,
    TimeSpan RenewalProcessing = default)
{
    public static ChargeRules Default { get; } = new(RoundingPolicy.Documented, CancellationPolicy.Default, EstPolicy.Default);
}
