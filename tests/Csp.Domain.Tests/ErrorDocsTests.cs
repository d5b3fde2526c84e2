using System.Text.RegularExpressions;

namespace Csp.Domain.Tests;

public partial class ErrorDocsTests
{
    // Any quoted "prefix.name" in the source is an error code, whatever its prefix; these few are not.
    private static readonly HashSet<string> NotCodes = ["adatum.example", "csp.db", "simulator.db", "renewals.ics", "renewal.quantity", "renewal.term"];

    [GeneratedRegex("\"([a-z][a-z_]*\\.[a-z][a-z_]*)\"")]
    private static partial Regex ErrorCode();

    // Codes built from a resource's name — Error.NotFound("customer", id) answers customer.not_found — not written out.
    [GeneratedRegex("NotFound\\(\"([a-z][a-z_]*)\"")]
    private static partial Regex NotFoundCode();

    [GeneratedRegex("^\\*\\*Replaced by \\[`([a-z_]+\\.[a-z_]+)`\\]\\(([a-z_]+\\.[a-z_]+)\\.md\\)\\*\\*", RegexOptions.Multiline)]
    private static partial Regex ReplacedBy();

    private static List<string> CodesInTheSource(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .SelectMany(text => ErrorCode().Matches(text).Select(m => m.Groups[1].Value)
                .Where(code => !NotCodes.Contains(code))
                .Concat(NotFoundCode().Matches(text).Select(m => $"{m.Groups[1].Value}.not_found")))
            .Distinct()
            .ToList();

    // Every ProblemDetails "type" and every CLI refusal points at docs/errors/<code>.md: each code used must have its page.
    [Fact]
    public void Docs_EveryErrorCodeInTheSource_HasItsPage()
    {
        var root = Repository.Root();
        var codes = CodesInTheSource(root);

        Assert.Contains("subscription.seat_reduction_window_closed", codes);
        Assert.Contains("usage_import.not_found", codes);
        Assert.All(codes, code => Assert.True(File.Exists(Path.Combine(root, "docs", "errors", code + ".md")), $"docs/errors/{code}.md is missing"));
    }

    // Codes are stable once published: a code no longer answered keeps its page, which names the code that replaced it.
    [Fact]
    public void Docs_ACodeNoLongerAnswered_NamesTheCodeThatReplacedIt()
    {
        var root = Repository.Root();
        var codes = CodesInTheSource(root).ToHashSet();
        var retired = Directory.EnumerateFiles(Path.Combine(root, "docs", "errors"), "*.md")
            .Select(f => (Code: Path.GetFileNameWithoutExtension(f), Text: File.ReadAllText(f)))
            .Where(page => !codes.Contains(page.Code))
            .ToList();

        Assert.Contains(retired, page => page.Code == "charges.est_no_changes");
        Assert.All(retired, page =>
        {
            var replacement = ReplacedBy().Match(page.Text);
            Assert.True(replacement.Success, $"docs/errors/{page.Code}.md: the code is no longer answered, and the page does not say which replaced it");
            Assert.Equal(replacement.Groups[1].Value, replacement.Groups[2].Value);
            Assert.Contains(replacement.Groups[1].Value, codes);
        });
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
