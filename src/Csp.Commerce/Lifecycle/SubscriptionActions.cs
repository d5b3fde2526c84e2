using System.Text.Json;
using Csp.Commerce.Billing;
using Csp.Commerce.Reconciliations;
using Csp.Commerce.Subscriptions;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using Polly.Timeout;
using ApiSubscription = Csp.PartnerCenter.Api.Subscription;
using CancellationPolicy = Csp.Domain.Subscriptions.CancellationPolicy;
using Customer = Csp.Data.Customer;
using PartnerCenterClient = Csp.PartnerCenter.Api.PartnerCenterClient;
using RefundableQuantity = Csp.Domain.Subscriptions.RefundableQuantity;
using Sku = Csp.Data.Sku;
using Subscription = Csp.Data.Subscription;

namespace Csp.Commerce.Lifecycle;

/// <summary>
/// Why an action is not allowed, as a preview shows it: the <see cref="Error"/> a rule answered with — its code, the rule
/// in plain words and, where time decides, the instant until which it was allowed.
/// </summary>
/// <param name="AllowedUntil">The first instant (UTC) at which the action was no longer allowed; null when time is not the reason.</param>
/// <param name="Parameter">The request's field at fault, when the refusal is a value no request may carry (<c>request.invalid_parameter</c>).</param>
public sealed record ActionRefusal(string Code, string Message, DateTimeOffset? AllowedUntil, string? Parameter = null)
{
    public static ActionRefusal Of(Error error) => new(error.Code, error.Message, error.AllowedUntil, error.Parameter);

    /// <summary>The refusal as the action answers it when asked to go ahead: a conflict with the subscription as it is.</summary>
    public Error ToError() => new(Code, Message, AllowedUntil: AllowedUntil);
}

/// <summary>Who acts, under which Idempotency-Key, and how the request ids of its Partner Center writes are derived from it.</summary>
public sealed record ActionCaller(string Actor, string? IdempotencyKey, Func<string, Guid> RequestId);

/// <summary>
/// Why an action was not done: a rule's refusal or a value no request may carry (<see cref="Error.Kind"/> says which), a
/// subscription the caller cannot see, or Partner Center refusing (<c>partner_center.refused</c>, with Microsoft's code) or
/// not answering (<c>partner_center.unavailable</c>, <see cref="ErrorKind.Unavailable"/>).
/// </summary>
/// <param name="MicrosoftRequestId">The <c>MS-RequestId</c> of the Partner Center write that failed; null for a read made before any write.</param>
public sealed record ActionFailure(Error Error, string? MicrosoftCode = null, Guid? MicrosoftRequestId = null)
{
    /// <summary>A <paramref name="resource"/> the caller cannot see.</summary>
    public static ActionFailure NotFound(string resource, Guid id) => new(Error.NotFound(resource, id));
}

/// <summary>
/// What a use case that acts in Partner Center answers: its preview (null when there was nothing to preview, as for an id
/// the caller cannot see), and the outcome once done, or why it was not done.
/// </summary>
public sealed record ActionResult<TOutcome>(ActionPreview? Preview, TOutcome? Outcome, ActionFailure? Failure)
    where TOutcome : class;

/// <summary>What the services the lifecycle's use cases work with: the database, Partner Center, the clock and Microsoft's rules as configured.</summary>
public sealed record LifecycleServices(CommerceDb Db, PartnerCenterClient PartnerCenter, TimeProvider Time, CancellationPolicy Cancellation, EstPolicy Est, ChargeRules Rules);

/// <summary>The body of an action that needs no parameters: an optional reason, kept in the audit.</summary>
public sealed record ReasonRequest(string? Reason = null);

/// <summary>One line Microsoft would post (or a customer line at the customer's price), in Microsoft's reconciliation terms.</summary>
public sealed record PreviewLine(
    string ChargeType, DateOnly ChargeStartDate, DateOnly ChargeEndDate, int Quantity, int BillableQuantity, decimal UnitPrice, decimal EffectiveUnitPrice, decimal Subtotal, string Currency);

/// <summary>What the current term costs in all, before and after the change (every charge of the term, refunds included).</summary>
public sealed record CommittedValue(decimal Before, decimal After, decimal Difference, string Currency);

