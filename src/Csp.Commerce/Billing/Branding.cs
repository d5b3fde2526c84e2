using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>A partner's branding as the API shows it: <see cref="HasLogo"/> rather than the image itself.</summary>
/// <param name="PortalHost">The host name of the partner's white-label customer portal; null for none.</param>
public sealed record BrandingView(Guid PartnerId, string DisplayName, IReadOnlyList<string> AddressLines, string? TaxId, string PrimaryColour, bool HasLogo, DateTimeOffset? UpdatedAt, string? PortalHost = null)
{
    public static BrandingView Of(PartnerBranding b) => new(b.PartnerId, b.DisplayName, b.Address.Split('\n', StringSplitOptions.RemoveEmptyEntries), b.TaxId, b.PrimaryColour, b.LogoPng is not null, b.UpdatedAt, b.PortalHost);
}

/// <summary>The caller's branding, or what its invoices show without one: its name in the platform's colour.</summary>
public static class GetBranding
{
    public static async Task<BrandingView> RunAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        await db.Brandings.FirstOrDefaultAsync(b => b.PartnerId == partnerId, cancellationToken) is { } branding
            ? BrandingView.Of(branding)
            : new BrandingView(partnerId, await db.Partners.Where(p => p.Id == partnerId).Select(p => p.Name).FirstAsync(cancellationToken), [], null, PartnerBranding.DefaultColour, false, null);

    /// <summary>The partner's logo as stored (a PNG), null for none: what a form that leaves the logo alone keeps.</summary>
    public static Task<byte[]?> LogoAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken) =>
        db.Brandings.Where(b => b.PartnerId == partnerId).Select(b => b.LogoPng).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>
/// Sets how the caller presents itself on its invoices: name, address lines (up to 6), VAT number, colour <c>#RRGGBB</c> and
/// a PNG logo of at most <see cref="MaxLogoBytes"/> bytes (none to remove it), and the host name of its white-label customer
/// portal (one partner's only). Setting the same again changes nothing.
/// </summary>
public static class SetBranding
{
    public const int MaxLogoBytes = 256 * 1024;

    public const int MaxAddressLines = 6;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static async Task<Result<BrandingView>> RunAsync(
        CommerceDb db, Guid partnerId, string displayName, IReadOnlyList<string> addressLines, string? taxId, string primaryColour, byte[]? logoPng, string? portalHost, string by, TimeProvider time, CancellationToken cancellationToken)
    {
        var host = string.IsNullOrWhiteSpace(portalHost) ? null : portalHost.Trim().ToLowerInvariant();
        var name = displayName.Trim();
        var lines = addressLines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var error =
            name.Length is 0 or > 200 ? Error.InvalidParameter("displayName", "displayName: 1 to 200 characters.")
            : lines.Count > MaxAddressLines || lines.Any(l => l.Length > 80) ? Error.InvalidParameter("addressLines", $"addressLines: at most {MaxAddressLines} lines of 80 characters.")
            : taxId is { Length: > 32 } ? Error.InvalidParameter("taxId", "taxId: at most 32 characters.")
            : primaryColour.Length != 7 || primaryColour[0] != '#' || !primaryColour[1..].All(char.IsAsciiHexDigit) ? Error.InvalidParameter("primaryColour", "primaryColour: #RRGGBB, e.g. #0F6CBD.")
            : logoPng is { Length: > MaxLogoBytes } ? Error.InvalidParameter("logoPng", $"logoPng: at most {MaxLogoBytes / 1024} KiB.")
            : logoPng is not null && !logoPng.AsSpan().StartsWith(PngSignature) ? Error.InvalidParameter("logoPng", "logoPng: a PNG image, base64-encoded.")
            : host is not null && !IsHostName(host) ? Error.InvalidParameter("portalHost", "portalHost: a host name such as portal.contoso.com — letters, digits, hyphens and dots, no scheme, port or path.")
            : null;
        if (error is not null)
        {
            return error;
        }

        // Host names are the platform's to share out: another partner's is looked for across every partner.
        if (host is not null && await db.Brandings.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(b => b.PortalHost == host && b.PartnerId != partnerId, cancellationToken))
        {
            return new Error("branding.portal_host_taken", $"{host} is another partner's portal host: choose a host name of your own.");
        }

        var now = time.GetUtcNow();
        var text = string.Join('\n', lines);
        var tax = string.IsNullOrWhiteSpace(taxId) ? null : taxId.Trim();
        var colour = primaryColour.ToUpperInvariant();
        var branding = await db.Brandings.FirstOrDefaultAsync(b => b.PartnerId == partnerId, cancellationToken);
        if (branding is null)
        {
            branding = new PartnerBranding(partnerId, name, text, tax, colour, logoPng, now, by, host);
            db.Brandings.Add(branding);
        }
        else
        {
            branding.Change(name, text, tax, colour, logoPng, host, now, by);
        }

        await db.SaveChangesAsync(cancellationToken);
        return BrandingView.Of(branding);
    }

    /// <summary>A DNS host name (RFC 1123): labels of 1 to 63 letters, digits and inner hyphens, 253 characters in all.</summary>
    private static bool IsHostName(string host) =>
        host.Length <= 253 && host.Split('.').All(label => label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
}
