using System.CommandLine;

namespace Csp.Cli;

/// <summary>The <c>csp</c> command: the platform's jobs for scripts and operators, on the same domain code as the host.</summary>
/// <remarks>
/// Exit codes: 0 done; 2 the command line was wrong (one line on standard error names the option); 1 the
/// command failed for another reason.
/// </remarks>
public static class CspCommand
{
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("CSP Commerce: Microsoft CSP subscriptions, billing and reconciliation.")
        {
            CalendarCommand.Create(output),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"csp: {parsed.Errors[0].Message} (see csp --help)");
            return UsageError;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
