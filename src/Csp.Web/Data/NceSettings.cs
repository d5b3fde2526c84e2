using System.ComponentModel.DataAnnotations;
using Csp.Domain.Charges;
using Csp.Domain.Subscriptions;
using Microsoft.Extensions.Options;

namespace Csp.Web.Data;

/// <summary>
/// The platform's settings (section <c>Csp</c>): Microsoft's rules that Microsoft has changed before, with the documented
/// defaults (docs/microsoft/lifecycle.md, extended-service-term.md).
/// </summary>
public sealed class CommerceOptions
{
    public const string Section = "Csp";

    /// <summary>Microsoft's window to cancel or reduce seats, in hours: 168 (seven days) today, 72 at launch.</summary>
    [Range(1, 24 * 366)]
    public int CancellationWindowHours { get; set; } = (int)CancellationPolicy.Default.Window.TotalHours;

    /// <summary>Which terms may enter a paid Extended Service Term, and from when.</summary>
    [Required]
    public EstOptions Est { get; set; } = new();

    /// <summary>Where the charge engine rounds: <c>Documented</c> (as Microsoft's examples print) or <c>FullPrecision</c>.</summary>
    [EnumDataType(typeof(RoundingPolicy))]
    public RoundingPolicy Rounding { get; set; } = RoundingPolicy.Documented;
}

/// <summary>Section <c>Csp:Est</c>: Microsoft's Extended Service Term dates.</summary>
public sealed class EstOptions
{
    /// <summary>Terms ending on or after this day enter EST without an explicit decision: 2026-05-04.</summary>
    public DateOnly EnforcedFrom { get; set; } = EstPolicy.Default.EnforcedFrom;

    /// <summary>Only terms bought or renewed on or after this day are eligible: 2025-04-01.</summary>
    public DateOnly EligibleTermsStartingFrom { get; set; } = EstPolicy.Default.EligibleTermsStartingFrom;
}

public static class NceSettings
{
    /// <summary>The rules' policies from <see cref="CommerceOptions"/>, read and validated as the host starts.</summary>
    public static IServiceCollection AddNceSettings(this IServiceCollection services)
    {
        services.AddOptions<CommerceOptions>().BindConfiguration(CommerceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommerceOptions>, ValidateCommerceOptions>();
        return services
            .AddSingleton(provider => new CancellationPolicy(TimeSpan.FromHours(Options(provider).CancellationWindowHours)))
            .AddSingleton(provider => EstPolicy.Default with
            {
                EnforcedFrom = Options(provider).Est.EnforcedFrom,
                EligibleTermsStartingFrom = Options(provider).Est.EligibleTermsStartingFrom,
            })
            .AddSingleton(provider => ChargeRules.Default with
            {
                Rounding = Options(provider).Rounding,
                Cancellation = provider.GetRequiredService<CancellationPolicy>(),
                Est = provider.GetRequiredService<EstPolicy>(),
            });
    }

    private static CommerceOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<CommerceOptions>>().Value;

    private sealed class ValidateCommerceOptions : IValidateOptions<CommerceOptions>
    {
        public ValidateOptionsResult Validate(string? name, CommerceOptions options) =>
            options.Est.EligibleTermsStartingFrom > options.Est.EnforcedFrom
                    ? ValidateOptionsResult.Fail("Csp:Est:EligibleTermsStartingFrom must not be after Csp:Est:EnforcedFrom.")
                    : ValidateOptionsResult.Success;
    }
}
