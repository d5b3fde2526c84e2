using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>What a billing run did, or (previewed) would do.</summary>
public sealed record BillingRunView(
    Guid? Id,
    Guid PartnerId,
    string Month,
    bool Preview,
    int Customers,
    int LinesAdded,
    int InvoicesCreated,
    int AlreadyBilled,
    IReadOnlyList<CurrencyTotal> Added,
    IReadOnlyList<UnpricedCharge> Unpriced,
    IReadOnlyList<ParkedSubscriptionView> Parked);

/// <summary>Amounts in one currency.</summary>
public sealed record CurrencyTotal(string Currency, decimal Net, decimal Tax, decimal Cost);

public sealed record ParkedSubscriptionView(Guid SubscriptionId, string Code, string Problem);

/// <summary>
/// A partner's billing run for a month: every charge of its customers' subscriptions in the month not yet on an invoice is
/// added, at the customer's price, to that customer's draft invoice for the month (made when there is none). A second run
/// adds nothing; two at once add everything once: the later waits for the earlier's turn (<see cref="PartnerTurn"/>) and
/// finds its charges billed, and the invoice lines' unique charge key would refuse a charge billed twice regardless. Charges
/// no rule can price are named and left out; a later run adds them.
/// </summary>
/// <remarks>
/// The month is worked a page of <see cref="CustomersPerPage"/> customers at a time: read, charged and priced outside any
/// transaction, then written in one transaction that holds the partner's turn, so a partner with many customers never has
/// its month in memory at once and lifecycle actions wait for a page, not for the month; the next page is read while the
/// last is written, on a second context. A run stopped midway has billed whole customers only; the next run adds the rest.
/// Customers whose month an earlier run billed whole and whose subscriptions have not changed since are not read at all
/// (<see cref="BilledMonths"/>). After the licence charges, each Azure plan's usage of the month (<see cref="AzureUsage"/>).
/// </remarks>
public static class RunBilling
{
    /// <summary>Customers read, priced and written together: about 8,000 lines for customers of 8 subscriptions.</summary>
    public const int CustomersPerPage = 1_000;

    /// <param name="customersPerPage">Customers per page; smaller than <see cref="CustomersPerPage"/> only to test the paging.</param>
    public static Task<Result<BillingRunView>> PreviewAsync(CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken, int customersPerPage = CustomersPerPage) =>
        WorkAsync(db, partnerId, month, rules, null, null, customersPerPage, cancellationToken);

    /// <param name="customersPerPage">Customers per page; smaller than <see cref="CustomersPerPage"/> only to test the paging.</param>
    public static Task<Result<BillingRunView>> RunAsync(
        CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, string startedBy, TimeProvider time, CancellationToken cancellationToken, int customersPerPage = CustomersPerPage) =>
        WorkAsync(db, partnerId, month, rules, startedBy, time, customersPerPage, cancellationToken);

