using System.CommandLine;
using System.CommandLine.Parsing;

namespace Csp.Cli;

/// <summary>The <c>csp</c> command: the platform's jobs for scripts and operators, on the same domain code as the host.</summary>
/// <remarks>
/// Exit codes: 0 done; 2 the command line was wrong (one line on standard error names the option); 1 the
/// command failed for another reason.
/// </remarks>
public static class CspCommand
{
    public const int UsageError = 2;

    /// <param name="api">How the <c>subscriptions</c>, <c>billing</c> and <c>invoices</c> commands reach the host: the network (null), or a test's in-process host.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, HttpMessageHandler? api = null)
    {
        var root = new RootCommand("CSP Commerce: Microsoft CSP subscriptions, billing and reconciliation.")
        {
            CalendarCommand.Create(output),
            ChargesCommand.Create(output, error),
            ReconCommand.Create(output, error),
            SubscriptionsCommand.Create(output, error, api),
            BillingCommand.Billing(output, error, api),
            BillingCommand.Invoices(output, error, api),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"csp: {Describe(parsed.Errors[0])} (see csp --help)");
            return UsageError;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The parser's message, prefixed with the option it concerns when the message does not name it.</summary>
    private static string Describe(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult result => result.Option,
            ArgumentResult { Parent: OptionResult result } => result.Option,
            _ => null,
        };

        return option is null || error.Message.Contains(option.Name, StringComparison.Ordinal)
            ? error.Message
            : $"Option '{option.Name}': {error.Message}";
    }
}
