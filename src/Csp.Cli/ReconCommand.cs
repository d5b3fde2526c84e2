using System.CommandLine;
using System.Globalization;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;

namespace Csp.Cli;

/// <summary>
/// <c>csp recon diff --expected SCENARIO.json --actual RECON.csv</c>: Microsoft's reconciliation file matched against what
/// the charge engine expects, without a database. Exit 0 when the month is zero-discrepancy, 1 when not, 2 on bad input.
/// </summary>
public static class ReconCommand
{
    public const int Discrepancies = 1;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var expected = new Option<FileInfo>("--expected") { Description = "The charge scenario the platform expects Microsoft to bill.", Required = true };
        var actual = new Option<FileInfo>("--actual") { Description = "Microsoft's invoice reconciliation file (CSV).", Required = true };
        var month = new Option<string?>("--month") { Description = "The billing month, yyyy-MM; by default every month the file has lines in." };
        var rounding = RoundingOption();

        var diff = new Command("diff", "Match a reconciliation file to the expected charges and list every difference.") { expected, actual, month, rounding };
        diff.SetAction(parsed =>
        {
            var (scenario, recon) = (parsed.GetRequiredValue(expected), parsed.GetRequiredValue(actual));
            if (new[] { scenario, recon }.FirstOrDefault(f => !f.Exists) is { } absent)
            {
                error.WriteLine($"csp: {absent.Name}: no such file.");
                return CspCommand.UsageError;
            }

            var charges = ChargesCommand.Preview(scenario, RoundingPolicy(parsed.GetValue(rounding)), error);
            if (charges is null)
            {
                return CspCommand.UsageError;
            }

            List<ReconLine> billed;
            try
            {
                using var text = recon.OpenText();
                billed = InvoiceReconFile.Read(text, recon.Name).ToList();
            }
            catch (FileFormatException e)
            {
                error.WriteLine($"csp: {e.Message}");
                return CspCommand.UsageError;
            }

            var months = Months(parsed.GetValue(month), billed);
            if (months is null)
            {
                error.WriteLine($"csp: Option '--month': '{parsed.GetValue(month)}' is not a month in the form yyyy-MM.");
                return CspCommand.UsageError;
            }

            var shadow = months.SelectMany(m => ShadowInvoice.For(charges, m)).ToList();
            var result = ReconMatcher.Match(shadow, billed.Where(b => months.Any(m => m.Contains(b.OrderDate))));
            Report(result, output);
            return result.IsZeroDiscrepancy ? 0 : Discrepancies;
        });

        return new Command("recon", "Reconcile Microsoft's files against the platform's expectation.") { diff };
    }

    public static Option<string> RoundingOption()
    {
        var rounding = new Option<string>("--rounding")
        {
            Description = "documented (Microsoft's documented formula, default) or full-precision (truncate the full-precision product).",
            DefaultValueFactory = _ => "documented",
        };
        rounding.AcceptOnlyFromAmong("documented", "full-precision");
        return rounding;
    }

    public static RoundingPolicy RoundingPolicy(string? name) =>
        name == "full-precision" ? Domain.Charges.RoundingPolicy.FullPrecision : Domain.Charges.RoundingPolicy.Documented;

    private static List<BillingPeriod>? Months(string? month, List<ReconLine> billed)
    {
        if (month is null)
        {
            return billed.Select(b => BillingPeriod.Month(b.OrderDate)).Distinct().ToList();
        }

        return DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            ? [BillingPeriod.Month(first)]
            : null;
    }

    private static void Report(ReconResult result, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"matched {result.Matched}"));
        foreach (var kind in Enum.GetValues<DiscrepancyKind>().Where(k => result.Count(k) > 0))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind.ToName()} {result.Count(kind)}"));
        }

        output.WriteLine(result.IsZeroDiscrepancy ? "zero-discrepancy" : "discrepancies");
        foreach (var d in result.Differences)
        {
            var line = d.Actual ?? d.Expected!;
            var where = d.Actual is { } a ? string.Create(CultureInfo.InvariantCulture, $"line {a.LineNumber}") : "expected";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{d.Kind.ToName()}\t{where}\t{line.SubscriptionId}\t{line.ChargeType}\t{line.ChargeStartDate:yyyy-MM-dd}\t{line.ChargeEndDate:yyyy-MM-dd}\t{d.Detail}"));
        }
    }
}
