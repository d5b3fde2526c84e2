using System.Runtime.InteropServices;

namespace Csp.Domain.Reconciliation;

/// <summary>One Azure usage row reduced to what the daily totals need.</summary>
/// <param name="BillingPreTaxTotal">Microsoft's total in the billing currency, before tax, after partner-earned credit.</param>
public readonly record struct DailyUsage(long LineNumber, Guid CustomerId, Guid SubscriptionId, DateOnly UsageDate, decimal Quantity, decimal BillingPreTaxTotal);

/// <summary>The usage cost and quantity of one subscription of one customer on one day.</summary>
public readonly record struct DailyUsageKey(Guid CustomerId, Guid SubscriptionId, DateOnly UsageDate);

/// <summary>Running sums of one <see cref="DailyUsageKey"/>.</summary>
public record struct DailyUsageSum(decimal Quantity, decimal BillingPreTaxTotal, int Rows);

/// <summary>
/// Daily rated usage summed per customer, subscription and day, with the money conservation check: the groups must add
/// up, exactly, to the sum of every row read (reliability R8a). Exact <see cref="decimal"/> sums; nothing is rounded.
/// </summary>
public sealed class DailyUsageTotals
{
    private readonly Dictionary<DailyUsageKey, DailyUsageSum> groups = [];

    public IReadOnlyDictionary<DailyUsageKey, DailyUsageSum> Groups => groups;

    public long Rows { get; private set; }

    /// <summary>Σ BillingPreTaxTotal of every row added, kept apart from the groups.</summary>
    public decimal RowTotal { get; private set; }

    public void Add(in DailyUsage row)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, new DailyUsageKey(row.CustomerId, row.SubscriptionId, row.UsageDate), out _);
        sum.Quantity += row.Quantity;
        sum.BillingPreTaxTotal += row.BillingPreTaxTotal;
        sum.Rows++;
        Rows++;
        RowTotal += row.BillingPreTaxTotal;
    }

    /// <summary>Σ of the groups' totals; equals <see cref="RowTotal"/> when nothing was lost or doubled.</summary>
    public decimal GroupTotal => groups.Values.Sum(g => g.BillingPreTaxTotal);

    public bool IsConserved => GroupTotal == RowTotal && groups.Values.Sum(g => (long)g.Rows) == Rows;
}