/// <summary>
/// What an action would do, computed by the same code that then does it: allowed or refused, the lines Microsoft would
/// post and those it would no longer post, the customer's lines, the term's committed value before and after, and what to
/// know before committing.
/// </summary>
/// <param name="MicrosoftCharges">Lines Microsoft would post because of the change, through the term's end (or, for an end-of-term choice, a year after it).</param>
/// <param name="ChargesNoLongerDue">Lines the subscription's current course would have had and the change removes.</param>
/// <param name="CustomerCharges">The same lines at the customer's price before tax, priced by the seller's margin rules as its invoice will be (docs/billing.md).</param>
public sealed record ActionPreview(
    string Action,
    bool Allowed,
    ActionRefusal? Refusal,
    IReadOnlyList<PreviewLine> MicrosoftCharges,
    IReadOnlyList<PreviewLine> ChargesNoLongerDue,
    IReadOnlyList<PreviewLine> CustomerCharges,
    CommittedValue? CommittedUntilTermEnd,
    IReadOnlyList<string> Warnings);

/// <summary>An action Partner Center carried out: what the preview said, the subscription now, and the ids to trace it by.</summary>
public sealed record ActionOutcome(ActionPreview Preview, SubscriptionView Subscription, Guid MicrosoftRequestId, long AuditEntryId);

/// <summary>
/// One action on one subscription, as data: refused or not, the changes it makes in the charge engine's terms, what to warn
/// about, the change as Partner Center's PATCH, and what to record once Partner Center confirms it.
/// </summary>
/// <param name="Send">
/// The Partner Center call that makes the change when it is not a PATCH of the subscription (an upgrade's transition): given
/// the client, the customer's tenant, the subscription as read and the request id, it returns the subscription as it is after.
/// </param>
public sealed record ActionPlan(
    string Action,
    string Description,
    Error? Refusal,
    IReadOnlyList<SubscriptionChange> Changes,
    IReadOnlyList<string> Warnings,
    Func<ApiSubscription, ApiSubscription> Patch,
    Action<ActionRecorder, ApiSubscription> Record,
    DateOnly? Horizon = null,
    Func<PartnerCenterClient, string, ApiSubscription, Guid, CancellationToken, Task<ApiSubscription>>? Send = null);

/// <summary>What a plan is made from: the subscription and everything the rules need about it, at one instant.</summary>
/// <param name="Family">The subscription and those upgrades joined it to, with their events: the charge engine runs them together.</param>
/// <param name="Sku">The catalog's SKU the subscription is of, with the seats Microsoft allows on it; null when the catalog lacks it.</param>
/// <param name="Pricing">The customer's seller's margin rules, which price the preview's lines at the customer's price.</param>
public sealed record PlanContext(
    Subscription Subscription,
    Customer Customer,
    DateTimeOffset Now,
    IReadOnlyList<SubscriptionEvent> History,
    RefundableQuantity Refundable,
    IReadOnlyList<SeatAddition> SeatsAddedThisTerm,
    bool InExtendedServiceTerm,
    CancellationPolicy Cancellation,
    EstPolicy Est,
    PriceList Prices,
    IReadOnlyList<RecordedSubscription> Family,
    Sku? Sku,
    CustomerPricing? Pricing = null)
{
    /// <summary>Microsoft's billing day of <see cref="Now"/> (UTC): the day the change is dated on in Microsoft's files.</summary>
    public DateOnly Today => BillingClock.MicrosoftDay(Now);

    public string SubscriptionId => Subscription.MicrosoftSubscriptionId.ToString();

    /// <summary>A refusal of the platform's own (no Microsoft rule in <see cref="NceRules"/> says it).</summary>
    public static Error Refuse(string code, string message) => new(code, message);

    /// <summary>A value of the request's <paramref name="parameter"/> that no request may carry: 400, not an action refused.</summary>
    public static Error Invalid(string parameter, string message) => Error.InvalidParameter(parameter, message);

    /// <summary>Microsoft's refusal of a change (<paramref name="what"/>) to a subscription that is not in service, or null.</summary>
    public Error? NotInService(string what, bool allowSuspended = false) => NceRules.InService(Subscription.FriendlyName, Subscription.Status, what, allowSuspended);
}

