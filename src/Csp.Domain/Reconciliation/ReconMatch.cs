using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Csp.Domain.Reconciliation;

/// <summary>
/// A billed line as read, before it is a <see cref="ReconLine"/>: the fields that pair it and decide whether it matches
/// exactly, with texts still in the file's buffer. Most lines of a month match exactly and never need more.
/// </summary>
public readonly ref struct BilledCharge(
    ReadOnlySpan<char> subscriptionId,
    ReadOnlySpan<char> chargeType,
    DateOnly chargeStartDate,
    DateOnly chargeEndDate,
    decimal billableQuantity,
    decimal unitPrice,
    decimal subtotal,
    ReadOnlySpan<char> currency,
    ReadOnlySpan<char> promotionId)
{
    public ReadOnlySpan<char> SubscriptionId { get; } = subscriptionId;

    public ReadOnlySpan<char> ChargeType { get; } = chargeType;

    public DateOnly ChargeStartDate { get; } = chargeStartDate;

    public DateOnly ChargeEndDate { get; } = chargeEndDate;

    public decimal BillableQuantity { get; } = billableQuantity;

    public decimal UnitPrice { get; } = unitPrice;

    public decimal Subtotal { get; } = subtotal;

    public ReadOnlySpan<char> Currency { get; } = currency;

    /// <summary>Empty when the line has no promotion.</summary>
    public ReadOnlySpan<char> PromotionId { get; } = promotionId;
}

/// <summary>
/// The matching of one month, billed line by billed line (the rules are <see cref="ReconMatcher"/>'s). The expected lines
/// are indexed once; each billed line is paired as it arrives and kept only when it differs or pairs with nothing, so a
/// file of millions of lines needs memory for the expected lines and the differences, not for the file.
/// </summary>
/// <remarks>
/// Every pairing stays within one subscription, so a month splits into partitions by subscription id that match apart,
/// one per core, and <see cref="ReconResult.Combine"/> gives what one match of the whole month would.
/// </remarks>
public sealed class ReconMatch
{
    private readonly List<ReconLine> expected;
    private readonly List<ReconLine> unpaired = [];
    private readonly List<Discrepancy> differences = [];
    private readonly int partition;
    private readonly int partitions;
    private KeyQueues? indexed;
    private int matched;

    public ReconMatch(IEnumerable<ReconLine> expected)
        : this(expected.ToList(), 0, 1)
    {
    }

    private ReconMatch(List<ReconLine> expected, int partition, int partitions) =>
        (this.expected, this.partition, this.partitions) = (expected, partition, partitions);

    /// <summary>
    /// The month in <paramref name="partitions"/> partitions by subscription, each to be matched apart; the expected
    /// lines are indexed by the first call on each, so each partition's index is built where it is matched.
    /// </summary>
    public static IReadOnlyList<ReconMatch> Partition(IEnumerable<ReconLine> expected, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var lists = Enumerable.Range(0, partitions).Select(_ => new List<ReconLine>()).ToArray();
        foreach (var line in expected)
        {
            lists[PartitionOf(line.SubscriptionId, partitions)].Add(line);
        }

        return lists.Select((list, p) => new ReconMatch(list, p, partitions)).ToArray();
    }

    /// <summary>Whether the billed lines of this subscription are this partition's to add.</summary>
    public bool Owns(ReadOnlySpan<char> subscriptionId) => partitions == 1 || PartitionOf(subscriptionId, partitions) == partition;

    private static int PartitionOf(ReadOnlySpan<char> subscriptionId, int partitions)
    {
        // FNV-1a over the id in lower case: the same partition in every process, whatever the letter case.
        var hash = 2166136261u;
        foreach (var c in subscriptionId)
        {
            hash = unchecked((hash ^ char.ToLowerInvariant(c)) * 16777619u);
        }

        return (int)(hash % (uint)partitions);
    }

    private KeyQueues Queues => indexed ??= new KeyQueues(expected, ExactKey);

    /// <summary>Pairs a billed line, or keeps it for the looser pairings of <see cref="Result"/>.</summary>
    public void Add(ReconLine billed)
    {
        ref var head = ref Queues.Head(ExactKey(billed));
        if (Unsafe.IsNullRef(ref head) || head < 0)
        {
            unpaired.Add(billed);
        }
        else if (Compare(expected[Queues.Take(ref head)], billed) is { } difference)
        {
            differences.Add(difference);
        }
        else
        {
            matched++;
        }
    }

