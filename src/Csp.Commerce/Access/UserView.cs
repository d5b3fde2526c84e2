using Csp.Data;

namespace Csp.Commerce.Access;

/// <summary>A user as listed: who (tenant and object id, a name to show), where (a customer, for a customer user), in what role.</summary>
public sealed record UserView(
    Guid Id, Guid TenantId, Guid ObjectId, string DisplayName, AccessRole Role, Guid? CustomerId, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastSignInAt, DateTimeOffset? RemovedAt)
{
    /// <summary>A user in words, for the access audit: the account, the role, the customer of a customer user.</summary>
    public static string Describe(User u) =>
        $"{u.DisplayName} (tenant {u.TenantId}, object {u.ObjectId}), {u.Role}" + (u.CustomerId is { } customer ? $", customer {customer}" : "");

    public static UserView Of(User u) => new(u.Id, u.TenantId, u.ObjectId, u.DisplayName, u.Role, u.CustomerId, u.CreatedAt, u.CreatedBy, u.LastSignInAt, u.RemovedAt);
}

/// <summary>A Microsoft Entra tenant bound to a partner organisation.</summary>
public sealed record PartnerTenantView(Guid TenantId, Guid PartnerId, DateTimeOffset BoundAt);
