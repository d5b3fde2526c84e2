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
/// <remarks>
/// Each (customer, subscription) is numbered as first met and a day is keyed by that number and its day number, so that
/// a file of a million rows costs one look-up of a small table and one of a table of integers per row, and a writer can
/// number the subscriptions its own way without going through the days again by their GUIDs.
/// </remarks>
public sealed class DailyUsageTotals
{
    /// <summary>
    /// The largest amount or quantity a day of one subscription may reach: no customer is billed a trillion a day for one
    /// subscription, so beyond it a value is an error in the file; the stored totals keep thirteen digits before the point.
    /// </summary>
    public const decimal Largest = 1_000_000_000_000m;

    private readonly Dictionary<(Guid Customer, Guid Subscription), int> numbers = [];

    private readonly List<(Guid CustomerId, Guid SubscriptionId)> subscriptions = [];

    private readonly Dictionary<DayKey, DailyUsageSum> days = [];

    /// <summary>The subscription of the row before, which the next row is most often of too.</summary>
    private (Guid Customer, Guid Subscription, int Number) previous = (Guid.Empty, Guid.Empty, -1);

    /// <summary>Each customer's subscription, in the order first met: a day's <see cref="Day.Subscription"/> is its index here.</summary>
    public IReadOnlyList<(Guid CustomerId, Guid SubscriptionId)> Subscriptions => subscriptions;

    /// <summary>How many (customer, subscription, day) groups there are.</summary>
    public int Count => days.Count;

    /// <summary>Each group by the index of its subscription in <see cref="Subscriptions"/>, in no particular order.</summary>
    public IEnumerable<Day> Days => days.Select(d => new Day((int)(d.Key.Value >> 32), DateOnly.FromDayNumber((int)(d.Key.Value & uint.MaxValue)), d.Value));

    /// <summary>Each group by its customer, subscription and day, in no particular order.</summary>
    public IEnumerable<(DailyUsageKey Key, DailyUsageSum Sum)> Groups =>
        Days.Select(d => (new DailyUsageKey(subscriptions[d.Subscription].CustomerId, subscriptions[d.Subscription].SubscriptionId, d.UsageDate), d.Sum));

    /// <summary>The earliest and latest usage dates added; null when nothing was.</summary>
    public DateOnly? FirstUsageDate { get; private set; }

    public DateOnly? LastUsageDate { get; private set; }

    public long Rows { get; private set; }

    /// <summary>Σ BillingPreTaxTotal of every row added, kept apart from the groups.</summary>
    public decimal RowTotal { get; private set; }

    /// <summary>The sums of <paramref name="key"/>; nothing when no row of it was added.</summary>
    public DailyUsageSum? Sum(DailyUsageKey key) =>
        numbers.TryGetValue((key.CustomerId, key.SubscriptionId), out var number) && days.TryGetValue(Key(number, key.UsageDate), out var sum) ? sum : null;

    /// <summary>Adds <paramref name="row"/>; false, with nothing added, when its day would pass <see cref="Largest"/>.</summary>
    public bool Add(in DailyUsage row)
    {
        var number = previous.Customer == row.CustomerId && previous.Subscription == row.SubscriptionId ? previous.Number : Number(row.CustomerId, row.SubscriptionId);
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(days, Key(number, row.UsageDate), out var existed);
        var (quantity, total) = (sum.Quantity + row.Quantity, sum.BillingPreTaxTotal + row.BillingPreTaxTotal);
        if (Math.Abs(quantity) >= Largest || Math.Abs(total) >= Largest)
        {
            if (!existed)
            {
                days.Remove(Key(number, row.UsageDate));
            }

            return false;
        }

        sum = new DailyUsageSum(quantity, total, sum.Rows + 1);
        Rows++;
        RowTotal += row.BillingPreTaxTotal;
        FirstUsageDate = FirstUsageDate is { } first && first <= row.UsageDate ? first : row.UsageDate;
        LastUsageDate = LastUsageDate is { } last && last >= row.UsageDate ? last : row.UsageDate;
        return true;
    }

    private int Number(Guid customer, Guid subscription)
    {
        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(numbers, (customer, subscription), out var known);
        if (!known)
        {
            number = subscriptions.Count;
            subscriptions.Add((customer, subscription));
        }

        previous = (customer, subscription, number);
        return number;
    }

    private static DayKey Key(int number, DateOnly day) => new(((long)number << 32) | (uint)day.DayNumber);

    /// <summary>Σ of the groups' totals; equals <see cref="RowTotal"/> when nothing was lost or doubled.</summary>
    public decimal GroupTotal => days.Values.Sum(g => g.BillingPreTaxTotal);

    public bool IsConserved => GroupTotal == RowTotal && days.Values.Sum(g => (long)g.Rows) == Rows;

    /// <summary>A day of a subscription: its number × 2³² + the day's <see cref="DateOnly.DayNumber"/>.</summary>
    /// <remarks>
    /// Hashed by multiplying with 2⁶⁴/φ: a long's own hash, the exclusive-or of its halves, would give the few thousand
    /// subscriptions of a month's thirty days a few thousand hashes between them.
    /// </remarks>
    private readonly record struct DayKey(long Value)
    {
        public override int GetHashCode() => unchecked((int)((ulong)Value * 0x9E3779B97F4A7C15UL >> 32));
    }

    /// <summary>One group: the subscription's index in <see cref="Subscriptions"/>, the day, and the day's sums.</summary>
    public readonly record struct Day(int Subscription, DateOnly UsageDate, DailyUsageSum Sum);
}
