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
    /// <summary>
    /// The largest amount or quantity a day of one subscription may reach: no customer is billed a trillion a day for one
    /// subscription, so beyond it a value is an error in the file; the stored totals keep thirteen digits before the point.
    /// </summary>
    public const decimal Largest = 1_000_000_000_000m;

    private readonly Dictionary<DailyUsageKey, DailyUsageSum> groups = [];

    public IReadOnlyDictionary<DailyUsageKey, DailyUsageSum> Groups => groups;

    public long Rows { get; private set; }

    /// <summary>Σ BillingPreTaxTotal of every row added, kept apart from the groups.</summary>
    public decimal RowTotal { get; private set; }

    /// <summary>Adds <paramref name="row"/>; false, with nothing added, when its day would pass <see cref="Largest"/>.</summary>
    public bool Add(in DailyUsage row)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, new DailyUsageKey(row.CustomerId, row.SubscriptionId, row.UsageDate), out var existed);
        var (quantity, total) = (sum.Quantity + row.Quantity, sum.BillingPreTaxTotal + row.BillingPreTaxTotal);
        if (Math.Abs(quantity) >= Largest || Math.Abs(total) >= Largest)
        {
            if (!existed)
            {
                groups.Remove(new DailyUsageKey(row.CustomerId, row.SubscriptionId, row.UsageDate));
            }

            return false;
        }

        sum = new DailyUsageSum(quantity, total, sum.Rows + 1);
        Rows++;
        RowTotal += row.BillingPreTaxTotal;
        return true;
    }

    /// <summary>Σ of the groups' totals; equals <see cref="RowTotal"/> when nothing was lost or doubled.</summary>
    public decimal GroupTotal => groups.Values.Sum(g => g.BillingPreTaxTotal);

    public bool IsConserved => GroupTotal == RowTotal && groups.Values.Sum(g => (long)g.Rows) == Rows;
}
