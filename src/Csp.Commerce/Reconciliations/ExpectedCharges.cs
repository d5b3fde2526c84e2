using System.Runtime.CompilerServices;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>A subscription whose history the charge engine refused, so that nothing is expected for it until it is looked at.</summary>
public sealed record ParkedSubscription(Guid SubscriptionId, Guid MicrosoftSubscriptionId, string Code, string Problem);

/// <summary>The shadow invoice of a month: the lines Microsoft is expected to post, and the subscriptions parked.</summary>
public sealed record ExpectedMonth(BillingPeriod Month, IReadOnlyList<ReconLine> Lines, IReadOnlyList<ParkedSubscription> Parked);

/// <summary>One family's charge lines ordered in a month, and its customer.</summary>
public sealed record FamilyCharges(Customer Customer, IReadOnlyList<ChargeLine> Charges);

/// <summary>
/// The charges of a month by family, the subscriptions parked, and what was read to make them: the subscriptions by
/// Microsoft's id, the customers by id, the price list.
/// </summary>
public sealed record MonthCharges(
    IReadOnlyList<FamilyCharges> Families,
    IReadOnlyList<ParkedSubscription> Parked,
    IReadOnlyDictionary<string, Subscription> ByMicrosoftId,
    IReadOnlyDictionary<Guid, Customer> Customers,
    PriceList Prices);

/// <summary>One subscription and its recorded events, in the order they were recorded.</summary>
public sealed record RecordedSubscription(Subscription Subscription, IReadOnlyList<SubscriptionEvent> Events);

/// <summary>
/// Derives what Microsoft will charge in a billing month from the platform's own subscription history: each family of
/// licence subscriptions the caller can see becomes a <see cref="ChargeHistory"/> for the charge engine.
/// </summary>
/// <remarks>
/// Dates are taken in UTC, as Microsoft's reconciliation files state them. A family is a subscription and those an upgrade
/// joined it to (a partial upgrade's new subscription, an existing one the seats moved into): Microsoft charges an upgrade
/// as one operation across them, so they run together, as they do in the simulator's invoices. Each family runs on its
/// own, so one history the engine refuses parks that family (Kill Bill's "park the account") instead of the whole month.
/// Subscription ids are Microsoft's and customer ids the customer tenant ids, as in Microsoft's file.
/// </remarks>
public static class ExpectedCharges
{
    /// <summary>The kinds of event the charge engine replays; the others (renewals, EST entry) it derives itself.</summary>
    public static readonly SubscriptionEventKind[] Replayed =
    [
        SubscriptionEventKind.Purchased, SubscriptionEventKind.QuantityChanged, SubscriptionEventKind.EndOfTermChanged, SubscriptionEventKind.StatusChanged,
        SubscriptionEventKind.RenewalScheduled, SubscriptionEventKind.Upgraded, SubscriptionEventKind.UpgradeReceived, SubscriptionEventKind.BillingPlanChanged,
    ];

    /// <summary>How far ahead the charges of a month may be asked for: three years, the longest term.</summary>
    public const int MonthsAhead = 36;

    /// <summary>
    /// Why <paramref name="month"/> cannot be asked for, or null: only the partner's history to <see cref="MonthsAhead"/>
    /// months ahead has anything to predict, and the charge engine's work grows with the months it replays.
    /// </summary>
    public static async Task<Error?> OutsideAsync(CommerceDb db, BillingPeriod month, TimeProvider time, string parameter, CancellationToken cancellationToken)
    {
        var thisMonth = BillingPeriod.Month(BillingClock.MicrosoftDay(time.GetUtcNow())).Start;
        var first = await db.Subscriptions.OrderBy(s => s.StartDate).Select(s => (DateOnly?)s.StartDate).FirstOrDefaultAsync(cancellationToken) is { } start
            ? BillingPeriod.Month(start).Start
            : thisMonth;
        var last = thisMonth.AddMonths(MonthsAhead);
        return month.Start >= first && month.Start <= last
            ? null
            : Error.InvalidParameter(parameter, $"{parameter}: {month.Start:yyyy-MM} is outside the partner's history to {MonthsAhead} months ahead, {first:yyyy-MM} to {last:yyyy-MM}.");
    }

