using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>One billed line whose price the rules now make different: what it was billed at, and what it would be now.</summary>
public sealed record RerateLine(
    Guid LineId, Guid InvoiceId, string? InvoiceNumber, Guid CustomerId, ChargeType ChargeType, string ProductName, DateOnly ChargeStartDate, DateOnly ChargeEndDate, int BillableQuantity,
    string Currency, decimal OldAmount, decimal NewAmount, decimal Difference, decimal OldTax, decimal NewTax, decimal OldCost, decimal NewCost, string OldExplanation, string NewExplanation);

/// <summary>A month's re-rating: the lines it changes, the differences per currency (net, tax, the seller's cost) and, once applied, what it added.</summary>
public sealed record RerateView(Guid PartnerId, string Month, bool Preview, IReadOnlyList<RerateLine> Lines, IReadOnlyList<CurrencyTotal> Difference, int CreditNotesCreated, int LinesAdded);

/// <summary>
/// Re-rates a billed month after a rule, a tax rate or a price changed: each billed line still in force (not reversed) whose
/// charge the rules now price differently is listed, old beside new (<see cref="PreviewAsync"/>); applying it
/// (<see cref="ApplyAsync"/>) never edits a line — it reverses the old one and bills the charge again at the new price. A
/// line of an issued invoice is reversed on a credit note for that invoice and billed again on the customer's draft of the
/// month; a line of a draft is reversed and billed again on that draft. Applying twice changes nothing the second time:
/// the reversed lines are no longer in force, and their replacements are at today's price.
/// </summary>
public static class RerateMonth
{
    public static async Task<Result<RerateView>> PreviewAsync(CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken)
    {
        var diff = await DiffAsync(db, partnerId, month, rules, cancellationToken);
        return diff.IsSuccess ? View(partnerId, month, true, diff.Value.Select(d => d.Line).ToList(), 0, 0) : diff.Error;
    }

