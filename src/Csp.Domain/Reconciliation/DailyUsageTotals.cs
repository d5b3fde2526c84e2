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
/// <para>
/// Each (customer, subscription) is numbered as first met, and a day is keyed by that number and its day number in one
/// long, so that a writer can number the subscriptions its own way without going through the days again by their GUIDs.
/// Subscriptions and days are kept in two open-addressed tables whose slots hold key and value together: a row costs one
/// read of one place in each, where a dictionary's buckets and entries are two. Both are hashed with numbers drawn for
/// each instance (multiply-shift), so that no file can be written to make its keys collide.
/// </para>
/// <para>
/// The price of a row is the wait for those two places in memory. <see cref="AddLater"/> hides it as a file is read: it
/// asks the processor for a row's subscription slot as the row arrives, for its day slot one row later, and adds it one
/// row after that, so that the memory arrives while the rows in between are parsed.
/// </para>
/// </remarks>
public sealed class DailyUsageTotals
{
    /// <summary>
    /// The largest amount or quantity a day of one subscription may reach: no customer is billed a trillion a day for one
    /// subscription, so beyond it a value is an error in the file; the stored totals keep thirteen digits before the point.
    /// </summary>
    public const decimal Largest = 1_000_000_000_000m;

    private readonly List<(Guid CustomerId, Guid SubscriptionId)> subscriptions = [];

    /// <summary>The subscriptions' table: a power of two of slots, at most three quarters used; a slot numbered 0 is empty.</summary>
    private SubscriptionSlot[] subscriptionSlots = new SubscriptionSlot[256];

    private int subscriptionShift = 64 - 8;

    /// <summary>A subscription's slot: the high bits of Σ (each 64 bits of its two GUIDs × its own odd number drawn here).</summary>
    private readonly ulong[] subscriptionMultipliers = [.. Enumerable.Range(0, 4).Select(_ => (ulong)Random.Shared.NextInt64() | 1)];

    /// <summary>The days' table: a power of two of slots, at most three quarters used; a slot of no rows is empty.</summary>
    private Slot[] slots = new Slot[1024];

    private int shift = 64 - 10;

    /// <summary>A day's slot: the high bits of its key × an odd number drawn here.</summary>
    private readonly ulong multiplier = (ulong)Random.Shared.NextInt64() | 1;

    /// <summary>The subscription of the row before, which the next row is most often of too.</summary>
    private (Guid Customer, Guid Subscription, int Number) previous = (Guid.Empty, Guid.Empty, -1);

    /// <summary>The rows <see cref="AddLater"/> holds: one numbered, whose day slot is on its way; one not yet.</summary>
    private (DailyUsage Row, int Number, bool Held) numbered;

    private (DailyUsage Row, bool Held) arrived;

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
        FindSubscription(key.CustomerId, key.SubscriptionId) is { Number: > 0 } subscription && Find(Key(subscription.Number - 1, key.UsageDate)) is { Sum.Rows: > 0 } slot
            ? slot.Sum
            : null;

    /// <summary>Adds <paramref name="row"/>; false, with nothing added, when its day would pass <see cref="Largest"/>.</summary>
    public bool Add(in DailyUsage row) => Add(row, Number(row.CustomerId, row.SubscriptionId));

    /// <summary>
    /// Takes <paramref name="row"/> and adds the row taken two calls before (see the remarks); false, with
    /// <paramref name="refused"/> that row, when its day would pass <see cref="Largest"/>. After the last row,
    /// <see cref="AddHeld"/> adds the two still held.
    /// </summary>
    public bool AddLater(in DailyUsage row, out DailyUsage refused)
    {
        var added = !numbered.Held || Add(numbered.Row, numbered.Number);
        refused = added ? default : numbered.Row;
        numbered.Held = false;
        if (arrived.Held)
        {
            var number = Number(arrived.Row.CustomerId, arrived.Row.SubscriptionId);
            numbered = (arrived.Row, number, true);
            Prefetch(ref slots[Home(Key(number, arrived.Row.UsageDate))]);
        }

        arrived = (row, true);
        Prefetch(ref subscriptionSlots[SubscriptionHome(row.CustomerId, row.SubscriptionId)]);
        return added;
    }

