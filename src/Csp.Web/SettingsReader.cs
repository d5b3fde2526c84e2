namespace Csp.Web;

/// <summary>Settings read while the host is being built, before its options can be asked for.</summary>
public static class SettingsReader
{
    /// <summary>Section <paramref name="section"/> as <typeparamref name="T"/>, defaults where not set; validated again as the host starts (ValidateOnStart).</summary>
    public static T Settings<T>(this IConfiguration configuration, string section)
        where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();
}
