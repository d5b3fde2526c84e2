namespace Csp.Data;

/// <summary>
/// A secret the platform must keep across restarts — today the Partner Center refresh token Microsoft last rotated to —
/// encrypted with ASP.NET Core Data Protection (whose key ring is in <see cref="ProtectionKey"/>): the database holds only
/// the protected form. The platform's, not a partner's (no partner filter). No route reads this table.
/// </summary>
public sealed class StoredSecret
{
    public StoredSecret(string name, string protectedValue, DateTimeOffset updatedAt)
    {
        Name = name;
        ProtectedValue = protectedValue;
        UpdatedAt = updatedAt;
    }

    /// <summary>What the secret is, e.g. <c>PartnerCenter.RefreshToken</c>.</summary>
    public string Name { get; private set; }

    /// <summary>The secret as Data Protection protected it.</summary>
    public string ProtectedValue { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void Replace(string protectedValue, DateTimeOffset at)
    {
        ProtectedValue = protectedValue;
        UpdatedAt = at;
    }
}