    /// <param name="startedBy">Who runs it; null to preview, writing nothing.</param>
    private static async Task<Result<BillingRunView>> WorkAsync(
        CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, string? startedBy, TimeProvider? time, int customersPerPage, CancellationToken cancellationToken)
    {
        var seller = await SellerPrices.LoadAsync(db, partnerId, month, cancellationToken);
        if (seller is null)
        {
            return Error.NotFound("partner", partnerId);
        }

        // A month's pages read a customer's subscriptions by the customer's index; the planner needs to know it is the narrower.
        await db.RefreshStatisticsAsync(cancellationToken);
        var now = time?.GetUtcNow() ?? default;
        var result = new Tally();

        // Customers whose month a run billed whole and whose subscriptions have not changed since have nothing to add.
        var fingerprints = await BilledMonths.FingerprintsAsync(db, partnerId, month, rules, cancellationToken);
        var unchanged = await BilledMonths.UnchangedAsync(db, partnerId, month, fingerprints, cancellationToken);
        result.Count(unchanged.Values);
        var changed = fingerprints.Keys.Where(c => !unchanged.ContainsKey(c)).Order().ToList();
        if (startedBy is null)
        {
            await foreach (var page in PagesAsync(db, seller, rules, changed, fingerprints, customersPerPage, cancellationToken))
            {
                var existing = await DraftsAsync(db, partnerId, month, page.Customers, cancellationToken);
                var toAdd = page.Priced.ToAdd.ToList();
                result.Count(page.Priced, toAdd, toAdd.Select(l => (l.Customer.Id, l.Customer.InvoicedIn)).Distinct().Count(c => !existing.ContainsKey(c)));
            }
        }
        else
        {
            // The next page is read and priced (this context) while the last is written (a second one): the two halves take
            // about as long as each other, and each keeps one core busy.
            await using var writer = db.Sibling();
            await using var bulk = await writer.OpenForBulkWritesAsync(cancellationToken);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pages = Channel.CreateBounded<Page>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
            var reading = Task.Run(
                async () =>
                {
                    try
                    {
                        await foreach (var page in PagesAsync(db, seller, rules, changed, fingerprints, customersPerPage, stop.Token))
                        {
                            await pages.Writer.WriteAsync(page, stop.Token);
                        }

                        pages.Writer.Complete();
                    }
                    catch (Exception e)
                    {
                        pages.Writer.Complete(e);
                    }
                },
                CancellationToken.None);
            try
            {
                // Sampled after the first page (the planner then knows how many lines a customer has) and whenever the lines
                // added have grown four times over since, and at the end, for the runs and previews that follow.
                var sampled = 0;
                await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken))
                {
                    await WriteAsync(writer, page, partnerId, month, now, result, cancellationToken);
                    if (result.LinesAdded > 4 * sampled)
                    {
                        await writer.SampleAsync(Written, cancellationToken);
                        sampled = result.LinesAdded;
                    }
                }

                if (result.LinesAdded > sampled)
                {
                    await writer.SampleAsync(Written, cancellationToken);
                }
            }
            finally
            {
                await stop.CancelAsync();
                await reading;
            }
        }

        Guid? id = null;
        if (startedBy is not null)
        {
            var run = new BillingRun(Guid.CreateVersion7(now), partnerId, month.Start, now, startedBy, result.Customers, result.LinesAdded, result.InvoicesCreated, result.Unpriced.Count, result.Parked.Count);
            db.BillingRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            id = run.Id;
        }

        return new BillingRunView(
            id,
            partnerId,
            $"{month.Start:yyyy-MM}",
            startedBy is null,
            result.Customers,
            result.LinesAdded,
            result.InvoicesCreated,
            result.AlreadyBilled,
            result.Added.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value).ToList(),
            result.Unpriced,
            result.Parked.Select(p => new ParkedSubscriptionView(p.SubscriptionId, p.Code, p.Problem)).ToList());
    }

    /// <summary>The entities a run writes many of.</summary>
    private static readonly Type[] Written = [typeof(InvoiceLine), typeof(CustomerInvoice), typeof(BilledCustomerMonth)];

    /// <summary>One page of a run: its customers' charges priced, and for licence charges their fingerprints (to mark them billed).</summary>
    private sealed record Page(ProposedBilling Priced, IReadOnlyCollection<Guid> Customers, IReadOnlyDictionary<Guid, string>? Fingerprints);

    /// <summary>
    /// The month's pages, read and priced: the licence charges of <paramref name="customers"/>, then the Azure usage of every
    /// customer with usage imported, <paramref name="customersPerPage"/> customers at a time.
    /// </summary>
    private static async IAsyncEnumerable<Page> PagesAsync(
        CommerceDb db, SellerPrices seller, ChargeRules rules, IReadOnlyList<Guid> customers, IReadOnlyDictionary<Guid, string> fingerprints, int customersPerPage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var charges in ExpectedCharges.ChargesOfMonthByCustomersAsync(db, seller.Month, rules, seller.Partner.Id, customers, customersPerPage, cancellationToken))
        {
            var page = charges.Customers.Keys.ToList();
            yield return new Page(await ProposedInvoices.PriceAsync(db, seller, charges, page, cancellationToken), page, fingerprints);
        }

        foreach (var page in (await AzureUsage.CustomersAsync(db, seller.Partner, seller.Month, cancellationToken)).Chunk(customersPerPage))
        {
            yield return new Page(ProposedInvoices.PriceUsage(seller, await AzureUsage.OfCustomersAsync(db, seller.Partner, seller.Month, page, cancellationToken)), page, null);
        }
    }

    /// <summary>
    /// Adds a page's lines in one transaction under the partner's turn: what another run committed meanwhile (since the page
    /// was priced) is billed already and left out. A page of licence charges marks its customers billed.
    /// </summary>
    private static async Task WriteAsync(CommerceDb db, Page page, Guid partnerId, BillingPeriod month, DateTimeOffset now, Tally result, CancellationToken cancellationToken)
    {
        var (priced, customers) = (page.Priced, page.Customers);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerTurn.TakeAsync(db, partnerId, cancellationToken);
        var billed = (await ProposedInvoices.BilledAsync(db, partnerId, month, customers, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var added = priced.Lines.Where(l => !billed.Contains(l.ChargeKey)).ToList();
        var drafts = await DraftsAsync(db, partnerId, month, customers, cancellationToken);
        var (invoices, lines) = Bill(partnerId, month, added, drafts, now);
        result.Count(priced with { Lines = priced.Lines.Select(l => l with { Billed = billed.Contains(l.ChargeKey) }).ToList() }, added, invoices.Count);

        // New drafts and lines in bulk; the drafts that gained lines through EF, their line count guarding their totals.
        await BulkInsert.WriteAsync(db, invoices, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await BulkInsert.WriteAsync(db, lines, cancellationToken);
        await SalesTotals.CountAsync(db, lines, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (page.Fingerprints is { } fingerprints)
        {
            await BilledMonths.MarkAsync(db, priced, customers, fingerprints, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>The customers' draft invoices of the month by customer and currency, the first made where there are more.</summary>
    private static async Task<Dictionary<(Guid CustomerId, string Currency), CustomerInvoice>> DraftsAsync(CommerceDb db, Guid partnerId, BillingPeriod month, IReadOnlyCollection<Guid> customers, CancellationToken cancellationToken) =>
        (await db.Invoices
            .Where(i => i.PartnerId == partnerId && i.Month == month.Start && i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Draft && customers.Contains(i.CustomerId))
            .ToListAsync(cancellationToken))
        .GroupBy(i => (i.CustomerId, i.Currency))
        .ToDictionary(g => g.Key, g => g.OrderBy(i => i.Id).First());

    /// <summary>
    /// The invoice lines of <paramref name="lines"/>, each counted in its customer's draft (<paramref name="drafts"/>, which
    /// gains a new draft where a customer has none), and the new drafts.
    /// </summary>
    private static (List<CustomerInvoice> Invoices, List<InvoiceLine> Lines) Bill(Guid partnerId, BillingPeriod month, List<ProposedLine> lines, Dictionary<(Guid CustomerId, string Currency), CustomerInvoice> drafts, DateTimeOffset now)
    {
        var created = new List<CustomerInvoice>();
        var billed = new List<InvoiceLine>(lines.Count);
        foreach (var line in lines)
        {
            // A draft in another currency (the customer's invoice currency changed since) is left with its own lines.
            var key = (line.Customer.Id, line.Customer.InvoicedIn);
            if (!drafts.TryGetValue(key, out var draft))
            {
                draft = new CustomerInvoice(Guid.CreateVersion7(now), partnerId, line.Customer.Id, InvoiceKind.Invoice, month.Start, line.Customer.InvoicedIn, line.Charge.TaxTreatment(), now);
                drafts[key] = draft;
                created.Add(draft);
            }

            var price = line.Charge.Price;
            var added = new InvoiceLine(Guid.CreateVersion7(now), draft, line.ChargeKey, line.Subscription?.Id, line.Charge, price.Tiers[^1].Rule?.Id, price.Tiers.Count > 1 ? price.Tiers[0].Rule?.Id : null, line.Kind);
            billed.Add(added);
            draft.Add(added);
        }

        return (created, billed);
    }

    /// <summary>The amounts of <paramref name="charges"/> by currency; cost is the issuing seller's (the reseller's cost in a two-tier sale).</summary>
    public static List<CurrencyTotal> Totals(IEnumerable<Domain.Billing.InvoiceCharge> charges) =>
        charges.GroupBy(c => c.Amount.Currency.Code)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotal(g.Key, g.Sum(c => c.Amount.Amount), g.Sum(c => c.Tax.Amount), g.Sum(c => (c.ResellerCost ?? c.MicrosoftCost).Amount)))
            .ToList();

    /// <summary>A run's counts, summed over its pages.</summary>
    private sealed class Tally
    {
        private readonly HashSet<Guid> customers = [];

        /// <summary>Customers with charges in the month: of their licences, their usage, or both.</summary>
        public int Customers => customers.Count;

        public int LinesAdded { get; private set; }

        public int InvoicesCreated { get; private set; }

        public int AlreadyBilled { get; private set; }

        public Dictionary<string, CurrencyTotal> Added { get; } = new(StringComparer.Ordinal);

        public List<UnpricedCharge> Unpriced { get; } = [];

        public List<ParkedSubscription> Parked { get; } = [];

        /// <summary>Customers skipped as billed and unchanged: their charges are all billed already.</summary>
        public void Count(IEnumerable<BilledCustomerMonth> unchanged)
        {
            foreach (var billed in unchanged.Where(b => b.Lines > 0))
            {
                customers.Add(billed.CustomerId);
                AlreadyBilled += billed.Lines;
            }
        }

        public void Count(ProposedBilling page, List<ProposedLine> added, int invoicesCreated)
        {
            customers.UnionWith(page.Lines.Select(l => l.Customer.Id));
            LinesAdded += added.Count;
            InvoicesCreated += invoicesCreated;
            AlreadyBilled += page.Lines.Count - added.Count;
            Unpriced.AddRange(page.Unpriced);
            Parked.AddRange(page.Parked);
            foreach (var total in Totals(added.Select(l => l.Charge)))
            {
                Added[total.Currency] = Added.TryGetValue(total.Currency, out var sum) ? sum with { Net = sum.Net + total.Net, Tax = sum.Tax + total.Tax, Cost = sum.Cost + total.Cost } : total;
            }
        }
    }
}
