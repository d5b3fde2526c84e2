namespace Csp.Web.Tests;

/// <summary>The layout the style guide and the architecture promise, checked on the compiled assemblies.</summary>
public class ArchitectureTests
{
    // The use cases know nothing of HTTP, so that the API, the portal, the CLI and the jobs can all call them.
    [Fact]
    public void TheCommerceCore_ReferencesNoAspNetCore()
    {
        var core = typeof(Csp.Commerce.Lifecycle.SubscriptionActions).Assembly;

        var references = core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Csp.PartnerCenter", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    // The routes read the request and write the answer; what a request does — every query, every rule — is a use case's.
    [Fact]
    public void TheRoutes_QueryNothingThemselves()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Csp.slnx")))
        {
            directory = directory.Parent;
        }

        var features = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Csp.slnx not found above the test binaries."), "src", "Csp.Web", "Features");
        var querying = Directory.EnumerateFiles(features, "*.cs", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("using Microsoft.EntityFrameworkCore;", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(features, file))
            .ToList();

        Assert.NotEmpty(Directory.EnumerateFiles(features, "*Endpoints.cs", SearchOption.AllDirectories));
        Assert.Empty(querying);
    }
}
