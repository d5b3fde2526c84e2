using Csp.Domain;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;

namespace Csp.Data;

/// <summary>A customer's subscription to one catalog item, mirroring Partner Center's subscription resource.</summary>
/// <remarks>
/// Dates are billing days, inclusive at both ends, as Microsoft's <c>commitmentEndDate</c> is. A usage-based
/// subscription (Azure plan) has no <see cref="Term"/> and no <see cref="TermEndDate"/>. The end-of-term
/// decision is <see cref="EndOfTerm"/>; <see cref="AutoRenewEnabled"/> only mirrors what Partner Center reports,
/// so that a subscription whose auto-renew was turned off without a decision can be seen drifting into EST.
/// </remarks>
public sealed class Subscription
{
    public Subscription(
        Guid id,
        Guid partnerId,
        Guid customerId,
        Guid microsoftSubscriptionId,
        string productId,
        string skuId,
        string availabilityId,
        string friendlyName,
        Term? term,
        BillingPlan billingPlan,
        int quantity,
        DateOnly startDate,
        DateOnly termStartDate,
        DateOnly? termEndDate,
        DateTimeOffset termStartedAt,
        SubscriptionStatus status,
        EndOfTerm? endOfTerm,
        bool autoRenewEnabled,
        decimal unitPrice,
        string currency,
        string? promotionId,
        bool isTrial,
        string? orderId = null)
    {
        if (term is null != termEndDate is null)
        {
            throw new ArgumentException("A subscription has a term end date exactly when it has a term.", nameof(termEndDate));
        }

        if (quantity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "Quantity cannot be negative.");
        }

