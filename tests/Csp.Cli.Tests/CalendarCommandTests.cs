using System.Diagnostics;

namespace Csp.Cli.Tests;

public class CalendarCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CspCommand.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void Calendar_AnnualTermBilledMonthlyFromJanuary31_PrintsMicrosoftsTwelveCycles()
    {
        var (exitCode, output, error) = Run("calendar", "--start", "2021-01-31", "--term", "P1Y", "--billing", "monthly");

        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Equal(13, lines.Length);
        Assert.Equal("Cycle,ChargeStartDate,ChargeEndDate,SubscriptionStartDate,SubscriptionEndDate,RenewalDate", lines[0]);
        Assert.Equal("1,2021-01-31,2021-02-27,2021-01-31,2022-01-30,2022-01-31", lines[1]);
        Assert.Equal("2,2021-02-28,2021-03-30,2021-01-31,2022-01-30,2022-01-31", lines[2]);
        Assert.Equal("12,2021-12-31,2022-01-30,2021-01-31,2022-01-30,2022-01-31", lines[12]);
    }

    [Fact]
    public void Calendar_ThreeYearTermUpFront_PrintsOneCycle()
    {
        var (exitCode, output, _) = Run("calendar", "--start", "2021-05-25", "--term", "p3y", "--billing", "upfront");

        Assert.Equal(0, exitCode);
        Assert.EndsWith("1,2021-05-25,2024-05-24,2021-05-25,2024-05-24,2024-05-25", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--start", new[] { "calendar", "--start", "2021-02-30", "--term", "P1Y", "--billing", "monthly" })]
    [InlineData("--start", new[] { "calendar", "--term", "P1Y", "--billing", "monthly" })]
    [InlineData("--term", new[] { "calendar", "--start", "2021-01-31", "--term", "P2Y", "--billing", "monthly" })]
    [InlineData("--billing", new[] { "calendar", "--start", "2021-01-31", "--term", "P1Y", "--billing", "weekly" })]
    [InlineData("--billing", new[] { "calendar", "--start", "2021-01-31", "--term", "P1M", "--billing", "annual" })]
    [InlineData("--colour", new[] { "calendar", "--start", "2021-01-31", "--term", "P1Y", "--billing", "monthly", "--colour" })]
    [InlineData("--start", new[] { "calendar", "--start", "9999-12-31", "--term", "P3Y", "--billing", "monthly" })]
    public void Calendar_BadOption_IsOneLineNamingTheOptionAndExitCode2(string option, string[] args)
    {
        var (exitCode, output, error) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Single(error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheCalendarCommand()
    {
        var (exitCode, output, _) = Run("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("calendar", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTheProductVersion()
    {
        var (exitCode, output, _) = Run("--version");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("0.1.0", output, StringComparison.Ordinal);
    }

    // The shipped program, as a shell would run it: the same CSV on standard output and exit code 0.
    [Fact]
    public void Csp_AsAProcess_PrintsTheCalendar()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "csp.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", program, "calendar", "--start", "2021-06-18", "--term", "P1M", "--billing", "monthly"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("1,2021-06-18,2021-07-17,2021-06-18,2021-07-17,2021-07-18", output, StringComparison.Ordinal);
    }
}
