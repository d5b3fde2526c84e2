namespace Csp.Domain.Reconciliation;

/// <summary>How an expected line and a billed line differ.</summary>
public enum DiscrepancyKind
{
    /// <summary>Expected, not billed.</summary>
    Missing,

    /// <summary>Billed, not expected.</summary>
    Unexpected,

    /// <summary>Same subscription, charge and period, another billable quantity.</summary>
    Quantity,

    /// <summary>Same charge and quantity, another unit price or effective price beyond rounding.</summary>
    UnitPrice,

    /// <summary>Same subscription, charge and quantity, other charge dates.</summary>
    Dates,

    /// <summary>Same charge, another promotion.</summary>
    Promotion,

    /// <summary>Within the difference Microsoft's own rounding rules allow: reported, never a discrepancy.</summary>
    Rounding,

    /// <summary>Billed in another currency.</summary>
    Currency,
}

public static class DiscrepancyKindNames
{
    /// <summary>The kind as the API, the CLI and exports write it: <c>missing</c>, <c>unitPrice</c>, …</summary>
    public static string ToName(this DiscrepancyKind kind)
    {
        var name = kind.ToString();
        return string.Concat(char.ToLowerInvariant(name[0]), name[1..]);
    }
}

/// <summary>One difference: the expected line, the billed line (either may be absent), and in words what differs.</summary>
public sealed record Discrepancy(DiscrepancyKind Kind, ReconLine? Expected, ReconLine? Actual, string Detail);

/// <summary>The outcome of matching a month: how many lines matched exactly, and every difference.</summary>
public sealed record ReconResult(int Matched, IReadOnlyList<Discrepancy> Differences)
{
    /// <summary>True only when nothing but rounding differs: the month reconciles to the cent.</summary>
    public bool IsZeroDiscrepancy => Differences.All(d => d.Kind == DiscrepancyKind.Rounding);

    public int Count(DiscrepancyKind kind) => Differences.Count(d => d.Kind == kind);
}

