namespace Csp.Cli.Tests;

public class ReconCommandTests
{
    private static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    private static (int ExitCode, string[] Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CspCommand.Run(args, output, error);
        return (exitCode, output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'), error.ToString());
    }

    private static string Temp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"csp-recon-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The March 2022 scenario as Microsoft's reconciliation file, written by <c>charges preview --format recon</c>.</summary>
    private static string[] Recon(string rounding = "documented")
    {
        var (exitCode, output, _) = Run("charges", "preview", Scenario("march-2022.json"), "--format", "recon", "--rounding", rounding);
        Assert.Equal(0, exitCode);
        return output;
    }

    private static string[] Cells(string row) => row.Split(',');

    [Fact]
    public void Diff_TheShadowInvoiceAgainstItself_IsZeroDiscrepancyAndExits0()
    {
        var (exitCode, output, error) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", Temp(string.Join('\n', Recon())));

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Equal(["matched 12", "zero-discrepancy"], output);
    }

    [Fact]
    public void Diff_MicrosoftRoundingTheOtherWay_ReportsRoundingButExits0()
    {
        var (exitCode, output, _) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", Temp(string.Join('\n', Recon("full-precision"))));

        Assert.Equal(0, exitCode);
        Assert.Contains("rounding 8", output);
        Assert.Contains("zero-discrepancy", output);
    }

    [Fact]
    public void Diff_AQuantityChangedAndALineLeftOut_FindsExactlyThoseAndExits1()
    {
        var recon = Recon().ToList();
        var header = Cells(recon[0]);
        var changed = Cells(recon[3]);
        changed[Array.IndexOf(header, "BillableQuantity")] = "16";
        recon[3] = string.Join(',', changed);
        recon.RemoveAt(5);

        var (exitCode, output, _) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", Temp(string.Join('\n', recon)));

        Assert.Equal(1, exitCode);
        Assert.Equal(["matched 10", "missing 1", "quantity 1", "discrepancies"], output[..4]);
        Assert.StartsWith("quantity\tline 4\t", output[4], StringComparison.Ordinal);
        Assert.StartsWith("missing\texpected\t", output[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_MonthOption_KeepsOnlyThatBillingMonth()
    {
        var (exitCode, output, _) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", Temp(string.Join('\n', Recon())), "--month", "2022-04");

        Assert.Equal(0, exitCode);
        Assert.Equal("matched 1", output[0]);
    }

    [Fact]
    public void Diff_ABadValueInTheFile_NamesLineAndColumnAndExits2()
    {
        var recon = Recon();
        recon[2] = recon[2].Replace("-112.20", "-112,20", StringComparison.Ordinal);

        var (exitCode, _, error) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", Temp(string.Join('\n', recon)));

        Assert.Equal(2, exitCode);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_ABadMonth_NamesTheOptionAndExits2()
    {
        var (exitCode, _, error) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", Temp(string.Join('\n', Recon())), "--month", "March");

        Assert.Equal(2, exitCode);
        Assert.Contains("--month", error, StringComparison.Ordinal);
    }
}
