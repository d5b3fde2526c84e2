using System.Reflection;
using System.Text.RegularExpressions;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// docs/microsoft/conformance.md kept true: the routes it lists are the simulator's Partner Center routes, its client
/// methods exist, the contract tests and Microsoft's samples it names exist, and every sample is named there.
/// </summary>
public sealed partial class ConformanceTests
{
    private static readonly Lazy<IReadOnlyList<Row>> Table = new(() => Read(Path.Combine(RepositoryRoot(), "docs", "microsoft", "conformance.md")));

    [Fact]
    public async Task Table_RoutesAreTheSimulatorsPartnerCenterRoutes()
    {
        await using var pc = new SimulatedPartnerCenter();
        var served = pc.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(method => $"{method} {Unconstrained(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        var listed = Table.Value.SelectMany(r => r.Routes).ToHashSet();

        Assert.Empty(listed.Except(served));
        Assert.Empty(served.Except(listed));
    }

    [Fact]
    public void Table_ClientMethodsExist()
    {
        var methods = typeof(PartnerCenterClient).GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).ToHashSet();

        Assert.Subset(methods, Table.Value.SelectMany(r => r.ClientMethods).ToHashSet());
    }

    [Fact]
    public void Table_ContractTestsExist()
    {
        var tests = typeof(ConformanceTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttributes<FactAttribute>().Any()).Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();

        Assert.Subset(tests, Table.Value.SelectMany(r => r.Tests).ToHashSet());
    }

    [Fact]
    public void Table_NamesEverySampleAndEverySampleItNamesExists()
    {
        var samples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Microsoft"), "*.json").Select(Path.GetFileName).ToHashSet();
        var named = Table.Value.SelectMany(r => r.Samples).ToHashSet();

        Assert.Empty(named.Except(samples));
        Assert.Empty(samples.Except(named));
    }

    // The code's comments point at docs/microsoft/ for the rule they follow: each page they name is in the repository,
    // and none points at a specification kept outside it.
    [Fact]
    public void MicrosoftRules_CitedByTheCode_AreInTheRepository()
    {
        var root = RepositoryRoot();
        string[] folders = ["src", "tests"];
        var sources = folders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(root, f), Text: File.ReadAllText(f)))
            .ToList();

        var cited = sources.SelectMany(s => CitedPage().Matches(s.Text).Select(m => (s.File, Page: m.Groups[1].Value))).ToList();

        Assert.True(cited.Count >= 30, $"only {cited.Count} citations of docs/microsoft/ found");
        Assert.Empty(cited.Where(c => !File.Exists(Path.Combine(root, "docs", "microsoft", c.Page))).Select(c => $"{c.File}: {c.Page}"));
        Assert.Empty(sources.Where(s => OutsideSpecification().IsMatch(s.Text)).Select(s => s.File));
    }

    private static string Unconstrained(string route) => Constraint().Replace(route, "}");

    private static List<Row> Read(string path)
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(path).SkipWhile(l => !l.StartsWith("| Operation |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|').Skip(1).SkipLast(1).Select(c => c.Trim()).ToArray();
            IReadOnlyList<string> Code(int column) => Backticked().Matches(cells[column]).Select(m => m.Groups[1].Value).ToList();
            rows.Add(new Row(cells[0], Code(2), Code(3), Code(4), Code(5)));
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Csp.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository's root (Csp.slnx) is not above the tests.");
    }

    [GeneratedRegex(@"docs/microsoft/([a-z-]+\.md)")]
    private static partial Regex CitedPage();

    [GeneratedRegex(@"partner-center\.md")]
    private static partial Regex OutsideSpecification();

    [GeneratedRegex(":[a-z]+}")]
    private static partial Regex Constraint();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    private sealed record Row(string Operation, IReadOnlyList<string> ClientMethods, IReadOnlyList<string> Routes, IReadOnlyList<string> Samples, IReadOnlyList<string> Tests);
}
