using static Csp.Cli.Tests.Csp;

namespace Csp.Cli.Tests;

public class ReconCommandTests
{
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
        var (exitCode, output, error) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", TemporaryFile(string.Join('\n', Recon()), "csv"));

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Equal(["matched 12", "zero-discrepancy"], output);
    }

    [Fact]
    public void Diff_MicrosoftRoundingTheOtherWay_ReportsRoundingButExits0()
    {
        var (exitCode, output, _) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", TemporaryFile(string.Join('\n', Recon("full-precision")), "csv"));

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

        var (exitCode, output, _) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", TemporaryFile(string.Join('\n', recon), "csv"));

        Assert.Equal(1, exitCode);
        Assert.Equal(["matched 10", "missing 1", "quantity 1", "discrepancies"], output[..4]);
        Assert.StartsWith("quantity\tline 4\t", output[4], StringComparison.Ordinal);
        Assert.StartsWith("missing\texpected\t", output[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_MonthOption_KeepsOnlyThatBillingMonth()
    {
        var (exitCode, output, _) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", TemporaryFile(string.Join('\n', Recon()), "csv"), "--month", "2022-04");

        Assert.Equal(0, exitCode);
        Assert.Equal("matched 1", output[0]);
    }

    [Fact]
    public void Diff_ABadValueInTheFile_NamesLineAndColumnAndExits2()
    {
        var recon = Recon();
        recon[2] = recon[2].Replace("-112.20", "-112,20", StringComparison.Ordinal);

        var (exitCode, _, error) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", TemporaryFile(string.Join('\n', recon), "csv"));

        Assert.Equal(2, exitCode);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_ABadMonth_NamesTheOptionAndExits2()
    {
        var (exitCode, _, error) = Run("recon", "diff", "--expected", Scenario("march-2022.json"), "--actual", TemporaryFile(string.Join('\n', Recon()), "csv"), "--month", "March");

        Assert.Equal(2, exitCode);
        Assert.Contains("--month", error, StringComparison.Ordinal);
    }
}
