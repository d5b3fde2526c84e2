using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>
/// A reseller's brand on its white-label customer portal: its name, colour and logo, picked from the host name the portal
/// is opened at (<see cref="PartnerBranding.PortalHost"/>), or the seller's own for its customer's user elsewhere.
/// </summary>
/// <param name="LogoPng">The logo, shown inline (the pages' policy admits <c>data:</c> images); null for none.</param>
public sealed record PortalBrand(Guid PartnerId, string DisplayName, string Colour, byte[]? LogoPng)
{
    /// <summary>The brand whose portal host <paramref name="host"/> (a name, no port) is, looked for across every partner: nobody is signed in yet.</summary>
    public static Task<PortalBrand?> OfHostAsync(CommerceDb db, string host, CancellationToken cancellationToken)
    {
        var name = host.ToLowerInvariant();
        return db.Brandings.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Where(b => b.PortalHost == name)
            .Select(b => new PortalBrand(b.PartnerId, b.DisplayName, b.PrimaryColour, b.LogoPng))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The partner's own brand, or its name in the platform's colour.</summary>
    public static async Task<PortalBrand> OfPartnerAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        await db.Brandings.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(b => b.PartnerId == partnerId)
            .Select(b => new PortalBrand(b.PartnerId, b.DisplayName, b.PrimaryColour, b.LogoPng))
            .FirstOrDefaultAsync(cancellationToken)
        ?? new PortalBrand(partnerId, await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(p => p.Id == partnerId).Select(p => p.Name).SingleAsync(cancellationToken), PartnerBranding.DefaultColour, null);

    /// <summary>
    /// The text colour on the brand's colour: black or white, whichever contrasts more (WCAG 2 relative luminance), so that
    /// any colour a reseller picks stays readable.
    /// </summary>
    public string TextColour
    {
        get
        {
            static double Channel(string hex)
            {
                var c = Convert.ToInt32(hex, 16) / 255.0;
                return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
            }

            var luminance = (0.2126 * Channel(Colour[1..3])) + (0.7152 * Channel(Colour[3..5])) + (0.0722 * Channel(Colour[5..7]));
            return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? "#000000" : "#FFFFFF";
        }
    }

    public string? LogoDataUri => LogoPng is null ? null : $"data:image/png;base64,{Convert.ToBase64String(LogoPng)}";
}
