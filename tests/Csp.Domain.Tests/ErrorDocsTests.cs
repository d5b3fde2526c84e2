using System.Text.RegularExpressions;

namespace Csp.Domain.Tests;

public partial class ErrorDocsTests
{
    [GeneratedRegex("\"((?:calendar|charges|currency|customer|file|idempotency|order|partner|partner_center|reconciliation|request|route|scenario|server|subscription|usage|usage_import)\\.[a-z_]+)\"")]
    private static partial Regex ErrorCode();

    // Every ProblemDetails "type" and every CLI refusal points at docs/errors/<code>.md: each code used must have its page.
    [Fact]
    public void Docs_EveryErrorCodeInTheSource_HasItsPage()
    {
        var root = Repository.Root();
        var codes = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => ErrorCode().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Append("customer.not_found")
            .Append("subscription.not_found")
            .Append("reconciliation.not_found")
            .Distinct()
            .ToList();

        Assert.True(codes.Count > 20);
        Assert.All(codes, code => Assert.True(File.Exists(Path.Combine(root, "docs", "errors", code + ".md")), $"docs/errors/{code}.md is missing"));
    }
}

internal static class Repository
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Csp.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Csp.slnx not found above the test binaries.");
    }
}
