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
}
