using System.Globalization;
using Csp.Commerce.Access;
using Csp.Commerce.Billing;
using Csp.Data;

namespace Csp.Web.Portal;

/// <summary>
/// Who is looking at a portal page and how to write for them: the caller, its organisation, the organisation's time zone
/// (instants are shown in it) and the browser's culture (dates, numbers and money are written in it).
/// </summary>
/// <param name="Brand">The brand the page is shown in: the portal host's, or for a customer's user its seller's.</param>
public sealed record PortalViewer(Caller Caller, string UserName, string Organisation, TimeZoneInfo TimeZone, CultureInfo Culture, PortalBrand? Brand)
{
    private const string ViewerItem = "Csp.PortalViewer";

    public static PortalViewer? Find(HttpContext http) => http.Items[ViewerItem] as PortalViewer;

    public static PortalViewer Of(HttpContext http) =>
        Find(http) ?? throw new InvalidOperationException("A portal page is reached only through UseCallers, which knows its viewer.");

    /// <summary>Reads the caller's organisation and the culture to write in.</summary>
    public static async Task EnterAsync(HttpContext http, Caller caller, CommerceDb db, PortalBrand? brand)
    {
        var organisation = await GetOrganisation.RunAsync(db, caller, http.RequestAborted);
        var name = http.User.FindFirst("name")?.Value ?? caller.Actor;
        http.Items[ViewerItem] = new PortalViewer(caller, name, organisation.Name, organisation.TimeZone, Portal.CultureOf(http.Request), brand ?? organisation.SellerBrand);
    }

    /// <summary>An amount as the viewer reads numbers, with its currency's code: money of several currencies sits side by side.</summary>
    public string Money(decimal amount, string currency) => string.Create(Culture, $"{amount:N2} {currency}");

    /// <summary>A unit price keeps every digit it has beyond the cents.</summary>
    public string Price(decimal amount, string currency) => string.Create(Culture, $"{amount:#,##0.00######} {currency}");

    public string Number(int value) => value.ToString("N0", Culture);

    public string Day(DateOnly day) => day.ToString("d", Culture);

    public string LongDay(DateOnly day) => day.ToString("D", Culture);

    /// <summary>An instant in the organisation's time zone.</summary>
    public string Instant(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone).ToString("g", Culture);

    /// <summary>How long until <paramref name="at"/> from <paramref name="now"/>, in days and hours: "2 d 5 h", "40 min".</summary>
    public static string Remaining(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        return left <= TimeSpan.Zero ? "closed"
            : left.TotalHours >= 24 ? $"{(int)left.TotalDays} d {left.Hours} h"
            : left.TotalMinutes >= 60 ? $"{(int)left.TotalHours} h {left.Minutes} min"
            : $"{Math.Max(1, (int)left.TotalMinutes)} min";
    }
}
