using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

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
/// Each (customer, subscription) is numbered as first met, and a day is keyed by that number and its day number in one
/// long, so that a writer can number the subscriptions its own way without going through the days again by their GUIDs.
/// The days are kept in a table of their own, open-addressed, each slot holding its key and its sums: a row of a file of
/// a million costs one look-up of the small table of subscriptions and, in the days' table, one read of one place in
/// memory — the price of a row is its cache misses, and a dictionary's buckets and entries are two of them.
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

    /// <summary>The days' table: a power of two of slots, at most three quarters used; a slot of no rows is empty.</summary>
    private Slot[] slots = new Slot[1024];

    /// <summary>
    /// Where a key's search starts: the high bits of key × an odd number drawn for this instance (multiply-shift hashing),
    /// so that no file can be written to make its days collide.
    /// </summary>
    private readonly ulong multiplier = (ulong)Random.Shared.NextInt64() | 1;

    private int shift = 64 - 10;

    /// <summary>The subscription of the row before, which the next row is most often of too.</summary>
    private (Guid Customer, Guid Subscription, int Number) previous = (Guid.Empty, Guid.Empty, -1);

    /// <summary>The subscriptions of the last two rows prefetched, one of which is the row added next.</summary>
    private readonly (Guid Customer, Guid Subscription, int Number)[] prefetched = [(Guid.Empty, Guid.Empty, -1), (Guid.Empty, Guid.Empty, -1)];

    /// <summary>Which of <see cref="prefetched"/> the next prefetch writes.</summary>
    private int prefetches;

    /// <summary>Each customer's subscription, in the order first met: a day's <see cref="Day.Subscription"/> is its index here.</summary>
    public IReadOnlyList<(Guid CustomerId, Guid SubscriptionId)> Subscriptions => subscriptions;

    /// <summary>How many (customer, subscription, day) groups there are.</summary>
    public int Count { get; private set; }

    /// <summary>Each group by the index of its subscription in <see cref="Subscriptions"/>, in no particular order.</summary>
    public IEnumerable<Day> Days => Enumerable.Range(0, slots.Length).Where(i => slots[i].Sum.Rows > 0).Select(i => slots[i].Day);

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
        numbers.TryGetValue((key.CustomerId, key.SubscriptionId), out var number) && Find(Key(number, key.UsageDate)) is { Sum.Rows: > 0 } slot ? slot.Sum : null;

    /// <summary>Adds <paramref name="row"/>; false, with nothing added, when its day would pass <see cref="Largest"/>.</summary>
    public bool Add(in DailyUsage row)
    {
        var number = Number(row.CustomerId, row.SubscriptionId);
        var key = Key(number, row.UsageDate);
        ref var slot = ref Find(key);
        var (quantity, total) = (slot.Sum.Quantity + row.Quantity, slot.Sum.BillingPreTaxTotal + row.BillingPreTaxTotal);
        if (Math.Abs(quantity) >= Largest || Math.Abs(total) >= Largest)
        {
            return false;
        }

        var isNew = slot.Sum.Rows == 0;
        slot = new Slot(key, new DailyUsageSum(quantity, total, slot.Sum.Rows + 1));
        Rows++;
        RowTotal += row.BillingPreTaxTotal;
        FirstUsageDate = FirstUsageDate is { } first && first <= row.UsageDate ? first : row.UsageDate;
        LastUsageDate = LastUsageDate is { } last && last >= row.UsageDate ? last : row.UsageDate;
        if (isNew && ++Count > slots.Length / 4 * 3)
        {
            Grow();
        }

        return true;
    }

    /// <summary>
    /// Asks the processor to fetch the slot <paramref name="row"/> will be added to, so that reading the next row of the
    /// file overlaps the wait for memory: add it after the next one is read.
    /// </summary>
    /// <remarks>
    /// The slot's address is taken without pinning the table: should the collector move it meanwhile, the hint is wasted,
    /// never wrong — a prefetch reads nothing into the program and cannot fault.
    /// </remarks>
    public unsafe void Prefetch(in DailyUsage row)
    {
        var number = previous.Customer == row.CustomerId && previous.Subscription == row.SubscriptionId ? previous.Number : numbers.GetValueOrDefault((row.CustomerId, row.SubscriptionId), -1);
        if (number >= 0)
        {
            prefetched[prefetches] = (row.CustomerId, row.SubscriptionId, number);
            prefetches ^= 1;
            if (Sse.IsSupported)
            {
                Sse.Prefetch0(Unsafe.AsPointer(ref slots[Home(Key(number, row.UsageDate))]));
            }
        }
    }

    /// <summary><see cref="Days"/> copied into an array: for a writer of hundreds of thousands, without a call per group.</summary>
    public Day[] CopyDays()
    {
        var copy = new Day[Count];
        var n = 0;
        foreach (ref readonly var slot in slots.AsSpan())
        {
            if (slot.Sum.Rows > 0)
            {
                copy[n++] = slot.Day;
            }
        }

        return copy;
    }

    private int Number(Guid customer, Guid subscription)
    {
        foreach (var met in (ReadOnlySpan<(Guid Customer, Guid Subscription, int Number)>)[previous, prefetched[0], prefetched[1]])
        {
            if (met.Customer == customer && met.Subscription == subscription)
            {
                previous = met;
                return met.Number;
            }
        }

        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(numbers, (customer, subscription), out var known);
        if (!known)
        {
            number = subscriptions.Count;
            subscriptions.Add((customer, subscription));
        }

        previous = (customer, subscription, number);
        return number;
    }

    private static long Key(int number, DateOnly day) => ((long)number << 32) | (uint)day.DayNumber;

    /// <summary>The slot of <paramref name="key"/>, or the empty slot where it goes.</summary>
    private ref Slot Find(long key)
    {
        var mask = slots.Length - 1;
        var at = Home(key);
        while (slots[at].Sum.Rows > 0 && slots[at].Key != key)
        {
            at = (at + 1) & mask;
        }

        return ref slots[at];
    }

    private int Home(long key) => (int)(unchecked((ulong)key * multiplier) >> shift);

    private void Grow()
    {
        var old = slots;
        (slots, shift) = (new Slot[old.Length * 2], shift - 1);
        foreach (ref readonly var slot in old.AsSpan())
        {
            if (slot.Sum.Rows > 0)
            {
                Find(slot.Key) = slot;
            }
        }
    }

    /// <summary>Σ of the groups' totals; equals <see cref="RowTotal"/> when nothing was lost or doubled.</summary>
    public decimal GroupTotal
    {
        get
        {
            var total = 0m;
            foreach (ref readonly var slot in slots.AsSpan())
            {
                total += slot.Sum.BillingPreTaxTotal;
            }

            return total;
        }
    }

    public bool IsConserved
    {
        get
        {
            var rows = 0L;
            foreach (ref readonly var slot in slots.AsSpan())
            {
                rows += slot.Sum.Rows;
            }

            return rows == Rows && GroupTotal == RowTotal;
        }
    }

    /// <summary>A day of a subscription: its number × 2³² + the day's <see cref="DateOnly.DayNumber"/>, and its sums.</summary>
    private readonly record struct Slot(long Key, DailyUsageSum Sum)
    {
        public Day Day => new((int)(Key >> 32), DateOnly.FromDayNumber((int)(Key & uint.MaxValue)), Sum);
    }

    /// <summary>One group: the subscription's index in <see cref="Subscriptions"/>, the day, and the day's sums.</summary>
    public readonly record struct Day(int Subscription, DateOnly UsageDate, DailyUsageSum Sum);
}
