using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Csp.Commerce.Lifecycle;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using ApiCustomer = Csp.PartnerCenter.Api.Customer;
using ApiSubscription = Csp.PartnerCenter.Api.Subscription;
using Customer = Csp.Data.Customer;
using SetEndOfTerm = Csp.Domain.Charges.SetEndOfTerm;
using Subscription = Csp.Data.Subscription;

namespace Csp.Commerce.Sync;

/// <summary>What one sync found: what it imported, the operations it applied, and how many of those were drift.</summary>
/// <summary>
/// How far a sync has got: what it is doing (<paramref name="Stage"/>, in words) and what it has read and applied so far.
/// <paramref name="ToApply"/> is known once the audit records are read; a full read of the account has no total to count to.
/// </summary>
public sealed record SyncProgress(string Stage, int CustomersRead, int SubscriptionsRead, int RecordsRead, int Applied, int? ToApply)
{
    /// <summary>The progress in words, for a person: the stage and what it has counted (numbers in the current culture).</summary>
    public string Summary =>
        string.Join(
            " — ",
            new[]
            {
                Stage,
                CustomersRead > 0 ? $"{CustomersRead:N0} customers and {SubscriptionsRead:N0} subscriptions read" : null,
                RecordsRead > 0 ? $"{RecordsRead:N0} audit records read" : null,
                ToApply is { } total ? $"{Applied:N0} of {total:N0} operations applied" : null,
            }.OfType<string>());
}

public sealed record SyncResult(bool FirstImport, int CustomersImported, int SubscriptionsImported, int ChangesApplied, int Drift, DateTimeOffset AppliedThrough, int CatalogItemsImported = 0, int PricesImported = 0);

/// <summary>
/// Brings the platform up to date with the partner's Partner Center account, through the client.
/// </summary>
/// <remarks>
/// <para>
/// The first sync imports every customer and subscription (customers page by page, each customer's subscriptions).
/// After that, sync is incremental: it reads Partner Center's audit records since the last operation it applied — not a
/// scan of every customer — and applies each one once (an audit record is known by its SHA-256). A subscription the
/// platform did not know, or seats, status or an end-of-term decision that differ from the platform's, are applied as
/// events dated when Partner Center carried them out, and flagged as drift: Partner Center holds what the platform did
/// not order. The platform's own changes are known by the correlation id their audit record carries back (the
/// <c>MS-RequestId</c> of the platform's write, which its audit entry holds) and record nothing; nor does a change whose
/// new state the platform already holds, or an operation older than the last full read of the account.
/// </para>
/// <para>
/// Audit records reach 90 days back; a partner not synced for longer is imported again from a full read, which
/// compares every subscription. A sync is one transaction: it applies all it found, or nothing.
/// </para>
/// </remarks>
public static class SyncPartnerCenter
{
    public const string Actor = "Partner Center";

    /// <summary>
    /// How far back audit records reach: 90 days (docs/microsoft/audit-records.md). A sync last applied more days ago than
    /// this reads the account in full; the day the records start is itself partly gone, hence 90 − 1.
    /// </summary>
    private const int AuditRecordDays = 90;

    private const int FullyCoveredDays = AuditRecordDays - 1;

