using Csp.Data;

namespace Csp.Commerce.Access;

/// <summary>
/// Who makes a request, once authenticated: the partner it acts for, the customer it is confined to (a customer user),
/// its role there, and how the audit names it (<c>key csp_…</c>, <c>user Name (id)</c>).
/// </summary>
public sealed record Caller(Guid PartnerId, Guid? CustomerId, AccessRole Role, string Actor)
{
    /// <summary>Whether the caller may do what needs <paramref name="required"/>: admin may do everything.</summary>
    public bool Holds(AccessRole required) => Role == AccessRole.Admin || Role == required;
}
