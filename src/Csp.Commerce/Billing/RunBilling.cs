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
/// finds its charges billed, and the invoice lines' unique charge key would refuse a charge billed twice regardless. Charges no rule can price are named and left out; a later run adds them.
/// </summary>
public static class RunBilling
{
    public static async Task<Result<BillingRunView>> PreviewAsync(CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken)
    {
        var proposed = await ProposedInvoices.ComputeAsync(db, partnerId, month, rules, null, cancellationToken);
        if (!proposed.IsSuccess)
        {
            return proposed.Error;
        }

        var drafts = await db.Invoices.Where(i => i.PartnerId == partnerId && i.Month == month.Start && i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Draft).Select(i => i.CustomerId).ToListAsync(cancellationToken);
        var toAdd = proposed.Value.ToAdd.ToList();
        return View(null, proposed.Value, toAdd, toAdd.Select(l => l.Customer.Id).Distinct().Count(c => !drafts.Contains(c)), preview: true);
    }

    public static async Task<Result<BillingRunView>> RunAsync(CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, string startedBy, TimeProvider time, CancellationToken cancellationToken)
    {
        // The month is priced outside the transaction (it may take a while and writes nothing), then added inside it.
        var proposed = await ProposedInvoices.ComputeAsync(db, partnerId, month, rules, null, cancellationToken);
        if (!proposed.IsSuccess)
        {
            return proposed.Error;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerTurn.TakeAsync(db, partnerId, cancellationToken);

        // What another run committed while this one was pricing is billed already.
        var billed = (await db.InvoiceLines.Where(l => l.PartnerId == partnerId && l.Month == month.Start).Select(l => l.ChargeKey).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var toAdd = proposed.Value.Lines.Where(l => !billed.Contains(l.ChargeKey)).ToList();
        var customers = toAdd.Select(l => l.Customer.Id).Distinct().ToList();
        var drafts = (await db.Invoices
                .Where(i => i.PartnerId == partnerId && i.Month == month.Start && i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Draft && customers.Contains(i.CustomerId))
                .ToListAsync(cancellationToken))
            .GroupBy(i => i.CustomerId)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.Id).First());
        var created = 0;
        foreach (var line in toAdd)
        {
            if (!drafts.TryGetValue(line.Customer.Id, out var draft))
            {
                draft = new CustomerInvoice(Guid.CreateVersion7(now), partnerId, line.Customer.Id, InvoiceKind.Invoice, month.Start, line.Customer.Currency, line.Charge.TaxTreatment(), now);
                db.Invoices.Add(draft);
                drafts[line.Customer.Id] = draft;
                created++;
            }

            var price = line.Charge.Price;
            var added = new InvoiceLine(Guid.CreateVersion7(now), draft, line.ChargeKey, line.Subscription?.Id, line.Charge, price.Tiers[^1].Rule?.Id, price.Tiers.Count > 1 ? price.Tiers[0].Rule?.Id : null);
            db.InvoiceLines.Add(added);
            draft.Add(added);
        }

        var run = new BillingRun(Guid.CreateVersion7(now), partnerId, month.Start, now, startedBy, proposed.Value.Lines.Select(l => l.Customer.Id).Distinct().Count(), toAdd.Count, created, proposed.Value.Unpriced.Count, proposed.Value.Parked.Count);
        db.BillingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(run.Id, proposed.Value with { Lines = proposed.Value.Lines.Select(l => l with { Billed = billed.Contains(l.ChargeKey) }).ToList() }, toAdd, created, preview: false);
    }

    private static BillingRunView View(Guid? id, ProposedBilling proposed, List<ProposedLine> added, int invoicesCreated, bool preview) => new(
        id,
        proposed.Partner.Id,
        $"{proposed.Month.Start:yyyy-MM}",
        preview,
        proposed.Lines.Select(l => l.Customer.Id).Distinct().Count(),
        added.Count,
        invoicesCreated,
        proposed.Lines.Count - added.Count,
        Totals(added.Select(l => l.Charge)),
        proposed.Unpriced,
        proposed.Parked.Select(p => new ParkedSubscriptionView(p.SubscriptionId, p.Code, p.Problem)).ToList());

    /// <summary>The amounts of <paramref name="charges"/> by currency; cost is the issuing seller's (the reseller's cost in a two-tier sale).</summary>
    public static List<CurrencyTotal> Totals(IEnumerable<Domain.Billing.InvoiceCharge> charges) =>
        charges.GroupBy(c => c.Amount.Currency.Code)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotal(g.Key, g.Sum(c => c.Amount.Amount), g.Sum(c => c.Tax.Amount), g.Sum(c => (c.ResellerCost ?? c.Charge.Subtotal).Amount)))
            .ToList();
}
