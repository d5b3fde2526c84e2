using Csp.Domain.Reconciliation;
using FsCheck.Xunit;

namespace Csp.Domain.Tests.Reconciliation;

public class DailyUsageTotalsTests
{
    // Rows of a few customers' subscriptions over a few days, in any order, some of one subscription one after another:
    // the totals are exactly what grouping the rows gives, however the rows came.
    [Property(MaxTest = 100)]
    public bool Add_AnyRows_GivesWhatGroupingTheRowsGives(int seed)
    {
        var random = new Random(seed);
        var customers = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Guid.NewGuid()).ToList();
        var subscriptions = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => (Customer: customers[random.Next(customers.Count)], Subscription: Guid.NewGuid())).ToList();
        var rows = new List<DailyUsage>();
        for (var line = 2; line < 2 + random.Next(300); line++)
        {
            var (customer, subscription) = random.Next(3) == 0 && rows.Count > 0 ? (rows[^1].CustomerId, rows[^1].SubscriptionId) : subscriptions[random.Next(subscriptions.Count)];
            rows.Add(new DailyUsage(line, customer, subscription, new DateOnly(2026, 10, 1).AddDays(random.Next(40)), random.Next(-5, 1000) / 1000m, random.Next(-5_000, 1_000_000) / 1_000_000m));
        }

        var totals = new DailyUsageTotals();
        foreach (var row in rows)
        {
            Assert.True(totals.Add(row));
        }

        var expected = rows.GroupBy(r => new DailyUsageKey(r.CustomerId, r.SubscriptionId, r.UsageDate))
            .ToDictionary(g => g.Key, g => new DailyUsageSum(g.Sum(r => r.Quantity), g.Sum(r => r.BillingPreTaxTotal), g.Count()));
        return totals.Count == expected.Count
            && totals.Groups.All(g => expected[g.Key] == g.Sum)
            && expected.All(e => totals.Sum(e.Key) == e.Value)
            && totals.Subscriptions.SequenceEqual(rows.Select(r => (r.CustomerId, r.SubscriptionId)).Distinct())
            && totals.Days.All(d => expected[new DailyUsageKey(totals.Subscriptions[d.Subscription].CustomerId, totals.Subscriptions[d.Subscription].SubscriptionId, d.UsageDate)] == d.Sum)
            && (totals.FirstUsageDate, totals.LastUsageDate) == (rows.Count == 0 ? default((DateOnly?, DateOnly?)) : (rows.Min(r => r.UsageDate), rows.Max(r => r.UsageDate)))
            && totals.Rows == rows.Count && totals.RowTotal == rows.Sum(r => r.BillingPreTaxTotal) && totals.IsConserved;
    }

    // As a file is read: each row taken as it arrives and added two rows later, the rest added at the end. Holding rows
    // back changes nothing, whether they repeat a subscription, alternate between a few, or meet new ones.
    [Property(MaxTest = 100)]
    public bool AddLaterThenAddHeld_GivesWhatAddingEachRowAtOnceGives(int seed)
    {
        var random = new Random(seed);
        var subscriptions = Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (Customer: Guid.NewGuid(), Subscription: Guid.NewGuid())).ToList();
        var rows = Enumerable.Range(2, random.Next(400)).Select(line =>
        {
            var (customer, subscription) = subscriptions[random.Next(subscriptions.Count)];
            return new DailyUsage(line, customer, subscription, new DateOnly(2026, 10, 1).AddDays(random.Next(10)), random.Next(1000) / 1000m, random.Next(1_000_000) / 1_000_000m);
        }).ToList();
        var (atOnce, later) = (new DailyUsageTotals(), new DailyUsageTotals());
        foreach (var row in rows)
        {
            Assert.True(atOnce.Add(row));
            Assert.True(later.AddLater(row, out _));
        }

        Assert.True(later.AddHeld(out _));
        return later.Subscriptions.SequenceEqual(atOnce.Subscriptions)
            && later.Groups.OrderBy(g => g.Key.ToString()).SequenceEqual(atOnce.Groups.OrderBy(g => g.Key.ToString()))
            && later.Rows == rows.Count && later.IsConserved && later.Count == atOnce.Count;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void AddLater_ARowPastTheLargest_IsRefusedTwoRowsLaterOrByAddHeld(int rowsInTheFile)
    {
        var (customer, subscription, day) = (Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2026, 11, 3));
        var rows = Enumerable.Range(0, rowsInTheFile).Select(i => new DailyUsage(2 + i, customer, subscription, day, 1m, i == 2 ? DailyUsageTotals.Largest : 1m)).ToList();
        var totals = new DailyUsageTotals();

        var refusals = rows.Select(r => (Added: totals.AddLater(r, out var refused), Refused: refused)).ToList();
        var held = (Added: totals.AddHeld(out var refusedAtTheEnd), Refused: refusedAtTheEnd);

        var refusal = Assert.Single(refusals.Append(held), r => !r.Added);
        Assert.Equal(4, refusal.Refused.LineNumber);
        Assert.Equal(rowsInTheFile == 5 ? 4 : 2, totals.Rows);
    }

    [Fact]
    public void Add_TensOfThousandsOfDays_KeepsEachDaysSumsAsTheTableGrows()
    {
        var subscriptions = Enumerable.Range(0, 1_000).Select(_ => (Customer: Guid.NewGuid(), Subscription: Guid.NewGuid())).ToList();
        var totals = new DailyUsageTotals();
        for (var round = 1; round <= 2; round++)
        {
            for (var day = 0; day < 40; day++)
            {
                foreach (var (customer, subscription) in subscriptions)
                {
                    Assert.True(totals.Add(new DailyUsage(1, customer, subscription, new DateOnly(2026, 1, 1).AddDays(day), round, day + 0.000001m)));
                }
            }
        }

        Assert.Equal(40_000, totals.Count);
        Assert.Equal(40_000, totals.CopyDays().Length);
        Assert.Equal(new DailyUsageSum(3m, 2 * (17 + 0.000001m), 2), totals.Sum(new DailyUsageKey(subscriptions[999].Customer, subscriptions[999].Subscription, new DateOnly(2026, 1, 18))));
        Assert.All(totals.CopyDays(), d => Assert.Equal(new DailyUsageSum(3m, 2 * (d.UsageDate.DayNumber - new DateOnly(2026, 1, 1).DayNumber + 0.000001m), 2), d.Sum));
        Assert.True(totals.IsConserved);
    }

    [Fact]
    public void Add_ADayPastTheLargest_IsRefusedAndLeavesTheTotalsAsTheyWere()
    {
        var (customer, subscription, day) = (Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2026, 11, 3));
        var totals = new DailyUsageTotals();
        Assert.True(totals.Add(new DailyUsage(2, customer, subscription, day, 1m, DailyUsageTotals.Largest - 1m)));

        Assert.False(totals.Add(new DailyUsage(3, customer, subscription, day, 1m, 1m)));
        Assert.False(totals.Add(new DailyUsage(4, customer, subscription, day.AddDays(1), DailyUsageTotals.Largest, 1m)));

        Assert.Equal(1, totals.Count);
        Assert.Equal(new DailyUsageSum(1m, DailyUsageTotals.Largest - 1m, 1), totals.Sum(new DailyUsageKey(customer, subscription, day)));
        Assert.Null(totals.Sum(new DailyUsageKey(customer, subscription, day.AddDays(1))));
        Assert.Equal((day, day), (totals.FirstUsageDate, totals.LastUsageDate));
        Assert.True(totals.IsConserved);
    }
}