    /// <summary>
    /// Syncs the account of the partner <paramref name="partnerId"/>: the sync's figures, or why nothing was applied — an
    /// indirect reseller has no account of its own, a conflict with what another sync committed first, Partner Center
    /// refusing or not answering.
    /// </summary>
    /// <param name="progress">Told each step as the sync goes (on the sync's own thread; keep it quick).</param>
    public static async Task<ActionResult<SyncResult>> RunAsync(
        CommerceDb db, Guid partnerId, PartnerCenterClient client, TimeProvider time, CancellationToken cancellationToken, Action<SyncProgress>? progress = null)
    {
        var partner = await db.Partners.SingleAsync(p => p.Id == partnerId, cancellationToken);
        if (partner.Kind == PartnerKind.Reseller)
        {
            return Failed(NoAccount(partner));
        }

        try
        {
            return new(null, await new Run(db, partner, client, time.GetUtcNow(), progress).ExecuteAsync(cancellationToken), null);
        }
        catch (Refused refused)
        {
            return Failed(refused.Error);
        }
        catch (DbUpdateException)
        {
            // A unique key met twice: another sync of the account committed the same record or subscription first — or the
            // customer or subscription is held on this platform by a partner outside this one's organisation.
            return Failed(new Error(
                "partner_center.sync_conflict",
                "What this sync found was already recorded as it committed — by another sync of this account that finished first, or, for a customer or subscription, under another partner on this platform. Nothing was applied; sync again."));
        }
        catch (PartnerCenterException e)
        {
            return new(null, null, new ActionFailure(
                new Error("partner_center.unavailable", $"Partner Center answered {(int)e.Status} {e.Code}: {e.Error.Description} Nothing was changed; sync again later.", ErrorKind.Unavailable),
                e.Code));
        }

        static ActionResult<SyncResult> Failed(Error error) => new(null, null, new ActionFailure(error));
    }

    /// <summary>An indirect reseller's refusal: it has no Partner Center account of its own.</summary>
    internal static Error NoAccount(Partner partner) =>
        new("partner_center.no_account", $"{partner.Name} is an indirect reseller: its distributor holds the Partner Center account and syncs it.", ErrorKind.NotFound);

    /// <summary>What stops a sync with nothing applied, for the caller to put right.</summary>
    private sealed class Refused(Error error) : Exception(error.Message)
    {
        public Error Error { get; } = error;
    }

    private sealed class Run(CommerceDb db, Partner partner, PartnerCenterClient client, DateTimeOffset now, Action<SyncProgress>? progress)
    {
        private readonly Dictionary<Guid, Customer?> customers = [];
        private readonly Dictionary<Guid, Subscription?> subscriptions = [];
        private readonly HashSet<string> applied = [];
        private readonly HashSet<string> pricedMarkets = [];
        private readonly Dictionary<(string PromotionId, string Country), Promotion?> promotions = [];

        /// <summary>The <c>MS-RequestId</c>s of the platform's own writes among the operations read.</summary>
        private readonly HashSet<Guid> ours = [];

        /// <summary>Subscriptions this sync found changed outside the platform: a later change of the platform's sets their state again.</summary>
        private readonly HashSet<Guid> drifted = [];
        private int catalogItems;
        private int prices;
        private int customersImported;
        private int subscriptionsImported;
        private int changes;
        private int drift;
        private int customersRead;
        private int subscriptionsRead;
        private int recordsRead;
        private int recordsApplied;
        private int? recordsToApply;

        private void Report(string stage) => progress?.Invoke(new SyncProgress(stage, customersRead, subscriptionsRead, recordsRead, recordsApplied, recordsToApply));

