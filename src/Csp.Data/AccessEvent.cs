namespace Csp.Data;

/// <summary>What happened to an organisation's access.</summary>
public enum AccessEventKind
{
    /// <summary>A user signed in or called the API (recorded once a minute at most per user).</summary>
    SignedIn,

    /// <summary>An API key was used (recorded once a minute at most per key).</summary>
    KeyUsed,

    KeyCreated,

    KeyRevoked,

    /// <summary>An Entra account was made a user, given another role, or let back in.</summary>
    UserGranted,

    UserRemoved,

    /// <summary>An Entra tenant was bound to a partner below the organisation.</summary>
    TenantBound,

    /// <summary>The host's Partner Center connection was set on the settings page (its address, application and tenant; never its secrets).</summary>
    PartnerCenterConnectionSet,

    /// <summary>The connection set on the settings page was deleted: the host's configuration is used again.</summary>
    PartnerCenterConnectionForgotten,
}

/// <summary>
/// One entry of an organisation's access audit: who (the actor, as the lifecycle's audit names it) did what to its
/// access, when. Uses of a key and sign-ins are recorded when their last use is (once a minute at most), so a busy
/// script writes one entry a minute, not one a request.
/// </summary>
public sealed class AccessEvent
{
    public AccessEvent(Guid partnerId, DateTimeOffset occurredAt, string actor, AccessEventKind kind, string detail)
    {
        PartnerId = partnerId;
        OccurredAt = occurredAt;
        Actor = actor;
        Kind = kind;
        Detail = detail;
    }

    public long Id { get; private set; }

    /// <summary>The organisation whose access it is.</summary>
    public Guid PartnerId { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>Who: <c>key csp_…</c>, <c>user Name (id)</c>.</summary>
    public string Actor { get; private set; }

    public AccessEventKind Kind { get; private set; }

    /// <summary>What it concerned, in words: the key's prefix and name, the user and role, the tenant.</summary>
    public string Detail { get; private set; }
}