/// <summary>Records a confirmed action: the subscription's new state and its events, stamped with the action's instant, actor and request id.</summary>
public sealed class ActionRecorder(CommerceDb db, Subscription subscription, DateTimeOffset at, string actor, Guid requestId)
{
    public Subscription Subscription => subscription;

    /// <summary>This action's stamp on its events: when Partner Center confirmed it, who acted, and the request id of the write.</summary>
    public Recorded By => new(at, actor, requestId);

    /// <summary>Records <paramref name="e"/>, made by one of <see cref="SubscriptionEvent"/>'s factories with <see cref="By"/>.</summary>
    public void Event(SubscriptionEvent e) => db.SubscriptionEvents.Add(e);

    /// <summary>
    /// Moves the subscription's status by <paramref name="trigger"/> and records the move. The plan refused any change the
    /// lifecycle's table does not allow, so a refusal here is a bug, not Partner Center's answer.
    /// </summary>
    public void Move(SubscriptionTrigger trigger, string why = "")
    {
        var from = subscription.Status;
        var to = subscription.Move(trigger).Value;
        Event(SubscriptionEvent.StatusChanged(subscription, By, $"status {from.ToString().ToLowerInvariant()} → {to.ToString().ToLowerInvariant()}{why}", to));
    }

    /// <summary>A subscription Partner Center created with this action (a partial upgrade's new subscription).</summary>
    public void Add(Subscription created) => db.Subscriptions.Add(created);

    /// <summary>When Partner Center confirmed the action.</summary>
    public DateTimeOffset At => at;

    /// <summary>A mid-term change deletes the changes scheduled for the renewal, in Partner Center and so here.</summary>
    public void DropScheduledRenewal()
    {
        if (subscription.ScheduledRenewal is not null)
        {
            Event(SubscriptionEvent.RenewalScheduled(subscription, By, "changes scheduled for the renewal deleted by a mid-term change", null));
            subscription.ScheduleRenewal(null);
        }
    }
}