    /// <summary>Adds the rows <see cref="AddLater"/> still holds, in order; false, with <paramref name="refused"/>, as <see cref="Add(in DailyUsage)"/>.</summary>
    public bool AddHeld(out DailyUsage refused)
    {
        var (first, second) = (numbered, arrived);
        (numbered.Held, arrived.Held, refused) = (false, false, default);
        if (first.Held && !Add(first.Row, first.Number))
        {
            refused = first.Row;
            return false;
        }

        if (second.Held && !Add(second.Row))
        {
            refused = second.Row;
            return false;
        }

        return true;
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

    private bool Add(in DailyUsage row, int number)
    {
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

    /// <summary>The subscription's number (its index in <see cref="Subscriptions"/>), numbering it if it is new.</summary>
    private int Number(Guid customer, Guid subscription)
    {
        if (previous.Customer == customer && previous.Subscription == subscription)
        {
            return previous.Number;
        }

        ref var slot = ref FindSubscription(customer, subscription);
        var number = slot.Number - 1;
        if (number < 0)
        {
            number = subscriptions.Count;
            subscriptions.Add((customer, subscription));
            slot = new SubscriptionSlot(customer, subscription, number + 1);
            if (subscriptions.Count > subscriptionSlots.Length / 4 * 3)
            {
                GrowSubscriptions();
            }
        }

        previous = (customer, subscription, number);
        return number;
    }

    /// <summary>
    /// Asks the processor to fetch <paramref name="slot"/> into its cache. The address is taken without pinning the table:
    /// should the collector move it meanwhile, the hint is wasted, never wrong — a prefetch reads nothing into the program
    /// and cannot fault.
    /// </summary>
    private static unsafe void Prefetch<T>(ref T slot)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref slot));
        }
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

    /// <summary>The slot of the subscription, or the empty slot where it goes.</summary>
    private ref SubscriptionSlot FindSubscription(Guid customer, Guid subscription)
    {
        var mask = subscriptionSlots.Length - 1;
        var at = SubscriptionHome(customer, subscription);
        while (subscriptionSlots[at].Number > 0 && (subscriptionSlots[at].Subscription != subscription || subscriptionSlots[at].Customer != customer))
        {
            at = (at + 1) & mask;
        }

        return ref subscriptionSlots[at];
    }

    private int SubscriptionHome(Guid customer, Guid subscription)
    {
        var c = MemoryMarshal.Cast<Guid, ulong>(new ReadOnlySpan<Guid>(in customer));
        var s = MemoryMarshal.Cast<Guid, ulong>(new ReadOnlySpan<Guid>(in subscription));
        var m = subscriptionMultipliers;
        return (int)(unchecked((c[0] * m[0]) + (c[1] * m[1]) + (s[0] * m[2]) + (s[1] * m[3])) >> subscriptionShift);
    }

    private void GrowSubscriptions()
    {
        var old = subscriptionSlots;
        (subscriptionSlots, subscriptionShift) = (new SubscriptionSlot[old.Length * 2], subscriptionShift - 1);
        foreach (ref readonly var slot in old.AsSpan())
        {
            if (slot.Number > 0)
            {
                FindSubscription(slot.Customer, slot.Subscription) = slot;
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

    /// <summary>A subscription and its number + 1 (0: the slot is empty).</summary>
    private readonly record struct SubscriptionSlot(Guid Customer, Guid Subscription, int Number);

    /// <summary>One group: the subscription's index in <see cref="Subscriptions"/>, the day, and the day's sums.</summary>
    public readonly record struct Day(int Subscription, DateOnly UsageDate, DailyUsageSum Sum);
}