    /// <summary>
    /// Pairs a billed line when it matches its expected line exactly, and says so; otherwise changes nothing, and the
    /// caller adds the line with <see cref="Add"/>.
    /// </summary>
    public bool TryMatchExactly(in BilledCharge billed)
    {
        ref var head = ref Queues.Head(new SpanKey(billed.SubscriptionId, billed.ChargeType, billed.ChargeStartDate, billed.ChargeEndDate, Math.Sign(billed.Subtotal), billed.BillableQuantity));
        if (Unsafe.IsNullRef(ref head) || head < 0)
        {
            return false;
        }

        var e = expected[head];
        if (!(e.Currency.AsSpan().Equals(billed.Currency, StringComparison.OrdinalIgnoreCase) && e.UnitPrice == billed.UnitPrice
            && (e.PromotionId ?? "").AsSpan().SequenceEqual(billed.PromotionId) && e.Subtotal == billed.Subtotal))
        {
            return false;
        }

        Queues.Take(ref head);
        matched++;
        return true;
    }

    /// <summary>The month's outcome: the exact and looser pairings, and what is left missing or unexpected.</summary>
    public ReconResult Result()
    {
        var open = new List<ReconLine>(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (!Queues.Taken[i])
            {
                open.Add(expected[i]);
            }
        }

        var billed = new List<ReconLine>(unpaired);
        var all = new List<Discrepancy>(differences);
        foreach (var (e, a) in Pair(open, billed, l => new LineKey(l.SubscriptionId, l.ChargeType, l.ChargeStartDate, l.ChargeEndDate, Math.Sign(l.Subtotal), 0)))
        {
            all.Add(new(DiscrepancyKind.Quantity, e, a, $"billable quantity {a.BillableQuantity}, expected {e.BillableQuantity}"));
        }

        foreach (var (e, a) in Pair(open, billed, l => new LineKey(l.SubscriptionId, l.ChargeType, DateOnly.MinValue, DateOnly.MinValue, Math.Sign(l.Subtotal), l.BillableQuantity)))
        {
            all.Add(new(DiscrepancyKind.Dates, e, a, $"charged {a.ChargeStartDate:yyyy-MM-dd}–{a.ChargeEndDate:yyyy-MM-dd}, expected {e.ChargeStartDate:yyyy-MM-dd}–{e.ChargeEndDate:yyyy-MM-dd}"));
        }

        all.AddRange(open.Select(e => new Discrepancy(DiscrepancyKind.Missing, e, null, $"{e.ChargeType} of {e.Subtotal} {e.Currency} not billed")));
        all.AddRange(billed.Select(a => new Discrepancy(DiscrepancyKind.Unexpected, null, a, $"{a.ChargeType} of {a.Subtotal} {a.Currency} not expected")));
        return ReconResult.Combine([new ReconResult(matched, all)]);
    }

    private static LineKey ExactKey(ReconLine l) => new(l.SubscriptionId, l.ChargeType, l.ChargeStartDate, l.ChargeEndDate, Math.Sign(l.Subtotal), l.BillableQuantity);

    /// <summary>What differs between two paired lines, or null when nothing does.</summary>
    private static Discrepancy? Compare(ReconLine e, ReconLine a)
    {
        if (!e.Currency.Equals(a.Currency, StringComparison.OrdinalIgnoreCase))
        {
            return new(DiscrepancyKind.Currency, e, a, $"billed in {a.Currency}, expected {e.Currency}");
        }

        if (e.UnitPrice != a.UnitPrice)
        {
            return new(DiscrepancyKind.UnitPrice, e, a, $"unit price {a.UnitPrice}, expected {e.UnitPrice}");
        }

        if ((e.PromotionId ?? "") != (a.PromotionId ?? ""))
        {
            return new(DiscrepancyKind.Promotion, e, a, $"promotion '{a.PromotionId}', expected '{e.PromotionId}'");
        }

        if (e.Subtotal == a.Subtotal)
        {
            return null;
        }

        var difference = Math.Abs(e.Subtotal - a.Subtotal);
        return difference <= ReconMatcher.RoundingTolerance(e)
            ? new(DiscrepancyKind.Rounding, e, a, $"subtotal {a.Subtotal}, expected {e.Subtotal}: within rounding")
            : new(DiscrepancyKind.UnitPrice, e, a, $"subtotal {a.Subtotal}, expected {e.Subtotal} (effective unit price {a.EffectiveUnitPrice}, expected {e.EffectiveUnitPrice})");
    }

    /// <summary>Takes out of both lists the lines that share a key, first come first paired, and returns the pairs.</summary>
    private static List<(ReconLine Expected, ReconLine Actual)> Pair(List<ReconLine> expected, List<ReconLine> actual, Func<ReconLine, LineKey> key)
    {
        var queues = new KeyQueues(actual, key);
        var pairs = new List<(ReconLine, ReconLine)>();
        var remaining = new List<ReconLine>(expected.Count);
        foreach (var e in expected)
        {
            ref var head = ref queues.Head(key(e));
            if (Unsafe.IsNullRef(ref head) || head < 0)
            {
                remaining.Add(e);
            }
            else
            {
                pairs.Add((e, actual[queues.Take(ref head)]));
            }
        }

        expected.Clear();
        expected.AddRange(remaining);
        var index = 0;
        actual.RemoveAll(_ => queues.Taken[index++]);
        return pairs;
    }

