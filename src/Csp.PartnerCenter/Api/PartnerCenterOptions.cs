namespace Csp.PartnerCenter.Api;

/// <summary>Where Partner Center is and how to call it (configuration section <c>PartnerCenter</c>).</summary>
public sealed class PartnerCenterOptions
{
    public const string Section = "PartnerCenter";

    /// <summary>Microsoft's <c>https://api.partnercenter.microsoft.com</c>, or the simulator's address.</summary>
    public Uri BaseAddress { get; set; } = new("https://api.partnercenter.microsoft.com");

    /// <summary>
    /// Microsoft Graph's <c>https://graph.microsoft.com</c>, where the asynchronous billing API lives; when not set, the
    /// same address as <see cref="BaseAddress"/> (as against the simulator, which serves both).
    /// </summary>
    public Uri? GraphBaseAddress { get; set; }

    /// <summary>
    /// Microsoft's <c>https://api.partner.microsoft.com</c>, where price sheets are; when not set, <see cref="BaseAddress"/>.
    /// </summary>
    public Uri? PartnerApiBaseAddress { get; set; }

    /// <summary>
    /// The bearer token: against the simulator its development token; against Microsoft an app + user token with the MFA
    /// claim, obtained by the Secure Application Model.
    /// </summary>
    public string Token { get; set; } = "";

    /// <summary>
    /// The Secure Application Model's application and refresh token; when set, tokens come from Microsoft Entra ID
    /// (<see cref="SecureApplicationModelTokens"/>) instead of <see cref="Token"/>.
    /// </summary>
    public SecureApplicationModelOptions? SecureApplicationModel { get; set; }

    /// <summary>How many times one operation is sent at most, the first included, before its failure is surfaced.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first step of the exponential backoff between attempts of a write (full jitter, doubling, at most a minute).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long one attempt may take before it counts as timed out: a read is sent again, a write again with the same
    /// request id.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