    public static async Task<ExpectedMonth> ForMonthAsync(CommerceDb db, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken)
    {
        var charged = await ChargesOfMonthAsync(db, month, rules, null, null, cancellationToken);
        var orderIds = charged.ByMicrosoftId.Values.Where(s => s.OrderId is not null).ToDictionary(s => s.MicrosoftSubscriptionId.ToString(), s => s.OrderId!);
        var skuNames = (await db.Skus.Select(k => new { k.ProductId, k.Id, k.Title }).ToListAsync(cancellationToken)).ToDictionary(k => (k.ProductId, k.Id), k => k.Title);
        var lines = charged.Families.SelectMany(f => ShadowInvoice.For(
            f.Charges, month, f.Customer.CustomerTenantId.ToString(), new InvoiceNames(f.Customer.Name, f.Customer.Domain, f.Customer.Country, orderIds, skuNames)));
        return new ExpectedMonth(month, lines.ToList(), charged.Parked);
    }

    /// <summary>
    /// Every family's charge lines through the end of <paramref name="month"/> (those ordered in the month among them), with
    /// what was read to make them; only the subscriptions of customers <paramref name="ownerId"/> owns, or of one customer,
    /// when given.
    /// </summary>
    public static async Task<MonthCharges> ChargesOfMonthAsync(CommerceDb db, BillingPeriod month, ChargeRules rules, Guid? ownerId, Guid? customerId, CancellationToken cancellationToken)
    {
        // The events and customers are read by a subquery, never by a list of ids sent as parameters: a large partner has
        // more subscriptions than a statement may have parameters.
        var query = Charged(db, month, ownerId, customerId);
        return await ChargesOfAsync(
            db,
            month,
            rules,
            await query.ToListAsync(cancellationToken),
            await Replayable(db.SubscriptionEvents.Where(e => query.Select(s => s.Id).Contains(e.SubscriptionId))).ToListAsync(cancellationToken),
            db.Customers.Where(c => query.Select(s => s.CustomerId).Contains(c.Id)),
            cancellationToken);
    }

