using Csp.PartnerCenter.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>The platform's client, as the host registers it, in front of <paramref name="partnerCenter"/> instead of the network.</summary>
public sealed class StubbedPartnerCenter(HttpMessageHandler partnerCenter) : IAsyncDisposable
{
    private readonly ServiceProvider services = Build(partnerCenter);

    public PartnerCenterClient Client => services.GetRequiredService<PartnerCenterClient>();

    public ValueTask DisposeAsync() => services.DisposeAsync();

    private static ServiceProvider Build(HttpMessageHandler handler)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        services.AddPartnerCenterClient(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["BaseAddress"] = "http://partner-center.invalid/", ["Token"] = "token" }).Build());
        return services.BuildServiceProvider();
    }
}
