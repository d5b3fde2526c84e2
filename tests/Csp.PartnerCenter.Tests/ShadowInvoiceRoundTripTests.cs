using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Files;
using FsCheck.Xunit;

namespace Csp.PartnerCenter.Tests;

/// <summary>
/// The shadow invoice is what Microsoft will bill: for any history the charge engine accepts, its lines written as
/// Microsoft's invoice reconciliation file, read back and matched month by month, reconcile with nothing left over.
/// </summary>
public class ShadowInvoiceRoundTripTests
{
    private static readonly Currency[] Currencies = [Currency.Eur, Currency.Usd, Currency.Jpy];

    [Property(MaxTest = 150)]
    public async Task<bool> ShadowInvoice_AnyHistory_WrittenAsTheReconFileReadBackAndMatched_IsZeroDiscrepancy(int seed, bool documented, bool forSpreadsheets)
    {
        var history = Accepted(Generate(new Random(seed)), documented ? RoundingPolicy.Documented : RoundingPolicy.FullPrecision, out var charges);

        for (var month = BillingPeriod.Month(history.Subscriptions.Min(s => s.Start)); month.Start <= history.Through; month = BillingPeriod.Month(month.End.AddDays(1)))
        {
            var expected = ShadowInvoice.For(charges, month, "9e9b71ba-3442-458b-b519-e1ccf72fbb54").ToList();
            using var file = new StringWriter();
            InvoiceReconFile.Write(expected, file, forSpreadsheets);
            var text = file.ToString();

            var result = await InvoiceReconFile.MatchAsync(() => new StringReader(text), "recon.csv", expected, month, partitions: 2);

            if (result.Differences.Count > 0 || result.Matched != expected.Count)
            {
                throw new InvalidOperationException($"{month}: matched {result.Matched} of {expected.Count}; first difference: {(result.Differences.Count > 0 ? result.Differences[0].Detail : "")}");
            }
        }

        return true;
    }

    /// <summary>The history with every event the engine refuses taken out, one at a time, and its charges.</summary>
    private static ChargeHistory Accepted(ChargeHistory history, RoundingPolicy policy, out IReadOnlyList<ChargeLine> charges)
    {
        while (true)
        {
            var run = ChargeEngine.Run(history, ChargeRules.Default with { Rounding = policy });
            if (run.IsSuccess)
            {
                charges = run.Value;
                return history;
            }

            var refused = run.Error.Parameter is { } parameter && parameter.StartsWith("events[", StringComparison.Ordinal)
                ? int.Parse(parameter["events[".Length..^1], System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"The generator made an invalid subscription: {run.Error.Message}");
            history = history with { Events = [.. history.Events.Where((_, i) => i != refused)] };
        }
    }

    /// <summary>One to four subscriptions of every kind — trials, promotions, custom end dates, every term and plan — and what happened to them.</summary>
    private static ChargeHistory Generate(Random random)
    {
        var currency = Currencies[random.Next(Currencies.Length)];
        var first = new DateOnly(2022, 1, 1).AddDays(random.Next(1500));
        var through = first.AddDays(60 + random.Next(900));
        Money Price() => new(currency.MinorUnits == 0 ? random.Next(100, 60_000) : random.Next(1, 60_000) / 100m, currency);

        var subscriptions = new List<PurchasedSubscription>();
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            var start = first.AddDays(random.Next(60));
            var term = Enum.GetValues<Term>()[random.Next(3)];
            var plans = Enum.GetValues<BillingPlan>().Where(p => term.Offers(p)).ToArray();
            var plan = plans[random.Next(plans.Length)];
            var trial = term == Term.P1M && random.Next(8) == 0;
            var promoted = !trial && random.Next(4) == 0;
            var natural = NceCalendar.EndDate(start, term);
            DateOnly? end = !trial && random.Next(4) == 0 ? start.AddDays(random.Next(natural.DayNumber - start.DayNumber + 1)) : null;
            subscriptions.Add(new PurchasedSubscription(
                $"s{subscriptions.Count}", "CFQ7TTC0LDPB", "0001", "Microsoft 365 Business Standard", Price(), term, plan, start, random.Next(1, 300),
                trial,
                (EndOfTerm)random.Next(3),
                random.Next(2) == 0 ? Price() : null,
                promoted ? "39NFJQT1PJQB:0001:39NFJQT1Q5KN" : null,
                end,
                promoted ? random.Next(1, 60) / 100m : null));
        }

        var events = new List<SubscriptionChange>();
        for (var i = random.Next(12); i > 0; i--)
        {
            var s = subscriptions[random.Next(subscriptions.Count)];
            var day = s.Start.AddDays(random.Next(through.DayNumber - s.Start.DayNumber + 1));
            events.Add(random.Next(9) switch
            {
                0 => new Cancel(day, s.Id),
                1 => new SetEndOfTerm(day, s.Id, (EndOfTerm)random.Next(3)),
                2 => new Suspend(day, s.Id),
                3 => new Reactivate(day, s.Id),
                4 => new ChangeBillingPlan(day, s.Id, random.Next(2) == 0 ? BillingPlan.Monthly : BillingPlan.Annual, Price()),
                5 => new ConvertTrial(day, s.Id, Price(), Term.P1Y, BillingPlan.Monthly),
                6 => new Upgrade(day, s.Id, random.Next(1, 10), s with { Id = $"u{events.Count}", ProductId = "CFQ7TTC0LCHC", UnitPrice = Price(), Start = day, CustomTermEndDate = null, Trial = false, PromotionId = null, PromotionDiscount = null }, TargetExists: false),
                7 => new ScheduleNextTerm(day, s.Id, new NextTerm("CFQ7TTC0LCHC", "0002", "Microsoft 365 Business Premium", Term.P1Y, BillingPlan.Annual, random.Next(1, 300), Price())),
                _ => new ChangeQuantity(day, s.Id, random.Next(1, 300)),
            });
        }

        return new ChargeHistory(currency, through, subscriptions, [.. events.OrderBy(e => e.Date)]);
    }
}
