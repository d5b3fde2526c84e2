using System.CommandLine;
using Csp.Domain.Charges;

namespace Csp.Cli;

/// <summary>
/// <c>csp charges preview SCENARIO.json</c>: the lines Microsoft will post for a described history, from the same charge
/// engine the platform bills with.
/// </summary>
public static class ChargesCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = new Argument<FileInfo>("SCENARIO") { Description = "A charge scenario: JSON, see the README." };
        var format = new Option<string>("--format") { Description = "csv (default) or json (JSON lines).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var rounding = new Option<string>("--rounding")
        {
            Description = "documented (Microsoft's documented formula, default) or full-precision (truncate the full-precision product).",
            DefaultValueFactory = _ => "documented",
        };
        rounding.AcceptOnlyFromAmong("documented", "full-precision");

        var preview = new Command("preview", "Print the charge lines Microsoft will post for a scenario, with its reconciliation column names.") { scenario, format, rounding };
        preview.SetAction(parsed =>
        {
            var file = parsed.GetRequiredValue(scenario);
            if (!file.Exists)
            {
                error.WriteLine($"csp: {file.Name}: no such file.");
                return CspCommand.UsageError;
            }

            var history = ScenarioFile.Read(File.ReadAllText(file.FullName));
            if (!history.IsSuccess)
            {
                error.WriteLine($"csp: {file.Name}: {history.Error.Message}");
                return CspCommand.UsageError;
            }

            var policy = parsed.GetValue(rounding) == "full-precision" ? RoundingPolicy.FullPrecision : RoundingPolicy.Documented;
            var lines = ChargeEngine.Run(history.Value, ChargeRules.Default with { Rounding = policy });
            if (!lines.IsSuccess)
            {
                error.WriteLine($"csp: {file.Name}: {lines.Error.Message} [{lines.Error.Code}]");
                return CspCommand.UsageError;
            }

            if (parsed.GetValue(format) == "json")
            {
                ChargeLineOutput.WriteJsonLines(lines.Value, output);
            }
            else
            {
                ChargeLineOutput.WriteCsv(lines.Value, output);
            }

            return 0;
        });

        return new Command("charges", "Microsoft's charges, computed before Microsoft bills them.") { preview };
    }
}