    /// <summary>
    /// The lines of a list as one first-come queue per key, in two arrays: the first untaken line of each key, and for
    /// each line the next with the same key.
    /// </summary>
    private sealed class KeyQueues
    {
        private readonly Dictionary<LineKey, int> first;
        private readonly Dictionary<LineKey, int>.AlternateLookup<SpanKey> bySpan;
        private readonly int[] next;

        public KeyQueues(List<ReconLine> lines, Func<ReconLine, LineKey> key)
        {
            first = new Dictionary<LineKey, int>(lines.Count, LineKeyComparer.Instance);
            bySpan = first.GetAlternateLookup<SpanKey>();
            next = new int[lines.Count];
            Taken = new bool[lines.Count];

            // From the last line back, each line goes to the head of its key's queue, ahead of the later ones.
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(first, key(lines[i]), out var exists);
                next[i] = exists ? head : -1;
                head = i;
            }
        }

        /// <summary>Which lines have been taken, by index in the list.</summary>
        public bool[] Taken { get; }

        /// <summary>The index of the first untaken line of the key (negative when all are taken), or a null reference.</summary>
        public ref int Head(LineKey key) => ref CollectionsMarshal.GetValueRefOrNullRef(first, key);

        public ref int Head(SpanKey key) => ref CollectionsMarshal.GetValueRefOrNullRef(bySpan, key);

        /// <summary>Takes the line at the head of a queue and returns its index.</summary>
        public int Take(ref int head)
        {
            var index = head;
            Taken[index] = true;
            head = next[index];
            return index;
        }
    }

    /// <summary>What pairs two lines: subscription and charge type in any letter case, charge period, sign, quantity.</summary>
    private readonly record struct LineKey(string SubscriptionId, string ChargeType, DateOnly Start, DateOnly End, int Sign, decimal Quantity);

    /// <summary>A <see cref="LineKey"/> whose texts are still in the file's buffer.</summary>
    private readonly ref struct SpanKey(ReadOnlySpan<char> subscriptionId, ReadOnlySpan<char> chargeType, DateOnly start, DateOnly end, int sign, decimal quantity)
    {
        public ReadOnlySpan<char> SubscriptionId { get; } = subscriptionId;

        public ReadOnlySpan<char> ChargeType { get; } = chargeType;

        public DateOnly Start { get; } = start;

        public DateOnly End { get; } = end;

        public int Sign { get; } = sign;

        public decimal Quantity { get; } = quantity;
    }

    private sealed class LineKeyComparer : IEqualityComparer<LineKey>, IAlternateEqualityComparer<SpanKey, LineKey>
    {
        public static readonly LineKeyComparer Instance = new();

        public bool Equals(LineKey x, LineKey y) =>
            string.Equals(x.SubscriptionId, y.SubscriptionId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.ChargeType, y.ChargeType, StringComparison.OrdinalIgnoreCase)
            && x.Start == y.Start && x.End == y.End && x.Sign == y.Sign && x.Quantity == y.Quantity;

        public int GetHashCode(LineKey key) => Hash(key.SubscriptionId, key.ChargeType, key.Start, key.End, key.Sign, key.Quantity);

        public bool Equals(SpanKey x, LineKey y) =>
            x.SubscriptionId.Equals(y.SubscriptionId, StringComparison.OrdinalIgnoreCase)
            && x.ChargeType.Equals(y.ChargeType, StringComparison.OrdinalIgnoreCase)
            && x.Start == y.Start && x.End == y.End && x.Sign == y.Sign && x.Quantity == y.Quantity;

        public int GetHashCode(SpanKey key) => Hash(key.SubscriptionId, key.ChargeType, key.Start, key.End, key.Sign, key.Quantity);

        public LineKey Create(SpanKey key) => new(key.SubscriptionId.ToString(), key.ChargeType.ToString(), key.Start, key.End, key.Sign, key.Quantity);

        private static int Hash(ReadOnlySpan<char> subscriptionId, ReadOnlySpan<char> chargeType, DateOnly start, DateOnly end, int sign, decimal quantity) =>
            HashCode.Combine(
                string.GetHashCode(subscriptionId, StringComparison.OrdinalIgnoreCase), string.GetHashCode(chargeType, StringComparison.OrdinalIgnoreCase),
                start, end, sign, quantity);
    }
}
