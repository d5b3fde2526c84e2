using Csp.Commerce.Access;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Access;

/// <summary>
/// The organisation's people (<see cref="GrantUser"/>, <see cref="ListUsers"/>, <see cref="RemoveUser"/>) and the Entra
/// tenants of the partners below it (<see cref="BindPartnerTenant"/>, <see cref="ListPartnerTenants"/>), and the access
/// audit (<see cref="ListAccessEvents"/>): an admin's routes.
/// </summary>
public static class UserEndpoints
{
    public static async Task<Results<Ok<List<AccessEventView>>, ProblemHttpResult>> AccessEventsAsync(
        string? kind, string? limit, string? before, CommerceDb db, PartnerScope scope, CancellationToken cancellationToken)
    {
        var take = Query.WholeNumber(limit, nameof(limit), 100, 1, 500);
        var after = Query.Position(before, nameof(before));
        var wanted = Query.Name<AccessEventKind>(kind, nameof(kind));
        return (take.Error ?? after.Error ?? wanted.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(await ListAccessEvents.RunAsync(db, scope.PartnerId!.Value, wanted.Value, take.Value, after.Value, cancellationToken));
    }

    /// <summary>An Entra account to make a user: its tenant and object id, a name to show, a role, and the customer for a customer user.</summary>
    public sealed record GrantUserRequest(Guid TenantId, Guid ObjectId, string DisplayName, AccessRole Role, Guid? CustomerId = null);

    /// <summary>A partner below the caller and an Entra tenant of its own.</summary>
    public sealed record BindTenantRequest(Guid PartnerId, Guid TenantId);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/access-events", AccessEventsAsync)
            .WithTags("Access")
            .WithSummary("The access audit")
            .WithDescription("The organisation's own access audit, newest first: sign-ins and key uses (once a minute at most each), keys made and revoked, users granted and removed, tenants bound. kind=signedIn|keyUsed|keyCreated|keyRevoked|userGranted|userRemoved|tenantBound filters; limit (1–500, default 100) and before (an entry id) page.")
            .RequireRole(AccessRole.Admin);
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
                async (Guid id, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) => (await RemoveUser.RunAsync(db, scope.PartnerId!.Value, id, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
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
                async (BindTenantRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
                    (await BindPartnerTenant.RunAsync(db, scope.PartnerId!.Value, request.PartnerId, request.TenantId, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Access")
            .WithSummary("Bind an Entra tenant to a partner below")
            .WithDescription("A distributor binds a reseller's Microsoft Entra tenant, so that the reseller's admin can make users of its accounts. An organisation never binds a tenant to itself. Binding again changes nothing; a tenant bound to another partner, or a customer's, is refused.")
            .RequireRole(AccessRole.Admin);
    }
}
