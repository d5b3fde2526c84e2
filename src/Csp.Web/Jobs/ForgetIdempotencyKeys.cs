using Csp.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Csp.Web.Jobs;

/// <summary>
/// Forgets the Idempotency-Keys of requests made two or more days before the business day: every key is kept at least
/// 24 hours (a key made at 23:59 is kept through the whole next day), and the table does not grow for ever.
/// </summary>
/// <remarks>
/// Platform-wide: keys of every partner are forgotten alike, so the partner filter is set aside here, as jobs may.
/// A key still in use (no response yet) is kept whatever its age.
/// </remarks>
public sealed class ForgetIdempotencyKeys(CommerceDb db)
{
    public const int DaysKept = 2;

    public Task<int> RunAsync(DateOnly businessDate, CancellationToken cancellationToken)
    {
        var before = businessDate.AddDays(-DaysKept + 1);
        return db.IdempotencyRecords.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Where(r => r.CreatedOn < before && r.CompletedAt != null)
            .ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>The Quartz side of <see cref="ForgetIdempotencyKeys"/>: daily, recorded as a <see cref="JobRun"/>.</summary>
[DisallowConcurrentExecution]
public sealed class ForgetIdempotencyKeysJob(IServiceProvider services, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("forget-idempotency-keys");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        JobRuns.RecordAsync(services, time, context, Key, async (db, businessDate) =>
            $"{await new ForgetIdempotencyKeys(db).RunAsync(businessDate, cancellationToken)} keys forgotten", cancellationToken);
}
