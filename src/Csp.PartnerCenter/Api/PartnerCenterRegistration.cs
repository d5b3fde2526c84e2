using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Csp.PartnerCenter.Api;

public static class PartnerCenterRegistration
{
    /// <summary>
    /// Registers <see cref="PartnerCenterClient"/> on the HTTP client factory: Microsoft's headers on every call, and
    /// reads meeting transient failures retried with exponential backoff and jitter (writes, and throttling, are the
    /// client's to retry).
    /// </summary>
    public static IServiceCollection AddPartnerCenterClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PartnerCenterOptions>()
            .Bind(configuration)
            .Validate(options => options.BaseAddress is { IsAbsoluteUri: true, Scheme: "https" or "http" }, $"{PartnerCenterOptions.Section}:BaseAddress must be an absolute https (or, for the simulator, http) address.")
            .ValidateOnStart();
        services.AddTransient<PartnerCenterHeaders>();
        services.AddHttpClient(SecureApplicationModelTokens.HttpClientName);
        services.TryAddSingleton<RefreshTokenStore, RefreshTokensInMemory>();
        services.AddSingleton<SecureApplicationModelTokens>();
        services.AddSingleton<PartnerCenterTokens, ConfiguredTokens>();
        services.AddHttpClient<PartnerCenterClient>((provider, http) =>
            {
                http.BaseAddress = provider.GetRequiredService<IOptionsMonitor<PartnerCenterOptions>>().CurrentValue.BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<PartnerCenterHeaders>()
            .AddResilienceHandler("partner-center-reads", (pipeline, context) =>
            {
                var reads = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 5,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                    ShouldRetryAfterHeader = true,

                    // Throttling is the client's to wait out, on its own clock, as for writes; Polly takes the rest.
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                };
                reads.DisableForUnsafeHttpMethods();
                pipeline.AddRetry(reads);

                // Inside the retry: an attempt that hangs is abandoned and, for a read, sent again.
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptionsMonitor<PartnerCenterOptions>>().CurrentValue.AttemptTimeout);
            });
        return services;
    }
}

/// <summary>
/// Microsoft's headers (docs/microsoft/api-platform.md): the bearer token for the API called, a new <c>MS-CorrelationId</c> for every
/// read, and <c>MS-Contract-Version</c>. A write's correlation id is its <c>MS-RequestId</c>: every attempt of one operation is
/// the same call to correlate, and Partner Center's audit record of the operation carries it back as
/// <c>originalCorrelationId</c>, by which sync knows the platform's own changes (docs/microsoft/audit-records.md).
/// </summary>
public sealed class PartnerCenterHeaders(PartnerCenterTokens tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var audience = request.RequestUri?.AbsolutePath.StartsWith("/v1.0/reports/", StringComparison.Ordinal) == true ? TokenAudience.Graph : TokenAudience.PartnerCenter;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(audience, cancellationToken));
        request.Headers.Remove("MS-CorrelationId");
        request.Headers.Add("MS-CorrelationId", request.Headers.TryGetValues("MS-RequestId", out var write) ? write.First() : Guid.NewGuid().ToString());
        request.Headers.Add("MS-Contract-Version", "v1");
        return await base.SendAsync(request, cancellationToken);
    }
}
