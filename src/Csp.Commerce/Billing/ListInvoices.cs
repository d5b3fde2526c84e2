using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// The invoices and credit notes the caller can see, newest month first, then by number (drafts last); optionally of one
/// month, one customer or in one status (<c>overdue</c> is an issued invoice past its due date).
/// </summary>
public static class ListInvoices
{
    /// <summary>The statuses a list is asked for by name: <c>overdue</c> is an issued invoice past its due date.</summary>
    public static readonly string[] Statuses = ["draft", "issued", "paid", "overdue"];

    /// <summary>What a status named in <see cref="Statuses"/> (or none: empty) selects.</summary>
    public static (InvoiceStatus? Status, bool OverdueOnly) Filter(string named) => named switch
    {
        "draft" => (InvoiceStatus.Draft, false),
        "issued" => (InvoiceStatus.Issued, false),
        "overdue" => (InvoiceStatus.Issued, true),
        "paid" => (InvoiceStatus.Paid, false),
        _ => (null, false),
    };

    public static async Task<Paged<InvoiceView>> RunAsync(
        CommerceDb db, BillingPeriod? month, Guid? customerId, InvoiceStatus? status, bool overdueOnly, int page, int pageSize, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = BillingClock.MicrosoftToday(time);
        var invoices = db.Invoices.AsQueryable();
        if (month is { } m)
        {
            invoices = invoices.Where(i => i.Month == m.Start);
        }

        if (customerId is { } customer)
        {
            invoices = invoices.Where(i => i.CustomerId == customer);
        }

        if (status is { } s)
        {
            invoices = invoices.Where(i => i.Status == s);
        }

        if (overdueOnly)
        {
            invoices = invoices.Where(i => i.Status == InvoiceStatus.Issued && i.DueDate < today);
        }

        var total = await invoices.CountAsync(cancellationToken);
        var found = await invoices
            .OrderByDescending(i => i.Month).ThenBy(i => i.SequenceNumber == null).ThenBy(i => i.SequenceNumber).ThenBy(i => i.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.Customers, i => i.CustomerId, c => c.Id, (i, c) => new { Invoice = i, c.Name })
            .ToListAsync(cancellationToken);
        return new Paged<InvoiceView>(found.Select(f => InvoiceView.Of(f.Invoice, f.Name, today)).ToList(), page, pageSize, total);
    }
}

/// <summary>One invoice and its lines, each as the caller may see it.</summary>
public static class GetInvoice
{
    public static async Task<Result<InvoiceDetail>> RunAsync(CommerceDb db, Guid invoiceId, Guid viewerId, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await db.Invoices.Where(i => i.Id == invoiceId).Join(db.Customers, i => i.CustomerId, c => c.Id, (i, c) => new { Invoice = i, c.Name }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Error.NotFound("invoice", invoiceId);
        }

        var lines = await db.InvoiceLines.Where(l => l.InvoiceId == invoiceId).OrderBy(l => l.ChargeStartDate).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        return new InvoiceDetail(InvoiceView.Of(found.Invoice, found.Name, BillingClock.MicrosoftToday(time)), lines.Select(l => InvoiceLineView.Of(l, viewerId)).ToList());
    }
}

/// <summary>The billing runs the caller can see, newest first; optionally of one month.</summary>
public static class ListBillingRuns
{
    public sealed record BillingRunEntry(Guid Id, Guid PartnerId, string Month, DateTimeOffset StartedAt, string StartedBy, int Customers, int LinesAdded, int InvoicesCreated, int Unpriced, int Parked);

    public static async Task<List<BillingRunEntry>> RunAsync(CommerceDb db, BillingPeriod? month, CancellationToken cancellationToken)
    {
        var runs = db.BillingRuns.AsQueryable();
        if (month is { } m)
        {
            runs = runs.Where(r => r.Month == m.Start);
        }

        // SQLite cannot order by an instant; the ids are version 7 GUIDs, in the order they were made.
        var found = await runs.OrderByDescending(r => r.Month).Take(500).ToListAsync(cancellationToken);
        return found.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .Select(r => new BillingRunEntry(r.Id, r.PartnerId, $"{r.Month:yyyy-MM}", r.StartedAt, r.StartedBy, r.Customers, r.LinesAdded, r.InvoicesCreated, r.Unpriced, r.Parked)).ToList();
    }
}
