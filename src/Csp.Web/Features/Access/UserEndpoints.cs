using Csp.Commerce.Access;
using Csp.Data;
using Csp.Web.Http;

namespace Csp.Web.Features.Access;

/// <summary>
/// The organisation's people (<see cref="GrantUser"/>, <see cref="ListUsers"/>, <see cref="RemoveUser"/>) and the Entra
/// tenants of the partners below it (<see cref="BindPartnerTenant"/>, <see cref="ListPartnerTenants"/>): an admin's routes.
/// </summary>
public static class UserEndpoints
{
    /// <summary>An Entra account to make a user: its tenant and object id, a name to show, a role, and the customer for a customer user.</summary>
    public sealed record GrantUserRequest(Guid TenantId, Guid ObjectId, string DisplayName, AccessRole Role, Guid? CustomerId = null);

    /// <summary>A partner below the caller and an Entra tenant of its own.</summary>
    public sealed record BindTenantRequest(Guid PartnerId, Guid TenantId);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/users", async (CommerceDb db, PartnerScope scope, CancellationToken cancellationToken) => TypedResults.Ok(await ListUsers.RunAsync(db, scope.PartnerId!.Value, cancellationToken)))
            .WithTags("Access")
            .WithSummary("List the users")
            .WithDescription("The organisation's users and its customers' users (not its resellers'), newest first, removed ones included.")
            .RequireRole(AccessRole.Admin);
        api.MapPost(
                "/users",
                async (GrantUserRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
                    (await GrantUser.RunAsync(db, scope.PartnerId!.Value, request.TenantId, request.ObjectId, request.DisplayName, request.Role, request.CustomerId, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Access")
            .WithSummary("Grant a user a role")
            .WithDescription("Makes a Microsoft Entra account (tenant id and object id, never an e-mail address) a user of the organisation in role admin, operations, billing or readOnly — its tenant must be bound to the organisation — or, with customerId, a user of that customer from the customer's own tenant. Granting again changes the role and lets a removed user back in.")
            .RequireRole(AccessRole.Admin);
        api.MapPost(
                "/users/{id:guid}/remove",
                async (Guid id, CommerceDb db, PartnerScope scope, TimeProvider time, CancellationToken cancellationToken) => (await RemoveUser.RunAsync(db, scope.PartnerId!.Value, id, time, cancellationToken)).ToResult())
            .WithTags("Access")
            .WithSummary("Remove a user")
            .WithDescription("The user can no longer sign in, from the next request on. Removing a removed user changes nothing.")
            .RequireRole(AccessRole.Admin);
        api.MapGet("/partner-tenants", async (CommerceDb db, CancellationToken cancellationToken) => TypedResults.Ok(await ListPartnerTenants.RunAsync(db, cancellationToken)))
            .WithTags("Access")
            .WithSummary("List the partners' Entra tenants")
            .WithDescription("The Microsoft Entra tenants bound to the organisation and to the partners below it.")
            .RequireRole(AccessRole.Admin);
        api.MapPost(
                "/partner-tenants",
                async (BindTenantRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, CancellationToken cancellationToken) =>
                    (await BindPartnerTenant.RunAsync(db, scope.PartnerId!.Value, request.PartnerId, request.TenantId, time, cancellationToken)).ToResult())
            .WithTags("Access")
            .WithSummary("Bind an Entra tenant to a partner below")
            .WithDescription("A distributor binds a reseller's Microsoft Entra tenant, so that the reseller's admin can make users of its accounts. An organisation never binds a tenant to itself. Binding again changes nothing; a tenant bound to another partner, or a customer's, is refused.")
            .RequireRole(AccessRole.Admin);
    }
}
