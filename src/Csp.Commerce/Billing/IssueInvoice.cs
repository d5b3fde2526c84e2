using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// Issues a draft invoice or credit note: it takes the next number of the issuing partner's sequence, today's date in the
/// partner's billing time zone and a due date, and is frozen. Numbers have no gaps: the number is taken in the same
/// transaction as the issue, one issue of a partner at a time (<see cref="PartnerTurn"/>); the sequence row's concurrency
/// token and the unique (partner, number) index refuse a second holder regardless.
/// </summary>
public static class IssueInvoice
{
    public const int MaxDueInDays = 365;

    public static async Task<Result<InvoiceView>> RunAsync(CommerceDb db, Guid invoiceId, int dueInDays, string issuedBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (dueInDays is < 1 or > MaxDueInDays)
        {
            return Error.InvalidParameter("dueInDays", $"dueInDays: from 1 to {MaxDueInDays}.");
        }

        var found = await db.Invoices.Where(i => i.Id == invoiceId).Select(i => (Guid?)i.PartnerId).FirstOrDefaultAsync(cancellationToken);
        if (found is not { } partnerId)
        {
            return Error.NotFound("invoice", invoiceId);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerTurn.TakeAsync(db, partnerId, cancellationToken);
        var invoice = await db.Invoices.FirstAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice.Status != InvoiceStatus.Draft)
        {
            return new Error("invoice.not_draft", $"Invoice {invoice.Number} is {invoice.Status.ToString().ToLowerInvariant()}: only a draft is issued, once.", ErrorKind.Conflict);
        }

        if (invoice.LineCount == 0)
        {
            return new Error("invoice.empty", "The draft has no lines; a billing run adds them.", ErrorKind.Conflict);
        }

        var partner = await db.Partners.FirstAsync(p => p.Id == partnerId, cancellationToken);
        var now = time.GetUtcNow();
        var today = BillingClock.PartnerDay(now, partner.BillingTimeZone);
        var sequence = await db.InvoiceSequences.FirstOrDefaultAsync(s => s.PartnerId == partnerId, cancellationToken);
        if (sequence is null)
        {
            sequence = new InvoiceSequence(partnerId, 0);
            db.InvoiceSequences.Add(sequence);
        }

        invoice.Issue(sequence.Next(), today, today.AddDays(dueInDays), now, issuedBy);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var name = await db.Customers.Where(c => c.Id == invoice.CustomerId).Select(c => c.Name).FirstAsync(cancellationToken);
        return InvoiceView.Of(invoice, name, BillingClock.MicrosoftDay(now));
    }
}

/// <summary>Records that the customer paid an issued invoice on a day (not before it was issued, not after today in the issuing partner's time zone).</summary>
public static class MarkInvoicePaid
{
    public static async Task<Result<InvoiceView>> RunAsync(CommerceDb db, Guid invoiceId, DateOnly paidOn, TimeProvider time, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
        {
            return Error.NotFound("invoice", invoiceId);
        }

        if (invoice.Status != InvoiceStatus.Issued)
        {
            return new Error("invoice.not_issued", $"The invoice is {invoice.Status.ToString().ToLowerInvariant()}: only an issued, unpaid invoice is marked paid.", ErrorKind.Conflict);
        }

        var zone = await db.Partners.Where(p => p.Id == invoice.PartnerId).Select(p => p.BillingTimeZone).FirstAsync(cancellationToken);
        if (paidOn < invoice.IssueDate || paidOn > BillingClock.PartnerDay(time.GetUtcNow(), zone))
        {
            return Error.InvalidParameter("paidOn", $"paidOn: from the issue date {invoice.IssueDate:yyyy-MM-dd} to today.");
        }

        invoice.MarkPaid(paidOn);
        await db.SaveChangesAsync(cancellationToken);
        var name = await db.Customers.Where(c => c.Id == invoice.CustomerId).Select(c => c.Name).FirstAsync(cancellationToken);
        return InvoiceView.Of(invoice, name, BillingClock.MicrosoftDay(time.GetUtcNow()));
    }
}