        public async Task<SyncResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var state = await db.PartnerCenterSyncs.FirstOrDefaultAsync(s => s.PartnerId == partner.Id, cancellationToken);
            var today = BillingClock.MicrosoftDay(now);
            var first = state is null;
            var appliedThrough = state?.AppliedThrough ?? now;
            var month = BillingPeriod.Month(today).Start;
            if (state?.CatalogMonth != month)
            {
                // Microsoft updates the catalog and price lists on the first of every month.
                Report("Importing this month's catalog and price lists");
                catalogItems = await SyncCatalog.ImportProductsAsync(db, client, partner.Country, cancellationToken);
                foreach (var market in (await db.Customers.Select(c => c.Country).Distinct().ToListAsync(cancellationToken)).Append(partner.Country).Distinct())
                {
                    await PricesAsync(market, cancellationToken);
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            var readInFull = state is null || BillingClock.MicrosoftDay(state.AppliedThrough) < today.AddDays(-FullyCoveredDays);
            if (readInFull)
            {
                await ImportAsync(flagDrift: state is not null, cancellationToken);
            }
            else
            {
                var records = new List<(AuditRecord Record, string Key)>();
                Report("Reading Partner Center's audit records");
                await foreach (var record in client.ListAuditRecordsAsync(BillingClock.MicrosoftDay(state!.AppliedThrough), null, cancellationToken))
                {
                    // An operation from before the last full read is in what it read.
                    if (record.OperationStatus == "succeeded" && record.OperationDate >= state.ImportedAt)
                    {
                        records.Add((record, Key(record)));
                    }

                    if (++recordsRead % 100 == 0)
                    {
                        Report("Reading Partner Center's audit records");
                    }
                }

                foreach (var chunk in records.Select(r => r.Key).Chunk(500))
                {
                    applied.UnionWith(await db.PartnerCenterChanges.Where(c => chunk.Contains(c.AuditKey)).Select(c => c.AuditKey).ToListAsync(cancellationToken));
                }

                foreach (var chunk in records.Select(r => Guid.TryParse(r.Record.OriginalCorrelationId, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().Chunk(500))
                {
                    ours.UnionWith(await db.AuditEntries
                        .Where(a => a.Outcome == AuditOutcome.Done && a.MicrosoftRequestId != null && chunk.Contains(a.MicrosoftRequestId.Value))
                        .Select(a => a.MicrosoftRequestId!.Value)
                        .ToListAsync(cancellationToken));
                }

                recordsToApply = records.Count;
                Report("Applying the operations found");
                foreach (var (record, key) in records)
                {
                    if (applied.Add(key))
                    {
                        await ApplyAsync(record, key, cancellationToken);
                        appliedThrough = record.OperationDate > appliedThrough ? record.OperationDate : appliedThrough;
                    }

                    if (++recordsApplied % 50 == 0)
                    {
                        Report("Applying the operations found");
                    }
                }
            }

            if (state is null)
            {
                state = db.PartnerCenterSyncs.Add(new PartnerCenterSync(partner.Id, now, appliedThrough)).Entity;
            }
            else
            {
                state.Ran(now, appliedThrough);
            }

            state.CatalogImported(month);
            if (readInFull)
            {
                state.ReadInFull(now);
            }

            Report("Saving what was found");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SyncResult(first, customersImported, subscriptionsImported, changes, drift, appliedThrough, catalogItems, prices);
        }

        /// <summary>A full read: every customer and subscription, compared with the platform's.</summary>
        private async Task ImportAsync(bool flagDrift, CancellationToken cancellationToken)
        {
            Report("Reading every customer and subscription");
            await foreach (var found in client.ListCustomersAsync(500, cancellationToken))
            {
                var customer = await CustomerAsync(found, cancellationToken);
                customersRead++;
                var theirs = await client.ListSubscriptionsAsync(found.Id!, cancellationToken);
                subscriptionsRead += theirs.Count;
                Report("Reading every customer and subscription");
                foreach (var subscription in theirs)
                {
                    var known = await SubscriptionAsync(Guid.Parse(subscription.Id), cancellationToken);
                    var key = Hash($"snapshot|{subscription.Id}|{subscription.Quantity}|{subscription.Status}|{subscription.AutoRenewEnabled}|{SubscriptionChanges.Decision(subscription)}");
                    if (known is null)
                    {
                        var imported = await ImportSubscriptionAsync(customer, subscription, subscription.Quantity, subscription.CreationDate, cancellationToken);
                        Found("create_order", subscription.CreationDate, customer, imported, flagDrift, $"{subscription.OfferName}: {SeatAdditions.Count(subscription.Quantity)}, found in Partner Center", key);
                    }
                    else
                    {
                        var before = View(known);
                        Compare(known, SubscriptionChanges.Between(before, subscription with { Id = before.Id }, BillingClock.MicrosoftDay(now)), before, subscription, now, "update_subscription", customer, key, flagDrift);
                    }
                }
            }
        }

        private async Task ApplyAsync(AuditRecord record, string key, CancellationToken cancellationToken)
        {
            if (record.CustomerId is null || !Guid.TryParse(record.CustomerId, out var tenant))
            {
                return;
            }

            var customer = await CustomerAsync(tenant, cancellationToken);
            var byThePlatform = Guid.TryParse(record.OriginalCorrelationId, out var correlation) && ours.Contains(correlation);
            switch (record.OperationType)
            {
                case "add_customer":
                    Found(record.OperationType, record.OperationDate, customer, null, false, $"customer {customer.Name} ({customer.Domain})", key);
                    break;
                case "create_order" when record.ResourceNewValue is { } json:
                    var order = JsonSerializer.Deserialize(json, PartnerCenterJson.Default.Order)!;
                    var lines = new List<string>();
                    Subscription? last = null;
                    foreach (var line in order.LineItems.Where(l => l.SubscriptionId is not null))
                    {
                        if (await SubscriptionAsync(Guid.Parse(line.SubscriptionId!), cancellationToken) is null)
                        {
                            var subscription = await client.GetSubscriptionAsync(record.CustomerId, line.SubscriptionId!, cancellationToken);
                            last = await ImportSubscriptionAsync(customer, subscription, line.Quantity, record.OperationDate, cancellationToken);
                            lines.Add($"{subscription.OfferName}: {SeatAdditions.Count(line.Quantity)}");
                        }
                    }

                    Found(record.OperationType, record.OperationDate, customer, last, lines.Count > 0, lines.Count > 0 ? $"order {order.Id} not placed by the platform: {string.Join("; ", lines)}" : $"order {order.Id}, already known", key);
                    break;
                case "update_subscription" when record.ResourceOldValue is { } old && record.ResourceNewValue is { } changed:
                    var before = JsonSerializer.Deserialize(old, PartnerCenterJson.Default.Subscription)!;
                    var after = JsonSerializer.Deserialize(changed, PartnerCenterJson.Default.Subscription)!;
                    if (await SubscriptionAsync(Guid.Parse(after.Id), cancellationToken) is not { } known)
                    {
                        break;
                    }

                    if (!byThePlatform)
                    {
                        Compare(known, SubscriptionChanges.Between(before, after, BillingClock.MicrosoftDay(record.OperationDate)), before, after, record.OperationDate, record.OperationType, customer, key, flagDrift: true, ScheduledNote(before, after));
                    }
                    else if (drifted.Contains(known.Id))
                    {
                        // The platform changed it after the drift found before: its own events hold the change; the state is the change's.
                        known.ChangeQuantity(after.Quantity);
                        known.Follow(SubscriptionChanges.Status(after.Status) ?? known.Status);
                        known.DecideEndOfTerm(SubscriptionChanges.Decision(after), after.AutoRenewEnabled);
                    }

                    break;
                case "upgrade_subscription" when byThePlatform:
                    break;
                default:
                    // Upgrades (upgrade_subscription) are not applied yet: shown as drift for someone to look at.
                    Found(record.OperationType, record.OperationDate, customer, null, record.ResourceType == "subscription", $"{record.OperationType} in Partner Center: not applied by sync", key);
                    break;
            }
        }

        /// <summary>
        /// Applies the changes the platform does not already hold, each as an event; drift when any was needed. Seats are
        /// counted from Partner Center's <paramref name="before"/>, so that the seats added get their own window.
        /// </summary>
        private void Compare(
            Subscription known, IReadOnlyList<SubscriptionChange> found, ApiSubscription before, ApiSubscription after, DateTimeOffset at, string operationType, Customer customer, string key, bool flagDrift, string? note = null)
        {
            var done = new List<string>();
            foreach (var change in found)
            {
                switch (change)
                {
                    case ChangeQuantity seats when seats.Quantity != known.Quantity:
                        done.Add($"quantity {before.Quantity} → {seats.Quantity}");
                        Record(SubscriptionEvent.QuantityChanged(known, By(at), done[^1], before.Quantity, seats.Quantity));
                        known.ChangeQuantity(seats.Quantity);
                        break;
                    case SetEndOfTerm end when end.EndOfTerm != SubscriptionChanges.EndOfTermOf(View(known)) || after.AutoRenewEnabled != known.AutoRenewEnabled:
                        var decision = SubscriptionChanges.Decision(after);
                        done.Add(decision is { } made ? $"end of term: {made.ToString().ToLowerInvariant()}" : $"autoRenewEnabled {after.AutoRenewEnabled.ToString().ToLowerInvariant()}, no decision scheduled");
                        Record(SubscriptionEvent.EndOfTermChanged(known, By(at), done[^1], decision));
                        known.DecideEndOfTerm(decision, after.AutoRenewEnabled);
                        break;
                    case Suspend or Reactivate or Cancel:
                        var status = change switch { Suspend => SubscriptionStatus.Suspended, Cancel => SubscriptionStatus.Deleted, _ => SubscriptionStatus.Active };
                        var was = known.Status;
                        if (status != was && known.Follow(status) is { IsSuccess: false } refused)
                        {
                            done.Add(refused.Error.Message);
                        }
                        else if (status != was)
                        {
                            done.Add($"status {was.ToString().ToLowerInvariant()} → {status.ToString().ToLowerInvariant()}");
                            Record(SubscriptionEvent.StatusChanged(known, By(at), done[^1], status));
                        }

                        break;
                }
            }

            if (after.ScheduledNextTermInstructions is null && known.ScheduledRenewal is not null)
            {
                // Partner Center deleted the changes scheduled for the renewal (a mid-term change does): so does the platform.
                done.Add("changes scheduled for the renewal deleted");
                Record(SubscriptionEvent.RenewalScheduled(known, By(at), done[^1], null));
                known.ScheduleRenewal(null);
            }
            else if (note is not null && ScheduleOf(known, after) is var schedule && schedule != known.ScheduledRenewal)
            {
                done.Add(note);
                Record(SubscriptionEvent.RenewalScheduled(known, By(at), note, schedule));
                known.ScheduleRenewal(schedule);
            }

            if (done.Count > 0)
            {
                drifted.Add(known.Id);
                Found(operationType, at, customer, known, flagDrift, $"{known.FriendlyName}: {string.Join(", ", done)}, not made by the platform", key);
            }
        }

        /// <summary>The changes Partner Center has scheduled for the renewal, in the platform's terms; null when none (or unreadable).</summary>
        private static RenewalSchedule? ScheduleOf(Subscription known, ApiSubscription after)
        {
            if (after.ScheduledNextTermInstructions is not { } next || known.Term is not { } term)
            {
                return null;
            }

            var product = next.Product;
            var nextTerm = product is null ? term : TermExtensions.ParseTerm(product.TermDuration) is { IsSuccess: true } parsed ? parsed.Value : (Term?)null;
            var nextPlan = product is null ? known.BillingPlan
                : nextTerm is { } t && TermExtensions.ParseBillingPlan(product.BillingCycle, t) is { IsSuccess: true } plan ? plan.Value : (BillingPlan?)null;
            return nextTerm is { } termAfter && nextPlan is { } planAfter
                ? new RenewalSchedule(product?.ProductId ?? known.ProductId, product?.SkuId ?? known.SkuId, product?.AvailabilityId ?? known.AvailabilityId, termAfter, planAfter, next.Quantity ?? after.Quantity)
                : null;
        }

        /// <summary>Changes scheduled for the renewal in Partner Center, in words.</summary>
        private static string? ScheduledNote(ApiSubscription before, ApiSubscription after)
        {
            if (!SubscriptionChanges.Rescheduled(before, after))
            {
                return null;
            }

            var now = after.ScheduledNextTermInstructions;
            return now is null
                ? "the changes scheduled for the renewal were removed"
                : $"renewal scheduled as {SeatAdditions.Count(now.Quantity ?? after.Quantity)} of {(now.Product is { } p ? $"{p.ProductId}:{p.SkuId}:{p.AvailabilityId} {p.TermDuration} billed {p.BillingCycle.ToLowerInvariant()}" : after.OfferId)}";
        }

        private void Record(SubscriptionEvent e) => db.SubscriptionEvents.Add(e);

        /// <summary>Sync's events: recorded as Partner Center carried them out, at <paramref name="at"/>, by no request of the platform's.</summary>
        private static Recorded By(DateTimeOffset at) => new(at, Actor);

        private void Found(string operationType, DateTimeOffset at, Customer customer, Subscription? subscription, bool isDrift, string description, string key)
        {
            db.PartnerCenterChanges.Add(new PartnerCenterChange(partner.Id, key, at, operationType, customer.Id, subscription?.Id, isDrift, description, now));
            changes++;
            drift += isDrift ? 1 : 0;
        }

        private async Task<Customer> CustomerAsync(Guid tenant, CancellationToken cancellationToken) =>
            await KnownCustomerAsync(tenant, cancellationToken) ?? await CustomerAsync(await client.GetCustomerAsync(tenant.ToString(), cancellationToken), cancellationToken);

        private async Task<Customer> CustomerAsync(ApiCustomer found, CancellationToken cancellationToken)
        {
            var tenant = Guid.Parse(found.Id!);
            if (await KnownCustomerAsync(tenant, cancellationToken) is { } known)
            {
                return known;
            }

            // A list of customers carries no billing profile (get-a-list-of-customers): the customer by id does.
            var billing = found.BillingProfile ?? (await client.GetCustomerAsync(found.Id!, cancellationToken)).BillingProfile
                ?? throw new InvalidOperationException($"Partner Center returned customer {tenant} without its billing profile: its country and currency are unknown.");
            var customer = new Customer(
                Guid.CreateVersion7(now), partner.Id, tenant, billing.CompanyName ?? found.CompanyProfile.CompanyName ?? found.CompanyProfile.Domain, found.CompanyProfile.Domain,
                billing.DefaultAddress.Country.ToUpperInvariant(), billing.Currency ?? partner.BillingCurrency, now);
            db.Customers.Add(customer);
            customers[tenant] = customer;
            customersImported++;
            return customer;
        }

        private async Task<Customer?> KnownCustomerAsync(Guid tenant, CancellationToken cancellationToken)
        {
            if (!customers.TryGetValue(tenant, out var customer))
            {
                customers[tenant] = customer = await db.Customers.FirstOrDefaultAsync(c => c.CustomerTenantId == tenant, cancellationToken);
            }

            return customer;
        }

        private async Task<Subscription?> SubscriptionAsync(Guid microsoftId, CancellationToken cancellationToken)
        {
            if (!subscriptions.TryGetValue(microsoftId, out var subscription))
            {
                subscriptions[microsoftId] = subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.MicrosoftSubscriptionId == microsoftId, cancellationToken);
            }

            return subscription;
        }

        /// <summary>
        /// A promotion as Partner Center describes it whatever its dates ("Get promotion by ID", made for reconciliation);
        /// null when Partner Center does not know it, and the subscription is then expected at the list price.
        /// </summary>
        private async Task<Promotion?> PromotionAsync(string promotionId, string country, CancellationToken cancellationToken)
        {
            if (!promotions.TryGetValue((promotionId, country), out var promotion))
            {
                try
                {
                    promotion = await client.GetPromotionAsync(promotionId, country, cancellationToken);
                }
                catch (PartnerCenterException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
                {
                    promotion = null;
                }

                promotions[(promotionId, country)] = promotion;
            }

            return promotion;
        }

        /// <summary>
        /// A subscription found in Partner Center, as bought: <paramref name="quantity"/> seats at the price list's price in
        /// the customer's market on the term's first day, and its purchase as the first event.
        /// </summary>
        private async Task<Subscription> ImportSubscriptionAsync(Customer customer, ApiSubscription found, int quantity, DateTimeOffset boughtAt, CancellationToken cancellationToken)
        {
            var offer = found.OfferId.Split(':');
            var usage = found.BillingType.Equals("usage", StringComparison.OrdinalIgnoreCase);
            Term? term = usage ? null : found.IsTrial ? Term.P1Y : TermExtensions.ParseTerm(found.TermDuration).Value;
            var plan = term is not { } t || found.IsTrial ? BillingPlan.Monthly : TermExtensions.ParseBillingPlan(found.BillingCycle, t).Value;
            var termStart = BillingClock.MicrosoftDay(found.EffectiveStartDate);
            if (!pricedMarkets.Contains(customer.Country))
            {
                // A market no customer was in: its price list is needed now.
                await PricesAsync(customer.Country, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            var price = term is { } priced
                ? (await PriceList.LoadAsync(db, [offer[0]], customer, cancellationToken)).UnitPrice(offer[0], offer[1], offer[2], customer, priced, plan, termStart)
                : null;
            if (term is not null && price is null)
            {
                throw new Refused(new Error(
                    "partner_center.no_price",
                    $"Subscription {found.Id} ({found.OfferId}, {term} billed {plan.ToMicrosoft()}) has no price in {customer.Country} {customer.Currency} on {termStart:yyyy-MM-dd}: import the price list, then sync again.",
                    ErrorKind.Conflict));
            }

            var status = SubscriptionChanges.Status(found.Status) is SubscriptionStatus.Pending or null ? SubscriptionStatus.Active : SubscriptionChanges.Status(found.Status)!.Value;
            var subscription = new Subscription(
                Guid.CreateVersion7(now), customer.PartnerId, customer.Id, Guid.Parse(found.Id), offer[0], offer[1], offer[2], found.FriendlyName, term, plan, usage ? 1 : quantity,
                BillingClock.MicrosoftDay(found.CreationDate), termStart, term is null ? null : BillingClock.MicrosoftDay(found.CommitmentEndDate!.Value), boughtAt, status,
                SubscriptionChanges.Decision(found), found.AutoRenewEnabled, price ?? 0m, customer.Currency, found.PromotionId, found.IsTrial, found.OrderId);
            if (found.PromotionId is { } promotionId && term is { } bought)
            {
                var promotion = await PromotionAsync(promotionId, customer.Country, cancellationToken);
                subscription.DiscountPromotion(promotion?.DiscountFor(offer[0], offer[1], bought.ToIso(), plan.ToMicrosoft()));
            }

            db.Subscriptions.Add(subscription);
            subscriptions[subscription.MicrosoftSubscriptionId] = subscription;
            Record(SubscriptionEvent.Purchased(
                subscription, By(boughtAt), $"bought {found.OfferName}, {SeatAdditions.Count(subscription.Quantity)} (found in Partner Center)", subscription.Quantity, term is null ? null : subscription.Terms));
            subscriptionsImported++;
            return subscription;
        }

        private async Task PricesAsync(string market, CancellationToken cancellationToken)
        {
            if (pricedMarkets.Add(market))
            {
                prices += await SyncCatalog.ImportPricesAsync(db, client, market, now, cancellationToken);
            }
        }

        /// <summary>The platform's subscription in Partner Center's shape, for comparing with what Partner Center holds.</summary>
        private static ApiSubscription View(Subscription s) => new(
            s.MicrosoftSubscriptionId.ToString(), s.CatalogItemId, s.FriendlyName, s.FriendlyName, s.Quantity, "Licenses", s.TermStartedAt,
            s.TermStartedAt, null, s.Status.ToString().ToLowerInvariant(), s.AutoRenewEnabled, s.Term is null ? "usage" : "license", s.BillingPlan.ToMicrosoft(),
            s.Term?.ToIso() ?? "", s.IsTrial, null, null, null, null,
            s.EndOfTerm switch
            {
                EndOfTerm.Cancel => [new ScheduledAction("TermEnd", "Cancel")],
                EndOfTerm.Renew => [new ScheduledAction("TermEnd", "RenewToNewTerm")],
                EndOfTerm.Est => [new ScheduledAction("TermEnd", "RenewToExtendedServiceTerm")],
                _ => null,
            },
            null, s.PromotionId, new ResourceAttributes(null, "Subscription"));

        private static string Key(AuditRecord r) =>
            Hash(string.Create(CultureInfo.InvariantCulture, $"{r.OperationType}|{r.OperationDate.UtcTicks}|{r.CustomerId}|{r.ResourceOldValue}|{r.ResourceNewValue}"));

        private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
