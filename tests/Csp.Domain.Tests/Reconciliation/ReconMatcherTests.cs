using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Terms;
using FsCheck;
using FsCheck.Xunit;

namespace Csp.Domain.Tests.Reconciliation;

public class ReconMatcherTests
{
    private static readonly BillingPeriod March = new(new DateOnly(2022, 3, 1), new DateOnly(2022, 3, 31));

    /// <summary>A month of a small partner: a handful of subscriptions with seat changes, a cancellation and an upgrade.</summary>
    private static List<ReconLine> Month(RoundingPolicy policy = RoundingPolicy.Documented)
    {
        PurchasedSubscription Bought(string id, decimal price, Term term, BillingPlan plan, int day, int seats) =>
            new(id, "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", new Money(price, Currency.Eur), term, plan, new DateOnly(2022, 2, 1).AddDays(day), seats);

        var history = new ChargeHistory(
            Currency.Eur,
            March.End,
            [
                Bought("a", 12m, Term.P1M, BillingPlan.Monthly, 32, 10), Bought("b", 10.5m, Term.P1Y, BillingPlan.Monthly, 3, 40),
                Bought("c", 250m, Term.P1Y, BillingPlan.Annual, 40, 5), Bought("d", 36m, Term.P3Y, BillingPlan.Monthly, 20, 120),
                Bought("e", 6m, Term.P1M, BillingPlan.Monthly, 50, 7),
            ],
            [
                new ChangeQuantity(new DateOnly(2022, 3, 7), "a", 15), new ChangeQuantity(new DateOnly(2022, 3, 10), "a", 25),
                new ChangeQuantity(new DateOnly(2022, 3, 12), "a", 23), new ChangeQuantity(new DateOnly(2022, 3, 16), "d", 150),
                new Cancel(new DateOnly(2022, 3, 24), "e"),
                new Upgrade(new DateOnly(2022, 3, 20), "b", 10, new PurchasedSubscription("f", "CFQ7TTC0LCHC", "0002", "Microsoft 365 Business Premium", new Money(22m, Currency.Eur), Term.P1Y, BillingPlan.Monthly, new DateOnly(2022, 3, 20), 0), false),
            ]);
        return ShadowInvoice.For(ChargeEngine.Run(history, ChargeRules.Default with { Rounding = policy }).Value, March, "c1").ToList();
    }

    [Fact]
    public void Match_TheSameLinesInAnotherOrder_IsZeroDiscrepancy()
    {
        var expected = Month();

        var result = ReconMatcher.Match(expected, Enumerable.Reverse(expected).ToList());

        Assert.True(expected.Count > 15);
        Assert.Equal(expected.Count, result.Matched);
        Assert.Empty(result.Differences);
        Assert.True(result.IsZeroDiscrepancy);
    }

    [Fact]
    public void Match_MicrosoftRoundingTheOtherWay_IsRoundingAndStillZeroDiscrepancy()
    {
        var result = ReconMatcher.Match(Month(RoundingPolicy.Documented), Month(RoundingPolicy.FullPrecision));

        Assert.True(result.Count(DiscrepancyKind.Rounding) > 0);
        Assert.True(result.IsZeroDiscrepancy);
    }

    // Microsoft blanks BillingFrequency for one-time payments and fills it for recurring ones; the column describes the
    // charge and is never a discrepancy, whichever way a file writes it.
    [Fact]
    public void Match_BillingFrequencyWrittenOtherwise_IsNoDifference()
    {
        var expected = Month();

        var result = ReconMatcher.Match(expected, expected.Select(l => l with { OtherColumns = new Dictionary<string, string>(l.OtherColumns) { ["BillingFrequency"] = l.OtherColumns["BillingFrequency"] == "" ? "Annual" : "" } }));

        Assert.Contains(expected, l => l.OtherColumns["BillingFrequency"] == "");
        Assert.Empty(result.Differences);
    }

    [Fact]
    public void Match_ChargeTypeCaseDiffers_StillMatches()
    {
        var expected = Month();

        var result = ReconMatcher.Match(expected, expected.Select(l => l with { ChargeType = l.ChargeType.ToUpperInvariant() }));

        Assert.Empty(result.Differences);
    }

    public enum Injection { Remove, Quantity, UnitPrice, Dates, Promotion, Currency, Subtotal }

    private static (ReconLine? Changed, DiscrepancyKind Kind) Inject(ReconLine line, Injection injection) => injection switch
    {
        Injection.Remove => (null, DiscrepancyKind.Missing),
        Injection.Quantity => (line with { BillableQuantity = line.BillableQuantity + 3 }, DiscrepancyKind.Quantity),
        Injection.UnitPrice => (line with { UnitPrice = line.UnitPrice + 1 }, DiscrepancyKind.UnitPrice),
        Injection.Dates => (line with { ChargeStartDate = line.ChargeStartDate.AddDays(-1), ChargeEndDate = line.ChargeEndDate.AddDays(-1) }, DiscrepancyKind.Dates),
        Injection.Promotion => (line with { PromotionId = "39NFJQT1PJQB:0001:39NFJQT1Q5KN" }, DiscrepancyKind.Promotion),
        Injection.Currency => (line with { Currency = "USD" }, DiscrepancyKind.Currency),
        Injection.Subtotal => (line with { Subtotal = line.Subtotal + (line.Subtotal < 0 ? -5m : 5m) }, DiscrepancyKind.UnitPrice),
        _ => throw new ArgumentOutOfRangeException(nameof(injection)),
    };