    public static async Task<Result<RerateView>> ApplyAsync(CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            return Error.NotFound("partner", partnerId);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerTurn.TakeAsync(db, partnerId, cancellationToken);
        var diff = await DiffAsync(db, partnerId, month, rules, cancellationToken);
        if (!diff.IsSuccess)
        {
            return diff.Error;
        }

        var now = time.GetUtcNow();
        var invoiceIds = diff.Value.Select(d => d.Billed.InvoiceId).Distinct().ToList();
        var invoices = await db.Invoices.Where(i => invoiceIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        var customers = diff.Value.Select(d => d.Billed.CustomerId).Distinct().ToList();
        var drafts = (await db.Invoices
                .Where(i => i.PartnerId == partnerId && i.Month == month.Start && i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Draft && customers.Contains(i.CustomerId))
                .ToListAsync(cancellationToken))
            .GroupBy(i => i.CustomerId).ToDictionary(g => g.Key, g => g.OrderBy(i => i.Id).First());
        var creditNotes = new Dictionary<Guid, CustomerInvoice>();
        var added = new List<InvoiceLine>();
        foreach (var (billed, proposed, _) in diff.Value)
        {
            var invoice = invoices[billed.InvoiceId];
            CustomerInvoice reversedOn;
            if (invoice.Status == InvoiceStatus.Draft)
            {
                reversedOn = invoice;
            }
            else if (!creditNotes.TryGetValue(invoice.Id, out reversedOn!))
            {
                reversedOn = new CustomerInvoice(Guid.CreateVersion7(now), partnerId, invoice.CustomerId, InvoiceKind.CreditNote, invoice.Month, invoice.Currency, invoice.TaxTreatment, now, invoice.Id);
                db.Invoices.Add(reversedOn);
                creditNotes[invoice.Id] = reversedOn;
            }

            var reversal = billed.Reversal(Guid.CreateVersion7(now), reversedOn);
            db.InvoiceLines.Add(reversal);
            reversedOn.Add(reversal);

            var draft = invoice.Status == InvoiceStatus.Draft ? invoice : drafts.GetValueOrDefault(billed.CustomerId);
            if (draft is null)
            {
                draft = new CustomerInvoice(Guid.CreateVersion7(now), partnerId, billed.CustomerId, InvoiceKind.Invoice, month.Start, invoice.Currency, proposed.Charge.TaxTreatment(), now);
                db.Invoices.Add(draft);
                drafts[billed.CustomerId] = draft;
            }

            var price = proposed.Charge.Price;
            var again = new InvoiceLine(
                Guid.CreateVersion7(now), draft, $"{BaseKey(billed.ChargeKey)}~r{Generation(billed.ChargeKey) + 1}", billed.SubscriptionId, proposed.Charge,
                price.Tiers[^1].Rule?.Id, price.Tiers.Count > 1 ? price.Tiers[0].Rule?.Id : null);
            db.InvoiceLines.Add(again);
            draft.Add(again);
            added.Add(reversal);
            added.Add(again);
        }

        await SalesTotals.CountAsync(db, added, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(partnerId, month, false, diff.Value.Select(d => d.Line).ToList(), creditNotes.Count, added.Count);
    }

    private sealed record Difference(InvoiceLine Billed, ProposedLine Proposed, RerateLine Line);

    /// <summary>The month's lines in force whose charge the rules price differently today.</summary>
    private static async Task<Result<List<Difference>>> DiffAsync(CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, CancellationToken cancellationToken)
    {
        var proposed = await ProposedInvoices.ComputeAsync(db, partnerId, month, rules, null, cancellationToken);
        if (!proposed.IsSuccess)
        {
            return proposed.Error;
        }

        var byKey = proposed.Value.Lines.ToDictionary(l => l.ChargeKey, StringComparer.Ordinal);
        var lines = await db.InvoiceLines.Where(l => l.PartnerId == partnerId && l.Month == month.Start).ToListAsync(cancellationToken);
        var reversed = lines.Where(l => l.ReversesLineId is not null).Select(l => l.ReversesLineId!.Value).ToHashSet();
        var numbers = await db.Invoices.Where(i => i.PartnerId == partnerId && i.Month == month.Start).ToDictionaryAsync(i => i.Id, i => i.Number, cancellationToken);
        return lines
            .Where(l => l.ReversesLineId is null && !reversed.Contains(l.Id))
            .Select(l => (Billed: l, Now: byKey.GetValueOrDefault(BaseKey(l.ChargeKey))))
            .Where(x => x.Now is { } now && (now.Charge.Amount.Amount != x.Billed.Amount || now.Charge.Tax.Amount != x.Billed.Tax || now.Charge.ResellerCost?.Amount != x.Billed.ResellerCost))
            .OrderBy(x => x.Billed.CustomerId).ThenBy(x => x.Billed.ChargeStartDate).ThenBy(x => x.Billed.Id)
            .Select(x => new Difference(x.Billed, x.Now!, new RerateLine(
                x.Billed.Id, x.Billed.InvoiceId, numbers.GetValueOrDefault(x.Billed.InvoiceId), x.Billed.CustomerId, x.Billed.ChargeType, x.Billed.ProductName, x.Billed.ChargeStartDate, x.Billed.ChargeEndDate,
                x.Billed.BillableQuantity, x.Billed.Currency, x.Billed.Amount, x.Now!.Charge.Amount.Amount, x.Now.Charge.Amount.Amount - x.Billed.Amount, x.Billed.Tax, x.Now.Charge.Tax.Amount,
                x.Billed.Cost, (x.Now.Charge.ResellerCost ?? x.Now.Charge.MicrosoftCost).Amount, x.Billed.Explanation, x.Now.Charge.Price.Tiers[^1].Explanation)))
            .ToList();
    }

    /// <summary>The charge's own key, without the re-rating generation a replacement line carries (<c>…~r2</c>).</summary>
    private static string BaseKey(string key) => key.Split("~r")[0];

    private static int Generation(string key) => key.Split("~r") is [_, var n] && int.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : 0;

    private static RerateView View(Guid partnerId, BillingPeriod month, bool preview, List<RerateLine> lines, int creditNotes, int added) => new(
        partnerId,
        $"{month.Start:yyyy-MM}",
        preview,
        lines,
        lines.GroupBy(l => l.Currency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotal(g.Key, g.Sum(l => l.Difference), g.Sum(l => l.NewTax - l.OldTax), g.Sum(l => l.NewCost - l.OldCost)))
            .ToList(),
        creditNotes,
        added);
}