    /// <summary>
    /// The same as <see cref="ChargesOfMonthAsync"/>, a page of <paramref name="customersPerPage"/> customers at a time (a
    /// family never spans customers), so that a month of a partner with many customers is never all in memory at once.
    /// </summary>
    /// <param name="customers">The owner's customers to read, in the order to read them.</param>
    /// <remarks>
    /// Each table is read by its index from the ids of the page (its customers, then their subscriptions), sent as one
    /// parameter; the events <see cref="EventsPerQuery"/> subscriptions at a time. Joined or as a subquery, the planner
    /// would rather read the partner's every subscription, or every event, for a page's few, and so read them once a page.
    /// </remarks>
    public static async IAsyncEnumerable<MonthCharges> ChargesOfMonthByCustomersAsync(
        CommerceDb db, BillingPeriod month, ChargeRules rules, Guid ownerId, IEnumerable<Guid> customers, int customersPerPage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var page in customers.Chunk(customersPerPage))
        {
            var subscriptions = await Charged(db, month, ownerId, null).Where(s => EF.Parameter(page).Contains(s.CustomerId)).ToListAsync(cancellationToken);
            var events = new List<SubscriptionEvent>();
            foreach (var ids in subscriptions.Select(s => s.Id).Chunk(EventsPerQuery))
            {
                events.AddRange(await Replayable(db.SubscriptionEvents.Where(e => EF.Parameter(ids).Contains(e.SubscriptionId))).ToListAsync(cancellationToken));
            }

            yield return await ChargesOfAsync(db, month, rules, subscriptions, events, db.Customers.Where(c => EF.Parameter(page).Contains(c.Id)), cancellationToken);
        }
    }

    /// <summary>
    /// The subscriptions whose events are read by one query: PostgreSQL reads a list this long by the index, a page's whole
    /// list (8,000 for 1,000 customers) by reading every event.
    /// </summary>
    public const int EventsPerQuery = 1_000;

    /// <summary>The events of <paramref name="events"/> the charge engine replays or derives its terms from.</summary>
    private static IQueryable<SubscriptionEvent> Replayable(IQueryable<SubscriptionEvent> events) =>
        events.AsNoTracking().Where(e => Replayed.Contains(e.Kind) || e.Kind == SubscriptionEventKind.Renewed || e.Kind == SubscriptionEventKind.EnteredExtendedServiceTerm);

    /// <summary>The licence subscriptions that may be charged in <paramref name="month"/>: of the owner's customers, or of one customer, when given.</summary>
    public static IQueryable<Subscription> Charged(CommerceDb db, BillingPeriod month, Guid? ownerId, Guid? customerId)
    {
        var query = db.Subscriptions.AsNoTracking().Where(s => s.Term != null && s.StartDate <= month.End && s.Status != SubscriptionStatus.Pending);
        if (ownerId is { } owner)
        {
            query = query.Where(s => s.PartnerId == owner);
        }

        return customerId is { } one ? query.Where(s => s.CustomerId == one) : query;
    }

    /// <param name="read">The subscriptions read, <paramref name="events"/> their events, and <paramref name="customers"/> their customers.</param>
    private static async Task<MonthCharges> ChargesOfAsync(
        CommerceDb db, BillingPeriod month, ChargeRules rules, List<Subscription> read, List<SubscriptionEvent> events, IQueryable<Customer> customers, CancellationToken cancellationToken)
    {
        // Ordered here, not by the database, which would rather read the table in order than a few rows by an index and
        // sort them. By id as text: the order both databases keep (hex digits sort alike in either case).
        var subscriptions = read.OrderBy(s => s.Id.ToString(), StringComparer.Ordinal).ToList();
        var history = events.OrderBy(e => e.Id).ToLookup(e => e.SubscriptionId);
        var byId = await customers.AsNoTracking().ToDictionaryAsync(c => c.Id, cancellationToken);
        var recorded = subscriptions.Select(s => new RecordedSubscription(s, history[s.Id].ToList())).ToList();
        var prices = await PriceList.LoadAsync(db, subscriptions, byId.Values, cancellationToken, ProductsOf(recorded));

        var families = new List<FamilyCharges>();
        var parked = new List<ParkedSubscription>();
        foreach (var family in Families(recorded))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var customer = byId[family[0].Subscription.CustomerId];
            var charges = ChargeEngine.Run(HistoryOf(family, customer, month.End, prices), rules);
            if (charges.IsSuccess)
            {
                families.Add(new FamilyCharges(customer, charges.Value.Where(c => month.Contains(c.OrderDate)).ToList()));
            }
            else
            {
                parked.AddRange(family.Select(m => new ParkedSubscription(m.Subscription.Id, m.Subscription.MicrosoftSubscriptionId, charges.Error.Code, charges.Error.Message)));
            }
        }

        return new MonthCharges(families, parked, subscriptions.ToDictionary(s => s.MicrosoftSubscriptionId.ToString()), byId, prices);
    }

    /// <summary>The products the events name (bought, switched to, upgraded to), whose prices an EST may need.</summary>
    public static IEnumerable<string> ProductsOf(IEnumerable<RecordedSubscription> recorded) =>
        recorded.SelectMany(r => r.Events).SelectMany(e => new[] { e.TermsBefore?.ProductId, e.TermsAfter?.ProductId }).OfType<string>().Distinct();

    /// <summary>The subscriptions grouped into the families upgrades joined, each in the order given.</summary>
    public static List<List<RecordedSubscription>> Families(IReadOnlyList<RecordedSubscription> recorded)
    {
        var parent = recorded.ToDictionary(r => r.Subscription.Id, r => r.Subscription.Id);
        Guid Root(Guid id) => parent[id] == id ? id : parent[id] = Root(parent[id]);
        foreach (var e in recorded.SelectMany(r => r.Events))
        {
            if (e.RelatedSubscriptionId is { } related && parent.ContainsKey(related) && parent.ContainsKey(e.SubscriptionId))
            {
                parent[Root(related)] = Root(e.SubscriptionId);
            }
        }

        return recorded.GroupBy(r => Root(r.Subscription.Id)).Select(g => g.ToList()).ToList();
    }

    /// <summary>
    /// A first term that ends earlier than the calendar's: bought coterminous with other subscriptions. Once renewed, the
    /// first term's end is the day before the first renewal or EST month began.
    /// </summary>
    private static DateOnly? CustomTermEnd(RecordedSubscription r, Term term)
    {
        var s = r.Subscription;
        var firstEnd = r.Events.FirstOrDefault(e => e.Kind is SubscriptionEventKind.Renewed or SubscriptionEventKind.EnteredExtendedServiceTerm) is { } next
            ? BillingClock.MicrosoftDay(next.OccurredAt).AddDays(-1)
            : s.TermStartDate == s.StartDate ? s.TermEndDate : null;
        return !s.IsTrial && firstEnd is { } end && end < NceCalendar.EndDate(s.StartDate, term) ? end : null;
    }

    /// <summary>
    /// The terms a subscription was bought on: as its purchase recorded them, else as the first change of terms found them,
    /// else (nothing changed them) as they are now.
    /// </summary>
    public static SubscriptionTerms BoughtTerms(RecordedSubscription r) =>
        r.Events.FirstOrDefault(e => e.Kind == SubscriptionEventKind.Purchased)?.TermsAfter
        ?? r.Events.FirstOrDefault(e => e.TermsBefore is not null)?.TermsBefore
        ?? r.Subscription.Terms;

    /// <summary>Whether the subscription began as the target of an upgrade: the source's upgrade charges it, not a purchase.</summary>
    private static bool CameFromUpgrade(RecordedSubscription r) =>
        r.Events.FirstOrDefault(e => e.Kind is SubscriptionEventKind.Purchased or SubscriptionEventKind.UpgradeReceived) is { Kind: SubscriptionEventKind.UpgradeReceived } first
        && first.RelatedSubscriptionId != r.Subscription.Id;

    /// <summary>
    /// A family of licence subscriptions' history for the charge engine, charged through <paramref name="through"/>: as
    /// bought, the confirmed events up to that day in the order recorded, then <paramref name="planned"/> (a change being
    /// previewed, naming subscriptions by Microsoft's id). The engine's key of a subscription upgraded in full changes at the
    /// upgrade, while its lines keep Microsoft's id.
    /// </summary>
    /// <param name="monthlyPriceOn">The day whose monthly-term price an Extended Service Term is billed at (<paramref name="through"/> by default).</param>
    public static ChargeHistory HistoryOf(
        IReadOnlyList<RecordedSubscription> family, Customer customer, DateOnly through, PriceList prices, IEnumerable<SubscriptionChange>? planned = null, DateOnly? monthlyPriceOn = null)
    {
        var currency = Currency.FromCode(family[0].Subscription.Currency).Value;
        Money? Monthly(SubscriptionTerms t) => prices.MonthlyTermPrice(t.ProductId, t.SkuId, t.AvailabilityId, customer, monthlyPriceOn ?? through);
        PurchasedSubscription Bought(string key, SubscriptionTerms t, DateOnly start, int quantity) =>
            new(key, t.ProductId, t.SkuId, t.ProductName, new Money(t.UnitPrice, currency), t.Term, t.BillingPlan, start, quantity, MonthlyTermUnitPrice: Monthly(t));

        // Subscriptions are named by Microsoft's ids, as in Microsoft's files and in a change being previewed.
        var members = family.ToDictionary(r => r.Subscription.Id, r => r.Subscription);
        string MicrosoftId(Guid id) => members.TryGetValue(id, out var member) ? member.MicrosoftSubscriptionId.ToString() : id.ToString();
        var history = new RecordedHistory();
        foreach (var r in family.Where(r => !CameFromUpgrade(r)))
        {
            var s = r.Subscription;
            var terms = BoughtTerms(r);
            var initial = r.Events.FirstOrDefault(e => e.Kind == SubscriptionEventKind.Purchased)?.QuantityAfter ?? s.Quantity;
            var purchasedAt = r.Events.FirstOrDefault(e => e.Kind == SubscriptionEventKind.Purchased)?.OccurredAt ?? (s.TermStartDate == s.StartDate ? s.TermStartedAt : null);
            history.Buy(Bought(s.MicrosoftSubscriptionId.ToString(), terms, s.StartDate, initial) with
            {
                PurchasedAt = purchasedAt is { } at && BillingClock.MicrosoftDay(at) == s.StartDate ? at : null,
                Trial = s.IsTrial,
                PromotionId = s.PromotionId,
                PromotionDiscount = s.PromotionDiscount,
                CustomTermEndDate = CustomTermEnd(r, terms.Term),
            });
        }

        foreach (var e in family.SelectMany(r => r.Events).Where(e => Replayed.Contains(e.Kind)).OrderBy(e => e.Id))
        {
            var day = BillingClock.MicrosoftDay(e.OccurredAt);
            var id = MicrosoftId(e.SubscriptionId);
            if (day > through || !history.Knows(id))
            {
                continue;
            }

            var s = members[e.SubscriptionId];
            if (e is { Kind: SubscriptionEventKind.Upgraded, TermsAfter: { } target, RelatedSubscriptionId: { } to } && (e.QuantityBefore ?? 0) - (e.QuantityAfter ?? 0) is > 0 and var moved)
            {
                history.Upgrade(day, e.OccurredAt, id, MicrosoftId(to), moved, key => Bought(key, target, day, moved), e.Id);
                continue;
            }

            var change = e.Kind switch
            {
                SubscriptionEventKind.QuantityChanged when e.QuantityAfter is { } quantity => new ChangeQuantity(day, id, quantity),

                // Auto-renew turned off without a decision is the path into EST.
                SubscriptionEventKind.EndOfTermChanged => new SetEndOfTerm(day, id, e.EndOfTermAfter ?? EndOfTerm.Est),
                SubscriptionEventKind.StatusChanged => e.StatusAfter switch
                {
                    SubscriptionStatus.Suspended => new Suspend(day, id),
                    SubscriptionStatus.Active => new Reactivate(day, id),
                    SubscriptionStatus.Deleted => new Cancel(day, id),
                    _ => null,
                },
                SubscriptionEventKind.RenewalScheduled => new ScheduleNextTerm(day, id, e.ScheduledRenewalAfter is { } next ? NextTermOf(s, next, customer, prices, s.TermEndDate!.Value.AddDays(1)) : null),
                SubscriptionEventKind.BillingPlanChanged when e.TermsAfter is { } t => new ChangeBillingPlan(day, id, t.BillingPlan, new Money(t.UnitPrice, currency)),
                _ => (SubscriptionChange?)null,
            };
            if (change is not null)
            {
                history.Change(id, change with { At = e.OccurredAt });
            }
        }

        return history.History(currency, through, planned);
    }

    /// <summary>The next term as scheduled, at the price list's price on <paramref name="renewalDay"/> (the old price when none is listed).</summary>
    public static NextTerm NextTermOf(Subscription s, RenewalSchedule next, Customer customer, PriceList prices, DateOnly renewalDay)
    {
        var price = prices.UnitPrice(next.ProductId, next.SkuId, next.AvailabilityId, customer, next.Term, next.BillingPlan, renewalDay) ?? s.UnitPrice;
        return new NextTerm(next.ProductId, next.SkuId, s.FriendlyName, next.Term, next.BillingPlan, next.Quantity, new Money(price, Currency.FromCode(s.Currency).Value));
    }
}