    [Theory]
    [InlineData(Injection.Remove)]
    [InlineData(Injection.Quantity)]
    [InlineData(Injection.UnitPrice)]
    [InlineData(Injection.Dates)]
    [InlineData(Injection.Promotion)]
    [InlineData(Injection.Currency)]
    [InlineData(Injection.Subtotal)]
    public void Match_OneInjectedDifference_IsFoundAndClassified(Injection injection)
    {
        var expected = Month();
        var actual = expected.ToList();
        var (changed, kind) = Inject(actual[5], injection);
        actual.RemoveAt(5);
        if (changed is not null)
        {
            actual.Add(changed);
        }

        var result = ReconMatcher.Match(expected, actual);

        var difference = Assert.Single(result.Differences);
        Assert.Equal(kind, difference.Kind);
        Assert.Same(expected[5], difference.Expected);
        Assert.False(result.IsZeroDiscrepancy);
    }

    [Fact]
    public void Match_ALineMicrosoftAdded_IsUnexpected()
    {
        var expected = Month();
        var extra = expected[0] with { SubscriptionId = "zz", LineNumber = 999 };

        var difference = Assert.Single(ReconMatcher.Match(expected, [.. expected, extra]).Differences);

        Assert.Equal((DiscrepancyKind.Unexpected, extra), (difference.Kind, difference.Actual));
    }

    // A generated month with differences injected at distinct lines: exactly the injected ones are found, nothing else.
    [Property(MaxTest = 100)]
    public bool Match_InjectedDifferences_FindsExactlyThoseAndNothingElse(int seed)
    {
        var expected = Month();
        var random = new Random(seed);
        var lines = Enumerable.Range(0, expected.Count).OrderBy(_ => random.Next()).Take(1 + random.Next(6)).ToList();
        var actual = expected.ToList();
        var injected = new List<DiscrepancyKind>();
        foreach (var index in lines)
        {
            var (changed, kind) = Inject(expected[index], (Injection)random.Next(Enum.GetValues<Injection>().Length));

            actual.Remove(expected[index]);
            if (changed is not null)
            {
                actual.Add(changed);
            }

            injected.Add(kind);
        }

        var found = ReconMatcher.Match(expected, actual.OrderBy(_ => random.Next()).ToList()).Differences.Select(d => d.Kind).Order();
        return found.SequenceEqual(injected.Order());
    }

    // Every pairing stays within a subscription, so any number of partitions gives what one match of the month gives.
    [Property(MaxTest = 50)]
    public bool Partition_AnyNumberOfPartitions_CombinesToTheOneMatch(int seed, PositiveInt partitions)
    {
        var expected = Month();
        var random = new Random(seed);
        var actual = expected.Select(l => random.Next(4) == 0 ? Inject(l, (Injection)random.Next(Enum.GetValues<Injection>().Length)).Changed : l)
            .OfType<ReconLine>().Select((l, i) => l with { LineNumber = i + 2, SubscriptionId = random.Next(2) == 0 ? l.SubscriptionId.ToUpperInvariant() : l.SubscriptionId }).ToList();
        var count = 1 + (partitions.Get % 5);

        var parts = ReconMatch.Partition(expected, count);
        foreach (var line in actual)
        {
            parts.Single(p => p.Owns(line.SubscriptionId)).Add(line);
        }

        var combined = ReconResult.Combine(parts.Select(p => p.Result()).ToList());
        var one = ReconMatcher.Match(expected, actual);
        return combined.Matched == one.Matched && combined.Differences.SequenceEqual(one.Differences);
    }

    [Fact]
    public void TryMatchExactly_AnExactLine_PairsItAndAnyOtherLeavesTheMatchAsItWas()
    {
        var expected = Month();
        var match = new ReconMatch(expected);
        var first = expected[0];
        var other = expected[1];

        var exact = match.TryMatchExactly(Charge(first));
        var pricedOtherwise = match.TryMatchExactly(Charge(other with { UnitPrice = other.UnitPrice + 1 }));
        var again = match.TryMatchExactly(Charge(first));
        match.Add(other with { UnitPrice = other.UnitPrice + 1 });
        var result = match.Result();

        Assert.Equal((true, false, false), (exact, pricedOtherwise, again));
        Assert.Equal(1, result.Matched);
        Assert.Equal(DiscrepancyKind.UnitPrice, result.Differences[0].Kind);
        Assert.Equal((2, expected.Count), (result.Billed, result.Expected));
    }

    private static BilledCharge Charge(ReconLine l) =>
        new(l.SubscriptionId, l.ChargeType.ToUpperInvariant(), l.ChargeStartDate, l.ChargeEndDate, l.BillableQuantity, l.UnitPrice, l.Subtotal, l.Currency, l.PromotionId);
}
