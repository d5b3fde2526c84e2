namespace Csp.Data;

/// <summary>
/// One key of ASP.NET Core Data Protection's key ring, as the XML the framework writes: the keys that sign the sign-in
/// cookie and the antiforgery tokens. Kept in the database so that every host on it reads the others' cookies, and a
/// restart signs nobody out. The platform's, not a partner's (no partner filter).
/// </summary>
public sealed class ProtectionKey
{
    public ProtectionKey(string friendlyName, string xml)
    {
        FriendlyName = friendlyName;
        Xml = xml;
    }

    public int Id { get; private set; }

    /// <summary>The name the framework gives the key: <c>key-{guid}</c>.</summary>
    public string FriendlyName { get; private set; }

    public string Xml { get; private set; }
}
