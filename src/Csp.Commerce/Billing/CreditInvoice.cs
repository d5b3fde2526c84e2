using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// A draft credit note that reverses lines of an issued invoice (all of them when none are named), each line referring to
/// the one it reverses. A line is credited once: a reversal's charge key is the line's, so a second credit of it is refused.
/// Issue the credit note like an invoice.
/// </summary>
public static class CreditInvoice
{
    public const int MaxLines = 10_000;

    public static async Task<Result<InvoiceDetail>> RunAsync(CommerceDb db, Guid invoiceId, IReadOnlyList<Guid>? lineIds, Guid viewerId, TimeProvider time, CancellationToken cancellationToken)
    {
        if (lineIds is { Count: > MaxLines })
        {
            return Error.InvalidParameter("lineIds", $"lineIds: at most {MaxLines} lines in one credit note.");
        }

        var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
        {
            return Error.NotFound("invoice", invoiceId);
        }

        if (invoice.Kind != InvoiceKind.Invoice || invoice.Status == InvoiceStatus.Draft)
        {
            return new Error("invoice.not_creditable", "Only an issued invoice is corrected by a credit note; a draft still changes with the next billing run.", ErrorKind.Conflict);
        }

        var lines = await db.InvoiceLines.Where(l => l.InvoiceId == invoiceId).ToListAsync(cancellationToken);
        var wanted = lineIds is null ? lines : lines.Where(l => lineIds.Contains(l.Id)).ToList();
        if (lineIds?.Where(id => lines.All(l => l.Id != id)).Select(id => (Guid?)id).FirstOrDefault() is { } stranger)
        {
            return Error.InvalidParameter("lineIds", $"lineIds: {stranger} is not a line of invoice {invoice.Number}.");
        }

        // Under the seller's turn, as every writer of its lines: the check below sees any credit committed before this one.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerTurn.TakeAsync(db, invoice.PartnerId, cancellationToken);
        var keys = wanted.Select(l => $"credit:{l.Id}").ToList();
        if (wanted.Count == 0 || await db.InvoiceLines.AnyAsync(l => l.PartnerId == invoice.PartnerId && keys.Contains(l.ChargeKey), cancellationToken))
        {
            return new Error("invoice.already_credited", "One of these lines is credited already (or none was named); each line is credited once.", ErrorKind.Conflict);
        }

        var now = time.GetUtcNow();
        var note = new CustomerInvoice(Guid.CreateVersion7(now), invoice.PartnerId, invoice.CustomerId, InvoiceKind.CreditNote, invoice.Month, invoice.Currency, invoice.TaxTreatment, now, invoice.Id);
        db.Invoices.Add(note);
        var reversals = wanted.Select(l => l.Reversal(Guid.CreateVersion7(now), note)).ToList();
        foreach (var reversal in reversals)
        {
            db.InvoiceLines.Add(reversal);
            note.Add(reversal);
        }

        try
        {
            await SalesTotals.CountAsync(db, reversals, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new Error("invoice.already_credited", "One of these lines was credited at the same time; each line is credited once.", ErrorKind.Conflict);
        }

        return await GetInvoice.RunAsync(db, note.Id, viewerId, time, cancellationToken);
    }
}