        Id = id;
        PartnerId = partnerId;
        CustomerId = customerId;
        MicrosoftSubscriptionId = microsoftSubscriptionId;
        ProductId = productId;
        SkuId = skuId;
        AvailabilityId = availabilityId;
        CatalogItemId = CatalogItem.Id(productId, skuId, availabilityId);
        FriendlyName = friendlyName;
        Term = term;
        BillingPlan = billingPlan;
        Quantity = quantity;
        StartDate = startDate;
        TermStartDate = termStartDate;
        TermEndDate = termEndDate;
        TermStartedAt = termStartedAt;
        Status = status;
        EndOfTerm = endOfTerm;
        AutoRenewEnabled = autoRenewEnabled;
        UnitPrice = unitPrice;
        Currency = currency;
        PromotionId = promotionId;
        IsTrial = isTrial;
        OrderId = orderId;
    }

    public Guid Id { get; private set; }

    /// <summary>
    /// How many times the row was changed after it was first stored (<see cref="CommerceDb"/> counts every save that
    /// modifies it): with the count of its events, what tells a billing run that a customer's month is as it billed it.
    /// </summary>
    public int Revision { get; private set; }

    /// <summary>The partner that owns the customer; copied here so the tenancy filter needs no join.</summary>
    public Guid PartnerId { get; private set; }

    public Guid CustomerId { get; private set; }

    /// <summary>Partner Center's subscription <c>id</c>.</summary>
    public Guid MicrosoftSubscriptionId { get; private set; }

    public string ProductId { get; private set; }

    public string SkuId { get; private set; }

    public string AvailabilityId { get; private set; }

    /// <summary>Partner Center's <c>offerId</c>: <c>productId:skuId:availabilityId</c>.</summary>
    public string CatalogItemId { get; private set; }

    /// <summary>The name shown to people; Partner Center's <c>friendlyName</c>.</summary>
    public string FriendlyName { get; private set; }

    /// <summary>The current term; null for a usage-based subscription.</summary>
    public Term? Term { get; private set; }

    public BillingPlan BillingPlan { get; private set; }

    /// <summary>Seats (licences); 1 for a usage-based subscription.</summary>
    public int Quantity { get; private set; }

    /// <summary>The day the subscription was first bought.</summary>
    public DateOnly StartDate { get; private set; }

    /// <summary>The first day of the current term: the purchase date or the latest renewal date.</summary>
    public DateOnly TermStartDate { get; private set; }

    /// <summary>The last day of the current term, inclusive (Partner Center's <c>commitmentEndDate</c>).</summary>
    public DateOnly? TermEndDate { get; private set; }

    /// <summary>
    /// The instant the current term's purchase or renewal completed in Partner Center: the cancellation window
    /// runs from here.
    /// </summary>
    public DateTimeOffset TermStartedAt { get; private set; }

    public SubscriptionStatus Status { get; private set; }

    /// <summary>The explicit end-of-term decision; null when nobody has made one.</summary>
    public EndOfTerm? EndOfTerm { get; private set; }

    /// <summary>Partner Center's <c>autoRenewEnabled</c>, as last reported.</summary>
    public bool AutoRenewEnabled { get; private set; }

    /// <summary>Microsoft's price list's price per seat per charge cycle, locked for the term, before any promotion.</summary>
    public decimal UnitPrice { get; private set; }

    public string Currency { get; private set; }

    /// <summary>Partner Center's <c>promotionId</c>, e.g. <c>39NFJQT1PJQB:0001:39NFJQT1Q5KN</c>.</summary>
    public string? PromotionId { get; private set; }

    /// <summary>
    /// The share of <see cref="UnitPrice"/> the promotion takes off the term it was bought with (0.15 for 15%), as
    /// Partner Center's promotion gives it (<c>PercentDiscount</c>); null without a promotion or when it could not be read.
    /// </summary>
    public decimal? PromotionDiscount { get; private set; }

    public bool IsTrial { get; private set; }

    /// <summary>Partner Center's order that bought it (the reconciliation file's <c>OrderId</c>); null when not known.</summary>
    public string? OrderId { get; private set; }

    /// <summary>
    /// The changes scheduled for the renewal (Partner Center's <c>scheduledNextTermInstructions</c>), or null when it renews
    /// as is. A mid-term change to seats, status, auto-renew or product deletes them, as Microsoft does.
    /// </summary>
    public RenewalSchedule? ScheduledRenewal { get; private set; }

    /// <summary>Seats as Partner Center now counts them.</summary>
    /// <summary>Counts one more change of the row; <see cref="CommerceDb"/> calls it when it saves one.</summary>
    public void Revise() => Revision++;

    public void ChangeQuantity(int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        Quantity = quantity;
    }

    /// <summary>The one way the status changes: by <paramref name="trigger"/>, when the lifecycle's table has that move (else unchanged).</summary>
    public Result<SubscriptionStatus> Move(SubscriptionTrigger trigger)
    {
        var next = SubscriptionLifecycle.Next(Status, trigger);
        if (next.IsSuccess)
        {
            Status = next.Value;
        }

        return next;
    }

    /// <summary>
    /// Follows the status Partner Center reports by the lifecycle's move to it; a status the table has no move to from the
    /// current one is refused and the status kept, for someone to look at.
    /// </summary>
    public Result<SubscriptionStatus> Follow(SubscriptionStatus reported) =>
        reported == Status ? Status
        : SubscriptionLifecycle.TriggerBetween(Status, reported) is { } trigger ? Move(trigger)
        : new Error(
            "subscription.invalid_transition",
            $"Partner Center reports {FriendlyName} {reported.ToString().ToLowerInvariant()}, but a {Status.ToString().ToLowerInvariant()} subscription cannot become {reported.ToString().ToLowerInvariant()}: left {Status.ToString().ToLowerInvariant()}.");

    /// <summary>The end-of-term decision (null: none made) and auto-renew, as Partner Center now reports them.</summary>
    public void DecideEndOfTerm(EndOfTerm? decision, bool autoRenewEnabled) => (EndOfTerm, AutoRenewEnabled) = (decision, autoRenewEnabled);

    public void ScheduleRenewal(RenewalSchedule? schedule) => ScheduledRenewal = schedule;

    /// <summary>The share the subscription's promotion takes off, as Partner Center's promotion resource gives it.</summary>
    public void DiscountPromotion(decimal? discount)
    {
        if (discount is { } share && (share <= 0 || share >= 1 || PromotionId is null))
        {
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "A promotion's discount is a share above 0 and below 1 of a subscription bought with one.");
        }

        PromotionDiscount = discount;
    }

    /// <summary>What the subscription is now sold as: product, term, plan and price per charge cycle; a licence subscription's only (a usage-based one has no term).</summary>
    public SubscriptionTerms Terms => new(ProductId, SkuId, AvailabilityId, FriendlyName, Term!.Value, BillingPlan, UnitPrice);

    /// <summary>
    /// New terms confirmed by Partner Center mid-term: another product after an upgrade, or another billing plan from the
    /// next charge cycle. A promotion does not carry over: the new terms are at the price list's price.
    /// </summary>
    public void ChangeTerms(SubscriptionTerms terms)
    {
        (ProductId, SkuId, AvailabilityId, FriendlyName, Term, BillingPlan, UnitPrice) =
            (terms.ProductId, terms.SkuId, terms.AvailabilityId, terms.ProductName, terms.Term, terms.BillingPlan, terms.UnitPrice);
        CatalogItemId = CatalogItem.Id(ProductId, SkuId, AvailabilityId);
        (PromotionId, PromotionDiscount) = (null, null);
    }

    /// <summary>
    /// A new term began on <paramref name="termStart"/> — a renewal, or a month of Extended Service Term — as Partner Center
    /// reports it: its dates, seats and end-of-term state. The changes scheduled for it are spent. What the new term costs
    /// is not stored here: the charge engine derives it from the history (the purchase, the scheduled changes, EST rules).
    /// </summary>
    /// <param name="startedAt">When the term is taken to have begun, from which its 7-day window runs.</param>
    public void StartNewTerm(DateOnly termStart, DateOnly termEnd, DateTimeOffset startedAt, int quantity, EndOfTerm? decision, bool autoRenewEnabled)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        (TermStartDate, TermEndDate, TermStartedAt, Quantity, EndOfTerm, AutoRenewEnabled) = (termStart, termEnd, startedAt, quantity, decision, autoRenewEnabled);
        ScheduledRenewal = null;
    }
}

/// <summary>What the next term will be when it differs from the current one: product, term, billing plan and seats.</summary>
public sealed record RenewalSchedule(string ProductId, string SkuId, string AvailabilityId, Term Term, BillingPlan BillingPlan, int Quantity);

/// <summary>
/// What a licence subscription is sold as: product, term, billing plan and Microsoft's price per seat per charge cycle of
/// that plan. Recorded on the events that set them, so that the charge engine replays the history as it happened.
/// </summary>
public sealed record SubscriptionTerms(string ProductId, string SkuId, string AvailabilityId, string ProductName, Term Term, BillingPlan BillingPlan, decimal UnitPrice);
