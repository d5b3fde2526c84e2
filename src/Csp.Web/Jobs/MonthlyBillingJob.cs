using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Csp.Web.Jobs;

/// <summary>
/// The monthly billing run after Microsoft's month closes: for every partner that owns customers, the billing run of the
/// month before the business day (<see cref="RunBilling"/>), each in that partner's own scope, recorded as a
/// <see cref="JobRun"/>. A run adds what is not billed yet, so a firing repeated, or a month already run on demand, adds
/// nothing twice; the drafts wait for the partner to issue them.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MonthlyBillingJob(IServiceProvider services, TimeProvider time, ILogger<MonthlyBillingJob> log) : IJob
{
    public static readonly JobKey Key = new("monthly-billing");

    public const string Actor = "job monthly-billing";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        JobRuns.RecordAsync(services, time, context, Key, async (db, businessDate) =>
        {
            var month = BillingPeriod.Month(BillingPeriod.Month(businessDate).Start.AddMonths(-1));

            // The job crosses partners: it finds those that invoice customers without a scope, then bills each in its own.
            var hierarchy = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new { p.Id, p.ParentPartnerId }).ToListAsync(cancellationToken);
            var sellers = await db.Customers.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(c => c.PartnerId).Distinct().ToListAsync(cancellationToken);
            var outcomes = new List<string>();
            foreach (var seller in sellers.Order())
            {
                await using var partnerScope = services.CreateAsyncScope();
                partnerScope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(seller, hierarchy.Select(p => (p.Id, p.ParentPartnerId)));
                var sellerDb = partnerScope.ServiceProvider.GetRequiredService<CommerceDb>();
                try
                {
                    var run = await RunBilling.RunAsync(sellerDb, seller, month, partnerScope.ServiceProvider.GetRequiredService<ChargeRules>(), Actor, time, cancellationToken);
                    outcomes.Add(run.IsSuccess ? $"{seller}: {run.Value.LinesAdded} lines added, {run.Value.Unpriced.Count} unpriced" : $"{seller}: {run.Error.Code}");
                }
                catch (DbUpdateException e)
                {
                    // One partner's failure must not stop the others; the next firing, or a run on demand, adds what is left.
                    log.LogWarning(e, "Monthly billing of {Month:yyyy-MM} for partner {PartnerId} failed", month.Start, seller);
                    outcomes.Add($"{seller}: failed: {e.Message}");
                }
            }

            return $"{month.Start:yyyy-MM}: {string.Join("; ", outcomes)}";
        }, cancellationToken);
}
