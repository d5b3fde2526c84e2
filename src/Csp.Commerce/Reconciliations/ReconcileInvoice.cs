using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Reconciliations;

/// <summary>Microsoft's invoice reconciliation file as received: its name, its SHA-256, and a way to read it from the start, as often as needed.</summary>
public sealed record ReceivedFile(string Name, string Sha256, Func<TextReader> Open);

/// <summary>
/// What a reconciliation request came to: the reconciliation and whether this request made it (false: the same file was
/// reconciled before, and this is that result); or the refusal; or the place the file cannot be read.
/// </summary>
public sealed record Reconciled(ReconciliationView? Reconciliation, bool Created, Error? Refusal = null, FileError? UnreadableFile = null);

/// <summary>
/// Imports Microsoft's invoice reconciliation file for a billing month and matches it: licence lines against the shadow
/// invoice, Azure plan lines against the imported daily usage. The same file twice is the same reconciliation: nothing
/// is imported again. A file that cannot be read is refused naming its line, column and value, and nothing is kept.
/// </summary>
public static class ReconcileInvoice
{
    /// <param name="month">The billing month; null for the file's one month.</param>
    /// <param name="monthParameter">The input that names the month, for a refusal.</param>
    public static async Task<Reconciled> RunAsync(
        CommerceDb db, Guid partnerId, ReceivedFile file, BillingPeriod? month, string monthParameter, ChargeRules rules, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ExistingAsync(db, partnerId, file.Sha256, cancellationToken) is { } earlier)
        {
            return new Reconciled(earlier, false);
        }

        // The file is read twice, never held: for its billing months when none is given, then to match it.
        BillingPeriod billingMonth;
        ReconResult licences;
        try
        {
            if (month is { } given)
            {
                billingMonth = given;
            }
            else
            {
                using var text = file.Open();
                var months = InvoiceReconFile.Read(text, file.Name, keepOtherColumns: false).Select(b => BillingPeriod.Month(b.OrderDate)).Distinct().ToList();
                if (months.Count != 1)
                {
                    return Refused(new Error("reconciliation.month_required", $"The file has lines in {months.Count} billing months; say which with month=yyyy-MM.", ErrorKind.Invalid, monthParameter));
                }

                billingMonth = months[0];
            }

            if (await ExpectedCharges.OutsideAsync(db, billingMonth, time, monthParameter, cancellationToken) is { } outside)
            {
                return Refused(outside);
            }

            var expected = await ExpectedCharges.ForMonthAsync(db, billingMonth, rules, cancellationToken);
            licences = await InvoiceReconFile.MatchAsync(file.Open, file.Name, expected.Lines, billingMonth);
        }
        catch (FileFormatException e)
        {
            return new Reconciled(null, false, UnreadableFile: e.Error);
        }

        var usage = await ImportedUsage.ForMonthAsync(db, billingMonth, cancellationToken);
        var result = AzureUsageMatcher.WithUsage(licences, usage.AzureSubscriptionIds, usage.Usage, billingMonth);
        var reconciliation = new Csp.Data.Reconciliation(
            Guid.CreateVersion7(time.GetUtcNow()), partnerId, file.Name, file.Sha256, billingMonth.Start, time.GetUtcNow(),
            licences.Billed, licences.Expected + usage.Usage.Count, result.Matched, result.IsZeroDiscrepancy);
        db.Reconciliations.Add(reconciliation);
        db.ReconciliationDifferences.AddRange(result.Differences.Select(d => new ReconciliationDifference(reconciliation.Id, partnerId, d)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same file imported by a concurrent request first: its result is this one's.
            if (await ExistingAsync(db, partnerId, file.Sha256, cancellationToken) is { } concurrent)
            {
                return new Reconciled(concurrent, false);
            }

            throw;
        }

        return new Reconciled(await ReconciliationViews.LoadAsync(db, reconciliation, cancellationToken), true);
    }

    private static Reconciled Refused(Error error) => new(null, false, error);

    private static async Task<ReconciliationView?> ExistingAsync(CommerceDb db, Guid partnerId, string hash, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var existing = await db.Reconciliations.FirstOrDefaultAsync(r => r.PartnerId == partnerId && r.FileSha256 == hash, cancellationToken);
        return existing is null ? null : await ReconciliationViews.LoadAsync(db, existing, cancellationToken);
    }
}
