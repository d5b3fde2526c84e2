using System.ComponentModel.DataAnnotations;

namespace Csp.Web.SignIn;

/// <summary>
/// The platform's application in Microsoft Entra ID (section <c>Entra</c>): a multi-tenant app registration whose API
/// accepts access tokens of its partners' and customers' users. Leave <see cref="ClientId"/> empty and no Entra token
/// is accepted (API keys and, in demo mode, the demo's sign-in still are).
/// </summary>
public sealed class EntraOptions
{
    public const string Section = "Entra";

    /// <summary>The Microsoft identity platform's address; tests point it at their own issuer on loopback.</summary>
    [Required]
    public Uri Instance { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>The application (client) id of the app registration: the <c>aud</c> of v2.0 access tokens for its API.</summary>
    public string? ClientId { get; set; }

    /// <summary>The delegated permission (scope) the API exposes; a user's token must carry it in <c>scp</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$")]
    public string Scope { get; set; } = "access_as_user";

    /// <summary>
    /// The application's client secret, with which the host redeems the code of a browser's sign-in (the OpenID Connect
    /// code flow, with PKCE). Without it people sign in to the API with access tokens only. A secret: set it from the
    /// environment or a secret store (<c>Entra__ClientSecret</c>), never in a file of the repository; no route returns it
    /// and it is never logged.
    /// </summary>
    public string? ClientSecret { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>Whether a browser can sign in with Entra: the application and its secret are both set.</summary>
    public bool BrowserSignIn => Enabled && !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary>
    /// The discovery document of work and school accounts in any tenant: its <c>issuer</c> is a template, with
    /// <c>{tenantid}</c> standing for the tenant each token names in its <c>tid</c>.
    /// </summary>
    public string MetadataAddress => new Uri(Instance, "organizations/v2.0/.well-known/openid-configuration").ToString();
}
