namespace Csp.Data;

/// <summary>
/// A Microsoft Entra ID tenant bound to a partner organisation: its users may sign in to that partner (each still needs
/// a <see cref="User"/> with a role). A tenant is bound to one partner at most; a partner may have several.
/// </summary>
public sealed class PartnerTenant
{
    public PartnerTenant(Guid tenantId, Guid partnerId, DateTimeOffset boundAt)
    {
        TenantId = tenantId;
        PartnerId = partnerId;
        BoundAt = boundAt;
    }

    /// <summary>The Entra tenant id, the <c>tid</c> claim of its users' tokens.</summary>
    public Guid TenantId { get; private set; }

    public Guid PartnerId { get; private set; }

    public DateTimeOffset BoundAt { get; private set; }
}

/// <summary>
/// A person (or an application) who signs in with Microsoft Entra ID: known by tenant id and object id, never by e-mail
/// or name, which change and can be reused. A partner's user acts for the partner in a role; a customer user (with a
/// <see cref="CustomerId"/>, from the customer's own tenant) sees that customer only.
/// </summary>
public sealed class User
{
    public User(Guid id, Guid tenantId, Guid objectId, Guid partnerId, Guid? customerId, AccessRole role, string displayName, DateTimeOffset createdAt, string createdBy)
    {
        Id = id;
        TenantId = tenantId;
        ObjectId = objectId;
        PartnerId = partnerId;
        CustomerId = customerId;
        Role = role;
        DisplayName = displayName;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }

    /// <summary>The user's home tenant: the <c>tid</c> claim.</summary>
    public Guid TenantId { get; private set; }

    /// <summary>The user's object id in that tenant: the <c>oid</c> claim.</summary>
    public Guid ObjectId { get; private set; }

    /// <summary>The partner the user acts for; for a customer user, the partner that owns the customer.</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>The customer a customer user sees; null for a partner's user.</summary>
    public Guid? CustomerId { get; private set; }

    public AccessRole Role { get; private set; }

    /// <summary>A name to show in lists and the audit; not an identity.</summary>
    public string DisplayName { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>When the user last signed in or called the API, to the minute.</summary>
    public DateTimeOffset? LastSignInAt { get; private set; }

    /// <summary>When an admin removed the user, who then may no longer sign in; null while the user may.</summary>
    public DateTimeOffset? RemovedAt { get; private set; }

    /// <summary>Gives the user (again) a role and a name to show; a removed user may sign in again.</summary>
    public void Grant(AccessRole role, string displayName)
    {
        Role = role;
        DisplayName = displayName;
        RemovedAt = null;
    }

    public void Remove(DateTimeOffset at) => RemovedAt ??= at;

    /// <summary>Records a sign-in; false when the last one recorded is within the minute, and nothing need be written.</summary>
    public bool SignIn(DateTimeOffset at)
    {
        if (!LastUse.IsDue(LastSignInAt, at))
        {
            return false;
        }

        LastSignInAt = at;
        return true;
    }
}
