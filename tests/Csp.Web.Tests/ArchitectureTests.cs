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

    // The routes and the pages read the request and write the answer; what a request does — every query, every rule — is a
    // use case's. A page may hand its scoped CommerceDb to a use case, never query it with EF Core itself.
    [Fact]
    public void TheRoutesAndPages_QueryNothingThemselves()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Csp.slnx")))
        {
            directory = directory.Parent;
        }

        var web = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Csp.slnx not found above the test binaries."), "src", "Csp.Web");
        var files = Directory.EnumerateDirectories(web).Where(folder => Path.GetFileName(folder) is "Features" or "Portal")
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(web, folder), "*.*", SearchOption.AllDirectories))
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".razor", StringComparison.Ordinal))
            .ToList();
        var querying = files
            .Where(file => File.ReadAllText(file) is var text
                && (text.Contains("using Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || text.Contains("IgnoreQueryFilters", StringComparison.Ordinal)))
            .Select(file => Path.GetRelativePath(web, file))
            .ToList();

        Assert.Contains(files, file => file.EndsWith("Endpoints.cs", StringComparison.Ordinal));
        Assert.Contains(files, file => file.EndsWith("Page.razor", StringComparison.Ordinal));
        Assert.Contains(files, file => file.EndsWith("PortalViewer.cs", StringComparison.Ordinal));
        Assert.Empty(querying);
    }
}
