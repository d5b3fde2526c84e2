using MudBlazor;

namespace Csp.Web.Portal;

/// <summary>The portal's look: Microsoft's Fluent 2 brand colour, neutrals and type ramp on MudBlazor's components, as partners know them from Partner Center.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Fluent = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0F6CBD",
            Secondary = "#5C2E91",
            AppbarBackground = "#0F6CBD",
            Background = "#FAFAFA",
            Success = "#107C10",
            Warning = "#8A5300",
            Error = "#C50F1F",
            Info = "#0F6CBD",
            TextPrimary = "#242424",
            TextSecondary = "#424242",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Segoe UI", "Segoe UI Web (West European)", "-apple-system", "BlinkMacSystemFont", "Roboto", "Helvetica Neue", "sans-serif"] },
        },
    };
}
