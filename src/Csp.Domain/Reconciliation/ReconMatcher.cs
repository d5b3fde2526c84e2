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

/// <summary>
/// The outcome of matching a month: how many lines matched exactly, and every difference, in the order of the billed
/// file (the expected lines nothing was billed for last, in the order of the shadow invoice).
/// </summary>
public sealed record ReconResult(int Matched, IReadOnlyList<Discrepancy> Differences)
{
    /// <summary>Billed lines matched: exactly, or with a difference.</summary>
    public int Billed => Matched + Differences.Count(d => d.Actual is not null);

    /// <summary>Expected lines matched: exactly, or with a difference.</summary>
    public int Expected => Matched + Differences.Count(d => d.Expected is not null);

    /// <summary>The partitions of one month as one result.</summary>
    public static ReconResult Combine(IReadOnlyCollection<ReconResult> partitions) =>
        new(
            partitions.Sum(p => p.Matched),
            partitions.SelectMany(p => p.Differences).OrderBy(d => d.Actual?.LineNumber ?? long.MaxValue).ThenBy(d => d.Expected?.LineNumber ?? long.MaxValue).ToList());

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
        var month = new ReconMatch(expected);
        foreach (var line in actual)
        {
            month.Add(line);
        }

        return month.Result();
    }

    /// <summary>How far Microsoft's two rounding rules can set a line's subtotal apart, plus a cent of truncation.</summary>
    public static decimal RoundingTolerance(ReconLine line)
    {
        var price = Math.Abs(line.EffectiveUnitPrice);
        var documented = Math.Round(price, 2, Rounding.InvoiceLine) * line.BillableQuantity;
        var fullPrecision = Math.Round(price * line.BillableQuantity, 2, Rounding.InvoiceLine);
        return Math.Abs(documented - fullPrecision) + 0.01m;
    }
}
