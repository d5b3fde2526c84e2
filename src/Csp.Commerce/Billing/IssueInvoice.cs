using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// Issues a draft invoice or credit note: it takes the next number of the issuing partner's sequence, today's date in the
/// partner's billing time zone and a due date, and is frozen. Numbers have no gaps: the number is taken in the same
/// transaction as the issue, and two issues at once cannot take the same one (the sequence row is the concurrency token;
/// the later one starts again with the next number).
/// </summary>
public static class IssueInvoice
{
    public const int MaxDueInDays = 365;

    private const int Attempts = 10;

    public static async Task<Result<InvoiceView>> RunAsync(CommerceDb db, Guid invoiceId, int dueInDays, string issuedBy, TimeProvider time, CancellationToken cancellationToken)
    {
        if (dueInDays is < 1 or > MaxDueInDays)
        {
            return Error.InvalidParameter("dueInDays", $"dueInDays: from 1 to {MaxDueInDays}.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
            if (invoice is null)
            {
                return Error.NotFound("invoice", invoiceId);
            }

            if (invoice.Status != InvoiceStatus.Draft)
            {
                return new Error("invoice.not_draft", $"Invoice {invoice.Number} is {invoice.Status.ToString().ToLowerInvariant()}: only a draft is issued, once.", ErrorKind.Conflict);
            }

            if (invoice.LineCount == 0)
            {
                return new Error("invoice.empty", "The draft has no lines; a billing run adds them.", ErrorKind.Conflict);
            }

            var partner = await db.Partners.FirstAsync(p => p.Id == invoice.PartnerId, cancellationToken);
            var now = time.GetUtcNow();
            var today = BillingClock.PartnerDay(now, partner.BillingTimeZone);
            var sequence = await db.InvoiceSequences.FirstOrDefaultAsync(s => s.PartnerId == partner.Id, cancellationToken);
            if (sequence is null)
            {
                sequence = new InvoiceSequence(partner.Id, 0);
                db.InvoiceSequences.Add(sequence);
            }

            invoice.Issue(sequence.Next(), today, today.AddDays(dueInDays), now, issuedBy);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                var name = await db.Customers.Where(c => c.Id == invoice.CustomerId).Select(c => c.Name).FirstAsync(cancellationToken);
                return InvoiceView.Of(invoice, name, BillingClock.MicrosoftDay(now));
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another issue took this number first: start again from the stored sequence.
                db.ChangeTracker.Clear();
            }
        }
    }
}

/// <summary>Records that the customer paid an issued invoice on a day (not before it was issued, not after today).</summary>
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

        var today = BillingClock.MicrosoftToday(time).AddDays(1);
        if (paidOn < invoice.IssueDate || paidOn > today)
        {
            return Error.InvalidParameter("paidOn", $"paidOn: from the issue date {invoice.IssueDate:yyyy-MM-dd} to today.");
        }

        invoice.MarkPaid(paidOn);
        await db.SaveChangesAsync(cancellationToken);
        var name = await db.Customers.Where(c => c.Id == invoice.CustomerId).Select(c => c.Name).FirstAsync(cancellationToken);
        return InvoiceView.Of(invoice, name, BillingClock.MicrosoftDay(time.GetUtcNow()));
    }
}