/// <summary>
/// The one code path of every lifecycle action on an existing subscription: plan (pure) → preview → stop there for a
/// preview → audit a refusal → PATCH Partner Center with a request id derived from the Idempotency-Key → record the
/// confirmed events and the audit entry in one transaction.
/// </summary>
public static class SubscriptionActions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the action <paramref name="plan"/> makes of subscription <paramref name="id"/>: its preview only, or the action itself.</summary>
    public static async Task<ActionResult<ActionOutcome>> RunAsync(
        LifecycleServices services, Guid id, object request, ActionCaller caller, bool preview, Func<PlanContext, ActionPlan> plan, CancellationToken cancellationToken) =>
        await ContextAsync(services, id, cancellationToken) is { } context
            ? await ExecuteAsync(services, context, plan(context), preview, caller, request, cancellationToken)
            : new(null, null, ActionFailure.NotFound("subscription", id));

    /// <summary>
    /// Runs <paramref name="planned"/>: its preview only, or — when allowed — the Partner Center change under the request id
    /// <paramref name="caller"/> derives for the action, then the confirmed events and the audit entry, committed together.
    /// </summary>
    public static async Task<ActionResult<ActionOutcome>> ExecuteAsync(
        LifecycleServices services, PlanContext context, ActionPlan planned, bool preview, ActionCaller caller, object request, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var previewed = Preview(context, planned, services.Rules);
        if (planned.Refusal is { Kind: ErrorKind.Invalid } invalid)
        {
            // A value no request may carry is the caller's mistake, not an action asked: refused for the preview too, and not audited.
            return new(previewed, null, new ActionFailure(invalid));
        }

        if (preview)
        {
            return new(previewed, null, null);
        }

        var s = context.Subscription;
        var requestText = JsonSerializer.Serialize(request, request.GetType(), Json);
        if (Refusal(planned, previewed) is { } refusal)
        {
            Audit(db, context, caller, planned.Action, AuditOutcome.Refused, refusal.Message, refusal.Code, requestText, null, null, null);
            await db.SaveChangesAsync(cancellationToken);
            return new(previewed, null, new ActionFailure(refusal));
        }

        var requestId = caller.RequestId($"{planned.Action}:{s.Id:N}");
        var client = services.PartnerCenter;
        var tenant = context.Customer.CustomerTenantId.ToString();
        ApiSubscription before;
        ApiSubscription after;
        try
        {
            before = await client.GetSubscriptionAsync(tenant, context.SubscriptionId, cancellationToken);
            after = planned.Send is { } send
                ? await send(client, tenant, before, requestId, cancellationToken)
                : await client.PatchSubscriptionAsync(tenant, planned.Patch(before), requestId, cancellationToken);
        }
        catch (Exception e) when (IsPartnerCenterFailure(e))
        {
            var (outcome, failure) = PartnerCenterFailure(e, requestId, "Nothing was changed.");
            db.ChangeTracker.Clear();
            Audit(db, context, caller, planned.Action, outcome, failure.Error.Message, failure.MicrosoftCode, requestText, null, null, requestId);
            await db.SaveChangesAsync(cancellationToken);
            return new(previewed, null, failure);
        }

        planned.Record(new ActionRecorder(db, s, services.Time.GetUtcNow(), caller.Actor, requestId), after);
        var entry = Audit(db, context, caller, planned.Action, AuditOutcome.Done, planned.Description, null, requestText, Serialize(before), Serialize(after), requestId);
        await db.SaveChangesAsync(cancellationToken);

        var view = (await SubscriptionViews.LoadAsync(db, db.Subscriptions.Where(x => x.Id == s.Id), services.Time, services.Cancellation, services.Est, cancellationToken)).Single();
        return new(previewed, new ActionOutcome(previewed, view, requestId, entry.Id), null);
    }

    /// <summary>The plan's refusal, or the charge engine's when the preview found Microsoft's billing rules refuse the change.</summary>
    private static Error? Refusal(ActionPlan planned, ActionPreview previewed) =>
        planned.Refusal ?? previewed.Refusal?.ToError();

    /// <summary>Everything a plan needs about subscription <paramref name="id"/>, or null when the caller cannot see it.</summary>
    public static async Task<PlanContext?> ContextAsync(LifecycleServices services, Guid id, CancellationToken cancellationToken) =>
        (await ContextsAsync(services, services.Db.Subscriptions.Where(x => x.Id == id), cancellationToken)).SingleOrDefault();

    /// <summary>The plan contexts of the subscriptions <paramref name="query"/> finds, read in bulk, at one instant.</summary>
    /// <param name="moreProducts">Products beyond the subscriptions' own whose prices the plans need (an upgrade's target).</param>
    public static async Task<List<PlanContext>> ContextsAsync(
        LifecycleServices services, IQueryable<Subscription> query, CancellationToken cancellationToken, IEnumerable<string>? moreProducts = null)
    {
        var db = services.Db;
        var subscriptions = await query.ToListAsync(cancellationToken);
        var all = subscriptions.ToDictionary(s => s.Id);
        var histories = new Dictionary<Guid, List<SubscriptionEvent>>();
        await EventsAsync(db, all.Keys.ToList(), histories, cancellationToken);

        // The subscriptions upgrades joined these to, however far: their charges are computed together.
        while (histories.Values.SelectMany(h => h).Select(e => e.RelatedSubscriptionId).OfType<Guid>().Where(id => !all.ContainsKey(id)).Distinct().ToList() is { Count: > 0 } related)
        {
            var found = await db.Subscriptions.Where(s => related.Contains(s.Id)).ToListAsync(cancellationToken);
            foreach (var s in found)
            {
                all[s.Id] = s;
            }

            await EventsAsync(db, found.Select(s => s.Id).ToList(), histories, cancellationToken);
            if (found.Count < related.Count)
            {
                break;
            }
        }

        var customerIds = all.Values.Select(s => s.CustomerId).Distinct().ToList();
        var customers = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var recorded = all.Values.Select(s => new RecordedSubscription(s, histories.GetValueOrDefault(s.Id) ?? [])).ToList();
        var families = ExpectedCharges.Families(recorded).SelectMany(f => f.Select(r => (r.Subscription.Id, Family: f))).ToDictionary(x => x.Id, x => x.Family);
        var prices = await PriceList.LoadAsync(db, all.Values, customers.Values, cancellationToken, ExpectedCharges.ProductsOf(recorded).Concat(moreProducts ?? []));
        var productIds = subscriptions.Select(s => s.ProductId).Distinct().ToList();
        var skus = (await db.Skus.Where(k => productIds.Contains(k.ProductId)).ToListAsync(cancellationToken)).ToDictionary(k => (k.ProductId, k.Id));
        var sellerIds = customers.Values.Select(c => c.PartnerId).Distinct().ToList();
        var pricings = new Dictionary<Guid, CustomerPricing>();
        foreach (var seller in await db.Partners.Where(p => sellerIds.Contains(p.Id)).ToListAsync(cancellationToken))
        {
            pricings[seller.Id] = await CustomerPricing.LoadAsync(db, seller, cancellationToken);
        }

        var (cancellation, est, now) = (services.Cancellation, services.Est, services.Time.GetUtcNow());
        return subscriptions.Select(s =>
        {
            var history = histories.GetValueOrDefault(s.Id) ?? [];
            var thisTerm = history.Where(e => e.OccurredAt >= s.TermStartedAt).ToList();
            var additions = SubscriptionEvent.SeatAdditionsOfTerm(history, s.TermStartedAt);
            return new PlanContext(
                s, customers[s.CustomerId], now, history, cancellation.Refundable(additions, s.Quantity, now), additions,
                thisTerm.Any(e => e.Kind == SubscriptionEventKind.EnteredExtendedServiceTerm), cancellation, est, prices, families[s.Id], skus.GetValueOrDefault((s.ProductId, s.SkuId)),
                pricings.GetValueOrDefault(customers[s.CustomerId].PartnerId));
        }).ToList();
    }

    private static async Task EventsAsync(CommerceDb db, List<Guid> ids, Dictionary<Guid, List<SubscriptionEvent>> histories, CancellationToken cancellationToken)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var e in await db.SubscriptionEvents.Where(e => chunk.Contains(e.SubscriptionId)).OrderBy(e => e.Id).ToListAsync(cancellationToken))
            {
                (histories.TryGetValue(e.SubscriptionId, out var list) ? list : histories[e.SubscriptionId] = []).Add(e);
            }
        }
    }

    /// <summary>
    /// The preview of <paramref name="plan"/>: the charge engine run over the current term with and without the change;
    /// the lines only the change brings are what Microsoft would post, those only the old course had are no longer due.
    /// </summary>
    public static ActionPreview Preview(PlanContext context, ActionPlan plan, ChargeRules rules)
    {
        var s = context.Subscription;
        if (plan.Refusal is not null || s.Term is null || s.TermEndDate is not { } termEnd)
        {
            return new ActionPreview(plan.Action, plan.Refusal is null, plan.Refusal is { } refusal ? ActionRefusal.Of(refusal) : null, [], [], [], null, plan.Warnings);
        }

        var through = plan.Horizon ?? termEnd;
        var withoutLines = Charge(context, through, [], rules);
        var withLines = Charge(context, through, plan.Changes, rules);
        if (withLines.Error is { } refused && withoutLines.IsSuccess)
        {
            // The subscription's history is chargeable but not with this change: Microsoft's billing rules refuse it.
            return new ActionPreview(plan.Action, false, ActionRefusal.Of(refused), [], [], [], null, plan.Warnings);
        }

        if (withoutLines.Error is { } unchargeable)
        {
            return new ActionPreview(plan.Action, true, null, [], [], [], null, [.. plan.Warnings, $"The charges cannot be previewed: the subscription's recorded history is refused by the charge engine ({unchargeable.Message})"]);
        }

        var added = Except(withLines.Value, withoutLines.Value);
        var dropped = Except(withoutLines.Value, withLines.Value);
        var termStart = s.TermStartDate;
        decimal Term(IEnumerable<ChargeLine> lines) => lines.Where(l => l.ChargeStartDate >= termStart && l.ChargeStartDate <= termEnd).Sum(l => l.Subtotal.Amount);
        var before = Term(withoutLines.Value);
        var after = Term(withLines.Value);
        var microsoft = added.Select(Line).ToList();
        var members = context.Family.ToDictionary(r => r.Subscription.MicrosoftSubscriptionId.ToString(), r => r.Subscription);
        var (customer, unpriced) = CustomerPricing.Preview(
            context.Pricing, context.Customer, context.Prices, id => members.TryGetValue(id, out var m) ? (m.Id, m.PromotionDiscount) : (Guid.Empty, null), added);
        return new ActionPreview(
            plan.Action,
            true,
            null,
            microsoft,
            dropped.Select(Line).ToList(),
            customer,
            new CommittedValue(before, after, after - before, s.Currency),
            [.. plan.Warnings, .. unpriced]);
    }

    public static Result<IReadOnlyList<ChargeLine>> Charge(PlanContext context, DateOnly through, IReadOnlyList<SubscriptionChange> changes, ChargeRules rules)
        => ChargeEngine.Run(
            ExpectedCharges.HistoryOf(context.Family, context.Customer, through, context.Prices, changes, context.Subscription.TermEndDate?.AddDays(1)),
            rules);

    private static List<ChargeLine> Except(IReadOnlyList<ChargeLine> lines, IReadOnlyList<ChargeLine> other)
    {
        var remaining = other.GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());
        var result = new List<ChargeLine>();
        foreach (var line in lines)
        {
            if (remaining.TryGetValue(Key(line), out var count) && count > 0)
            {
                remaining[Key(line)] = count - 1;
            }
            else
            {
                result.Add(line);
            }
        }

        return result;
    }

    private static (ChargeType, DateOnly, DateOnly, int, int, decimal, decimal, string) Key(ChargeLine l) =>
        (l.ChargeType, l.ChargeStartDate, l.ChargeEndDate, l.Quantity, l.BillableQuantity, l.EffectiveUnitPrice, l.Subtotal.Amount, l.ReferenceId);

    public static PreviewLine Line(ChargeLine l) =>
        new(l.ChargeType.ToMicrosoft(), l.ChargeStartDate, l.ChargeEndDate, l.Quantity, l.BillableQuantity, l.UnitPrice.Amount, l.EffectiveUnitPrice, l.Subtotal.Amount, l.Currency);

    /// <summary>Whether <paramref name="e"/> is Partner Center refusing a call, or failing to answer it after the client's retries.</summary>
    public static bool IsPartnerCenterFailure(Exception e) => e is PartnerCenterException or HttpRequestException or IOException or TimeoutRejectedException;

    /// <summary>
    /// A Partner Center call that did not succeed, for the audit and the caller: a business refusal
    /// (<c>partner_center.refused</c>, Microsoft's code with it), or Partner Center unavailable
    /// (<c>partner_center.unavailable</c>) — which the Idempotency-Key does not keep, so that the same request can be sent
    /// again and Partner Center, given the same request id, still does it once.
    /// </summary>
    /// <param name="requestId">The <c>MS-RequestId</c> of the write that failed; null for a read made before any write.</param>
    public static (AuditOutcome Outcome, ActionFailure Failure) PartnerCenterFailure(Exception e, Guid? requestId, string nothingDone)
    {
        var refusal = e as PartnerCenterException;
        var business = refusal is not null && (int)refusal.Status is >= 400 and < 500 and not 401 and not 403 and not 429;
        var retry = requestId is null ? "Try again shortly." : "Send the same request again, with the same Idempotency-Key.";
        string[] parts = business
            ? [$"Partner Center refused: {refusal!.Code} {refusal.Error.Description}", nothingDone]
            : refusal is not null
                ? [$"Partner Center answered {(int)refusal.Status} {refusal.Code}: {refusal.Error.Description}", nothingDone, retry]
                : [$"Partner Center could not be reached: {e.Message}", nothingDone, retry];
        var message = string.Join(' ', parts.Where(p => p.Length > 0));
        var error = business ? new Error("partner_center.refused", message) : new Error("partner_center.unavailable", message, ErrorKind.Unavailable);
        return (business ? AuditOutcome.Refused : AuditOutcome.Failed, new ActionFailure(error, refusal?.Code, requestId));
    }

    public static AuditEntry Audit(
        CommerceDb db, PlanContext context, ActionCaller caller, string action, AuditOutcome outcome, string description, string? code, string request, string? before, string? after, Guid? requestId)
    {
        var entry = new AuditEntry(
            context.Subscription.PartnerId, context.Customer.Id, context.Subscription.Id, context.Now, caller.Actor, action, outcome, description, code, request, before, after,
            caller.IdempotencyKey, requestId);
        db.AuditEntries.Add(entry);
        return entry;
    }

    public static string Serialize(ApiSubscription subscription) => JsonSerializer.Serialize(subscription, PartnerCenterJson.Default.Subscription);
}
