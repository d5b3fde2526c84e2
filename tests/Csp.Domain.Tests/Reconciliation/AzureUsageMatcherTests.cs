using Csp.Domain.Reconciliation;

namespace Csp.Domain.Tests.Reconciliation;

public class AzureUsageMatcherTests
{
    private static readonly BillingPeriod May = new(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31));

    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>An invoice line for one meter of an Azure plan's month.</summary>
    private static ReconLine Meter(long line, string subscription, decimal quantity, decimal subtotal, string currency = "EUR") =>
        new(line, May.End, "c1", subscription, "DZH318Z0BPS6", "0001", "Azure plan", "new", 0.5m, quantity, quantity, 0.5m, subtotal, subtotal, currency,
            May.Start, May.End, null, null, $"ref-{line}", null, None);

    private static SubscriptionUsage Used(string subscription, decimal quantity, decimal total, string currency = "EUR") =>
        new("c1", subscription, quantity, total, currency, 31);

    [Fact]
    public void Match_MetersAddingUpToTheUsageExactly_AreAllMatched()
    {
        var result = AzureUsageMatcher.Match([Meter(2, "a", 10.5m, 5.25m), Meter(3, "a", 4m, 2m)], [Used("a", 14.5m, 7.25m)], May);

        Assert.Equal(2, result.Matched);
        Assert.Empty(result.Differences);
    }

    [Fact]
    public void Match_MetersTruncatedByACentEach_IsRoundingNotADiscrepancy()
    {
        var result = AzureUsageMatcher.Match([Meter(2, "a", 10.5m, 5.24m), Meter(3, "a", 4m, 1.99m)], [Used("a", 14.5m, 7.254999m)], May);

        var difference = Assert.Single(result.Differences);
        Assert.Equal(DiscrepancyKind.Rounding, difference.Kind);
        Assert.Equal((7.23m, 14.5m), (difference.Actual!.Subtotal, difference.Actual.BillableQuantity));
        Assert.True(result.IsZeroDiscrepancy);
    }

    [Theory]
    [InlineData(20, 10.0, DiscrepancyKind.Quantity)]
    [InlineData(14.5, 9.0, DiscrepancyKind.UnitPrice)]
    public void Match_BilledBeyondRounding_IsClassifiedByWhetherTheQuantityDiffers(decimal quantity, decimal subtotal, DiscrepancyKind kind)
    {
        var result = AzureUsageMatcher.Match([Meter(2, "a", quantity, subtotal)], [Used("a", 14.5m, 7.25m)], May);

        Assert.Equal(kind, Assert.Single(result.Differences).Kind);
        Assert.False(result.IsZeroDiscrepancy);
    }

    [Fact]
    public void Match_UsageNeverBilledAndBillingWithoutUsage_AreMissingAndUnexpected()
    {
        var result = AzureUsageMatcher.Match([Meter(7, "b", 1m, 0.5m)], [Used("a", 14.5m, 7.25m)], May);

        Assert.Equal(
            [(DiscrepancyKind.Missing, "a"), (DiscrepancyKind.Unexpected, "b")],
            result.Differences.Select(d => (d.Kind, (d.Expected ?? d.Actual)!.SubscriptionId)));
        Assert.Equal(AzureUsageMatcher.UsageChargeType, result.Differences[0].Expected!.ChargeType);
    }

    [Fact]
    public void Match_BilledInAnotherCurrency_IsCurrency()
    {
        var result = AzureUsageMatcher.Match([Meter(2, "a", 14.5m, 7.25m, "USD")], [Used("a", 14.5m, 7.25m)], May);

        Assert.Equal(DiscrepancyKind.Currency, Assert.Single(result.Differences).Kind);
    }

    [Fact]
    public void WithUsage_TakesOnlyTheAzurePlansUnexpectedLinesOutOfTheLicenceResult()
    {
        var licence = Meter(9, "licence-sub", 10m, 120m) with { ChargeType = "cycleCharge" };
        var licences = new ReconResult(5, [
            new Discrepancy(DiscrepancyKind.Unexpected, null, Meter(2, "A", 14.5m, 7.25m), "not expected"),
            new Discrepancy(DiscrepancyKind.Unexpected, null, licence, "not expected"),
        ]);

        var result = AzureUsageMatcher.WithUsage(licences, new HashSet<string>(["a"], StringComparer.OrdinalIgnoreCase), [Used("a", 14.5m, 7.25m)], May);

        Assert.Equal(6, result.Matched);
        Assert.Same(licence, Assert.Single(result.Differences).Actual);
    }
}
