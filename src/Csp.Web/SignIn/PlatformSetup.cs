using Csp.Commerce.Access;
using Csp.Data;

namespace Csp.Web.SignIn;

/// <summary>
/// Section <c>Setup</c>: the platform's first partner and admin, made on the first start of a host on an empty database
/// (<see cref="SetUpPlatform"/>). The admin's API key is printed once; the admin signs in with the Entra account named.
/// A later start, or a database that has partners, leaves everything as it is.
/// </summary>
public sealed class PlatformSetup
{
    public const string Section = "Setup";

    public string PartnerName { get; set; } = "";

    /// <summary><c>Distributor</c> or <c>DirectBill</c>.</summary>
    public PartnerKind Kind { get; set; } = PartnerKind.Distributor;

    public string Country { get; set; } = "";

    public string Currency { get; set; } = "";

    /// <summary>The IANA time zone of the partner's billing days.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>The partner's Microsoft Entra tenant id.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The object id of the first admin's Entra account, in that tenant.</summary>
    public Guid AdminObjectId { get; set; }

    public string AdminName { get; set; } = "";

    /// <summary>Sets up the platform when the host is given a <c>Setup</c> section and the database has no partner; a wrong setting stops the host, naming it.</summary>
    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var section = app.Configuration.GetSection(Section);
        if (!section.Exists())
        {
            return;
        }

        var setup = section.Get<PlatformSetup>() ?? new PlatformSetup();
        await using var scope = app.Services.CreateAsyncScope();
        var result = await SetUpPlatform.RunAsync(
            scope.ServiceProvider.GetRequiredService<CommerceDb>(), setup.PartnerName, setup.Kind, setup.Country, setup.Currency, setup.TimeZone, setup.TenantId, setup.AdminObjectId, setup.AdminName,
            app.Services.GetRequiredService<TimeProvider>(), cancellationToken);
        if (result.IsSuccess)
        {
            app.Logger.LogInformation(
                "Set up the platform: partner {Partner}, admin {Admin} (signs in with Entra). Its admin API key, shown this once: {Key}",
                setup.PartnerName, setup.AdminName, result.Value.ApiKey.Key);
        }
        else if (result.Error.Code == "platform.already_set_up")
        {
            app.Logger.LogInformation("The platform is set up already: the Setup section changes nothing.");
        }
        else
        {
            throw new InvalidOperationException($"{result.Error.Parameter}: {result.Error.Message}");
        }
    }
}
