using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;

namespace Csp.Web.Data;

/// <summary>
/// Microsoft's rules that Microsoft has changed before, as settings with the documented defaults
/// (docs/microsoft/lifecycle.md, extended-service-term.md): <c>Csp:CancellationWindowHours</c> (168),
/// <c>Csp:Est:EnforcedFrom</c> (2026-05-04), <c>Csp:Est:EligibleTermsStartingFrom</c> (2025-04-01), and the charge engine's rounding policy
/// <c>Csp:Rounding</c> (<c>Documented</c>, or <c>FullPrecision</c>).
/// </summary>
public static class NceRules
{
    public static IServiceCollection AddNceRules(this IServiceCollection services) => services
        .AddSingleton(provider => new CancellationPolicy(
            TimeSpan.FromHours(provider.GetRequiredService<IConfiguration>().GetValue("Csp:CancellationWindowHours", 168))))
        .AddSingleton(provider =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            return EstPolicy.Default with
            {
                EnforcedFrom = configuration.GetValue("Csp:Est:EnforcedFrom", EstPolicy.Default.EnforcedFrom),
                EligibleTermsStartingFrom = configuration.GetValue("Csp:Est:EligibleTermsStartingFrom", EstPolicy.Default.EligibleTermsStartingFrom),
            };
        })
        .AddSingleton(provider => ChargeRules.Default with
        {
            Rounding = provider.GetRequiredService<IConfiguration>().GetValue("Csp:Rounding", RoundingPolicy.Documented),
            Cancellation = provider.GetRequiredService<CancellationPolicy>(),
            Est = provider.GetRequiredService<EstPolicy>(),
        });
}
