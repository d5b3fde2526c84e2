namespace Csp.Domain.Reconciliation;

/// <summary>
/// The Azure usage of one Azure plan subscription in a billing month, as imported from Microsoft's daily rated usage
/// files: what the invoice's usage lines for that subscription must add up to.
/// </summary>
/// <param name="Currency">The billing currency, or empty when the platform does not know the subscription.</param>
/// <param name="Days">Days of the month with usage imported.</param>
public sealed record SubscriptionUsage(string CustomerId, string SubscriptionId, decimal Quantity, decimal BillingPreTaxTotal, string Currency, int Days);

/// <summary>
/// Matches the usage-based lines of Microsoft's invoice reconciliation file (Azure plan consumption, one line per meter)
/// to the month's imported daily rated usage, subscription by subscription. Pure.
/// </summary>
/// <remarks>
/// The invoice bills a meter's month as <c>ROUNDDOWN(ROUNDDOWN(EffectiveUnitPrice × BillableQuantity, 2) × PCToBCExchangeRate, 2)</c>
/// (docs/microsoft/files.md) while the usage file carries each day's amount unrounded, so a subscription's invoice lines
/// may fall short of its usage by up to two cents of truncation per line: that much is
/// <see cref="DiscrepancyKind.Rounding"/>. Beyond it, the difference is <see cref="DiscrepancyKind.Quantity"/> when the
/// billed quantity differs from the usage's, <see cref="DiscrepancyKind.UnitPrice"/> when only the amount does.
/// Usage never billed is <see cref="DiscrepancyKind.Missing"/>; usage lines of a subscription with no imported usage
/// are <see cref="DiscrepancyKind.Unexpected"/>. A subscription's several lines are compared as one line summing them.
/// </remarks>
public static class AzureUsageMatcher
{
    /// <summary>What the usage-based charge type of the expected side is called: it is no charge type of Microsoft's.</summary>
    public const string UsageChargeType = "usage";

    /// <summary>Truncation to the cent, twice, per invoice line.</summary>
    private const decimal RoundingPerLine = 0.02m;

    /// <summary>
    /// A month matched against the shadow invoice, with its lines of Azure plan subscriptions (which the shadow invoice
    /// never expects, so they are unexpected there) matched to the imported usage instead.
    /// </summary>
    public static ReconResult WithUsage(ReconResult licences, IReadOnlySet<string> azureSubscriptionIds, IEnumerable<SubscriptionUsage> usage, BillingPeriod month)
    {
        var azure = licences.Differences.Where(d => d.Kind == DiscrepancyKind.Unexpected && azureSubscriptionIds.Contains(d.Actual!.SubscriptionId)).ToHashSet();
        var usageResult = Match(azure.Select(d => d.Actual!), usage, month);
        return new ReconResult(licences.Matched + usageResult.Matched, [.. licences.Differences.Where(d => !azure.Contains(d)), .. usageResult.Differences]);
    }

    public static ReconResult Match(IEnumerable<ReconLine> billed, IEnumerable<SubscriptionUsage> usage, BillingPeriod month)
    {
        var lines = billed.GroupBy(l => l.SubscriptionId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var differences = new List<Discrepancy>();
        var matched = 0;
        foreach (var used in usage.OrderBy(u => u.SubscriptionId, StringComparer.OrdinalIgnoreCase))
        {
            var expected = Line(used, month);
            if (!lines.Remove(used.SubscriptionId, out var subscriptionLines))
            {
                differences.Add(new(DiscrepancyKind.Missing, expected, null, $"Azure usage of {used.BillingPreTaxTotal} {used.Currency} over {used.Days} days not billed"));
                continue;
            }

            var actual = Sum(subscriptionLines);
            var shortfall = Math.Abs(expected.Subtotal - actual.Subtotal);
            if (used.Currency.Length > 0 && subscriptionLines.FirstOrDefault(l => !l.Currency.Equals(used.Currency, StringComparison.OrdinalIgnoreCase)) is { } other)
            {
                differences.Add(new(DiscrepancyKind.Currency, expected, actual, $"billed in {other.Currency}, expected {used.Currency}"));
            }
            else if (shortfall == 0)
            {
                matched += subscriptionLines.Count;
            }
            else if (shortfall <= RoundingPerLine * subscriptionLines.Count)
            {
                differences.Add(new(DiscrepancyKind.Rounding, expected, actual, $"usage billed {actual.Subtotal}, imported {expected.Subtotal}: within rounding of {subscriptionLines.Count} lines"));
            }
            else if (actual.BillableQuantity != expected.BillableQuantity)
            {
                differences.Add(new(DiscrepancyKind.Quantity, expected, actual, $"usage billed for quantity {actual.BillableQuantity} ({actual.Subtotal}), imported {expected.BillableQuantity} ({expected.Subtotal})"));
            }
            else
            {
                differences.Add(new(DiscrepancyKind.UnitPrice, expected, actual, $"usage billed {actual.Subtotal} for the imported quantity, imported usage is {expected.Subtotal}"));
            }
        }

        differences.AddRange(lines.Values.SelectMany(l => l).OrderBy(l => l.LineNumber)
            .Select(l => new Discrepancy(DiscrepancyKind.Unexpected, null, l, $"usage of {l.Subtotal} {l.Currency} billed, none imported for the subscription")));
        return new ReconResult(matched, differences);
    }

    /// <summary>The month's imported usage of a subscription as the line it stands for.</summary>
    private static ReconLine Line(SubscriptionUsage u, BillingPeriod month) =>
        new(
            0, month.End, u.CustomerId, u.SubscriptionId, "", "", "Azure plan", UsageChargeType, 0m, u.Quantity, u.Quantity, 0m,
            u.BillingPreTaxTotal, u.BillingPreTaxTotal, u.Currency, month.Start, month.End, null, null, "", null, new Dictionary<string, string>());

    /// <summary>A subscription's lines as one: the first line, with quantities and amounts summed.</summary>
    private static ReconLine Sum(List<ReconLine> lines) =>
        lines.Count == 1 ? lines[0] : lines[0] with
        {
            Quantity = lines.Sum(l => l.Quantity),
            BillableQuantity = lines.Sum(l => l.BillableQuantity),
            Subtotal = lines.Sum(l => l.Subtotal),
            Total = lines.Sum(l => l.Total),
        };
}