/// <summary>
/// Matches Microsoft's billed lines to the expected ones and classifies every difference. Pure: the same lines always
/// give the same result.
/// </summary>
/// <remarks>
/// Lines pair on subscription, charge type (any case), charge period, sign and billable quantity; what is left pairs on
/// the same without quantity (a <see cref="DiscrepancyKind.Quantity"/> difference), then without dates
/// (<see cref="DiscrepancyKind.Dates"/>); the rest is <see cref="DiscrepancyKind.Missing"/> or
/// <see cref="DiscrepancyKind.Unexpected"/>. Reference ids are not compared: Microsoft's and ours are drawn apart.
/// A paired line whose subtotal differs by no more than the two rounding policies differ on it (and a cent of
/// truncation) is <see cref="DiscrepancyKind.Rounding"/>.
/// </remarks>
public static class ReconMatcher
{
    public static ReconResult Match(IEnumerable<ReconLine> expected, IEnumerable<ReconLine> actual)
    {
        var open = expected.ToList();
        var billed = actual.ToList();
        var differences = new List<Discrepancy>();
        var matched = 0;

        foreach (var (e, a) in Pair(open, billed, l => new LineKey(l.SubscriptionId, l.ChargeType, l.ChargeStartDate, l.ChargeEndDate, Math.Sign(l.Subtotal), l.BillableQuantity)))
        {
            if (Compare(e, a) is { } difference)
            {
                differences.Add(difference);
            }
            else
            {
                matched++;
            }
        }

        foreach (var (e, a) in Pair(open, billed, l => new LineKey(l.SubscriptionId, l.ChargeType, l.ChargeStartDate, l.ChargeEndDate, Math.Sign(l.Subtotal), 0)))
        {
            differences.Add(new(DiscrepancyKind.Quantity, e, a, $"billable quantity {a.BillableQuantity}, expected {e.BillableQuantity}"));
        }

        foreach (var (e, a) in Pair(open, billed, l => new LineKey(l.SubscriptionId, l.ChargeType, DateOnly.MinValue, DateOnly.MinValue, Math.Sign(l.Subtotal), l.BillableQuantity)))
        {
            differences.Add(new(DiscrepancyKind.Dates, e, a, $"charged {a.ChargeStartDate:yyyy-MM-dd}–{a.ChargeEndDate:yyyy-MM-dd}, expected {e.ChargeStartDate:yyyy-MM-dd}–{e.ChargeEndDate:yyyy-MM-dd}"));
        }

        differences.AddRange(open.Select(e => new Discrepancy(DiscrepancyKind.Missing, e, null, $"{e.ChargeType} of {e.Subtotal} {e.Currency} not billed")));
        differences.AddRange(billed.Select(a => new Discrepancy(DiscrepancyKind.Unexpected, null, a, $"{a.ChargeType} of {a.Subtotal} {a.Currency} not expected")));
        return new ReconResult(matched, differences);
    }

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
        return difference <= RoundingTolerance(e)
            ? new(DiscrepancyKind.Rounding, e, a, $"subtotal {a.Subtotal}, expected {e.Subtotal}: within rounding")
            : new(DiscrepancyKind.UnitPrice, e, a, $"subtotal {a.Subtotal}, expected {e.Subtotal} (effective unit price {a.EffectiveUnitPrice}, expected {e.EffectiveUnitPrice})");
    }

    /// <summary>How far Microsoft's two rounding rules can set a line's subtotal apart, plus a cent of truncation.</summary>
    public static decimal RoundingTolerance(ReconLine line)
    {
        var price = Math.Abs(line.EffectiveUnitPrice);
        var documented = Math.Round(price, 2, Rounding.InvoiceLine) * line.BillableQuantity;
        var fullPrecision = Math.Round(price * line.BillableQuantity, 2, Rounding.InvoiceLine);
        return Math.Abs(documented - fullPrecision) + 0.01m;
    }

    /// <summary>Takes out of both lists the lines that share a key, first come first paired, and returns the pairs.</summary>
    private static List<(ReconLine Expected, ReconLine Actual)> Pair(List<ReconLine> expected, List<ReconLine> actual, Func<ReconLine, LineKey> key)
    {
        // A multimap in two arrays: the first actual line of each key, and for each line the next with the same key.
        var first = new Dictionary<LineKey, int>(actual.Count);
        var next = new int[actual.Count];
        var last = new Dictionary<LineKey, int>(actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            next[i] = -1;
            var k = key(actual[i]);
            if (last.TryGetValue(k, out var tail))
            {
                next[tail] = i;
            }
            else
            {
                first[k] = i;
            }

            last[k] = i;
        }

        var pairs = new List<(ReconLine, ReconLine)>();
        var taken = new bool[actual.Count];
        var remaining = new List<ReconLine>(expected.Count);
        foreach (var e in expected)
        {
            var k = key(e);
            if (first.TryGetValue(k, out var head))
            {
                pairs.Add((e, actual[head]));
                taken[head] = true;
                if (next[head] >= 0)
                {
                    first[k] = next[head];
                }
                else
                {
                    first.Remove(k);
                }
            }
            else
            {
                remaining.Add(e);
            }
        }

        expected.Clear();
        expected.AddRange(remaining);
        var index = 0;
        actual.RemoveAll(_ => taken[index++]);
        return pairs;
    }

    /// <summary>What pairs two lines: subscription and charge type in any letter case, charge period, sign, quantity.</summary>
    private readonly record struct LineKey(string SubscriptionId, string ChargeType, DateOnly Start, DateOnly End, int Sign, int Quantity)
    {
        public bool Equals(LineKey other) =>
            string.Equals(SubscriptionId, other.SubscriptionId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(ChargeType, other.ChargeType, StringComparison.OrdinalIgnoreCase)
            && Start == other.Start && End == other.End && Sign == other.Sign && Quantity == other.Quantity;

        public override int GetHashCode() => HashCode.Combine(
            StringComparer.OrdinalIgnoreCase.GetHashCode(SubscriptionId), StringComparer.OrdinalIgnoreCase.GetHashCode(ChargeType), Start, End, Sign, Quantity);
    }
}
