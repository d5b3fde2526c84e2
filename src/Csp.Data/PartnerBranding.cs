namespace Csp.Data;

/// <summary>
/// How a partner presents itself on what it sends its customers (its invoices): the name and address it trades under, its
/// VAT number, its colour and its logo — and, for a reseller's white-label customer portal, the host name its customers
/// open it at. A partner without one is shown by its name in the platform's colours.
/// </summary>
public sealed class PartnerBranding(Guid partnerId, string displayName, string address, string? taxId, string primaryColour, byte[]? logoPng, DateTimeOffset updatedAt, string updatedBy, string? portalHost = null)
{
    /// <summary>The platform's colour, for a partner that has not chosen one.</summary>
    public const string DefaultColour = "#0F6CBD";

    public Guid PartnerId { get; private set; } = partnerId;

    public string DisplayName { get; private set; } = displayName;

    /// <summary>The postal address, one line per line.</summary>
    public string Address { get; private set; } = address;

    public string? TaxId { get; private set; } = taxId;

    /// <summary><c>#RRGGBB</c>.</summary>
    public string PrimaryColour { get; private set; } = primaryColour;

    /// <summary>A PNG image; null for none.</summary>
    public byte[]? LogoPng { get; private set; } = logoPng;

    /// <summary>The host name (lower case, no port) at which the partner's customers find its portal in its brand; null for none.</summary>
    public string? PortalHost { get; private set; } = portalHost;

    public DateTimeOffset UpdatedAt { get; private set; } = updatedAt;

    public string UpdatedBy { get; private set; } = updatedBy;

    public void Change(string displayName, string address, string? taxId, string primaryColour, byte[]? logoPng, string? portalHost, DateTimeOffset at, string by)
    {
        (DisplayName, Address, TaxId, PrimaryColour, LogoPng, PortalHost, UpdatedAt, UpdatedBy) = (displayName, address, taxId, primaryColour, logoPng, portalHost, at, by);
    }
}
