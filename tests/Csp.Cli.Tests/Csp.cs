namespace Csp.Cli.Tests;

/// <summary>Runs <c>csp</c> in process, as the tests' shell.</summary>
internal static class Csp
{
    /// <summary>A scenario shipped with the tests, under <c>Scenarios/</c>.</summary>
    public static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    /// <summary>The exit code, standard output as lines, and standard error.</summary>
    public static (int ExitCode, string[] Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CspCommand.Run(args, output, error);
        return (exitCode, output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'), error.ToString());
    }

    /// <summary>A temporary file holding <paramref name="text"/>.</summary>
    public static string TemporaryFile(string text, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"csp-test-{Guid.NewGuid():N}.{extension}");
        File.WriteAllText(path, text);
        return path;
    }
}
