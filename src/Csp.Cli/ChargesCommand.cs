using System.CommandLine;
using Csp.Domain.Charges;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;

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
        var format = new Option<string>("--format") { Description = "csv (default), json (JSON lines), or recon (Microsoft's reconciliation file).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json", "recon");
        var rounding = ReconCommand.RoundingOption();

        var preview = new Command("preview", "Print the charge lines Microsoft will post for a scenario, with its reconciliation column names.") { scenario, format, rounding };
        preview.SetAction(parsed =>
        {
            var file = parsed.GetRequiredValue(scenario);
            if (!file.Exists)
            {
                error.WriteLine($"csp: {file.Name}: no such file.");
                return CspCommand.UsageError;
            }

            var lines = Preview(file, ReconCommand.RoundingPolicy(parsed.GetValue(rounding)), error);
            if (lines is null)
            {
                return CspCommand.UsageError;
            }

            switch (parsed.GetValue(format))
            {
                case "json":
                    ChargeLineOutput.WriteJsonLines(lines, output);
                    break;
                case "recon":
                    InvoiceReconFile.Write(lines.Select((line, i) => ShadowInvoice.Line(line, i + 2L)), output);
                    break;
                default:
                    ChargeLineOutput.WriteCsv(lines, output);
                    break;
            }

            return 0;
        });

        return new Command("charges", "Microsoft's charges, computed before Microsoft bills them.") { preview };
    }

    /// <summary>The charge lines of a scenario file, or null after writing one line saying why there are none.</summary>
    public static IReadOnlyList<ChargeLine>? Preview(FileInfo file, RoundingPolicy policy, TextWriter error)
    {
        var history = ScenarioFile.Read(File.ReadAllText(file.FullName));
        if (!history.IsSuccess)
        {
            error.WriteLine($"csp: {file.Name}: {history.Error.Message}");
            return null;
        }

        var lines = ChargeEngine.Run(history.Value, ChargeRules.Default with { Rounding = policy });
        if (!lines.IsSuccess)
        {
            error.WriteLine($"csp: {file.Name}: {lines.Error.Message} [{lines.Error.Code}]");
            return null;
        }

        return lines.Value;
    }
}
