namespace Csp.Data;

/// <summary>What a caller may do in its organisation.</summary>
public enum AccessRole
{
    /// <summary>Everything, the organisation's keys and users included.</summary>
    Admin,

    /// <summary>The lifecycle: orders, seats, cancellations, end-of-term choices, sync.</summary>
    Operations,

    /// <summary>Prices, invoices, reconciliation and usage imports.</summary>
    Billing,

    /// <summary>Reading only.</summary>
    ReadOnly,
}

/// <summary>
/// A key a machine — a script, the CLI, an integration — calls the API with, for one partner and one role. Only its
/// SHA-256 is kept: the key itself is shown once, when it is made. Its prefix, kept in clear, names it in a list and in
/// the audit without giving it away.
/// </summary>
public sealed class ApiKey
{
    public ApiKey(Guid id, Guid partnerId, string name, AccessRole role, string prefix, string sha256, DateTimeOffset createdAt, string createdBy)
    {
        Id = id;
        PartnerId = partnerId;
        Name = name;
        Role = role;
        Prefix = prefix;
        Sha256 = sha256;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }

    public Guid PartnerId { get; private set; }

    /// <summary>What the key is for, in its maker's words.</summary>
    public string Name { get; private set; }

    public AccessRole Role { get; private set; }

    /// <summary>The key's first characters (<c>csp_</c> and eight more), unique: how the key is found and recognised.</summary>
    public string Prefix { get; private set; }

    /// <summary>SHA-256 (lower-case hex) of the whole key.</summary>
    public string Sha256 { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>When the key stopped working; null while it works.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>When the key was last used, to the minute.</summary>
    public DateTimeOffset? LastUsedAt { get; private set; }

    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;

    /// <summary>Records a use; false when the last recorded use is within the minute, and nothing need be written.</summary>
    public bool Use(DateTimeOffset at)
    {
        if (!LastUse.IsDue(LastUsedAt, at))
        {
            return false;
        }

        LastUsedAt = at;
        return true;
    }
}

/// <summary>
/// A last use (of a key, a user's sign-in) is kept to the minute: a caller making a request a second does not write to the
/// database on each.
/// </summary>
internal static class LastUse
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    /// <summary>Whether a use at <paramref name="at"/> is to be recorded, the last recorded one being <paramref name="last"/>.</summary>
    public static bool IsDue(DateTimeOffset? last, DateTimeOffset at) => last is not { } recorded || at - recorded >= Resolution;
}
