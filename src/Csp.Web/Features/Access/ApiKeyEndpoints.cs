using Csp.Commerce.Access;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Access;

/// <summary>Creating, listing and revoking the organisation's API keys (<see cref="CreateApiKey"/>, <see cref="ListApiKeys"/> and <see cref="RevokeApiKey"/>): an admin's routes.</summary>
public static class ApiKeyEndpoints
{
    /// <summary>A key to make: what it is for, and the role its holder gets.</summary>
    public sealed record CreateApiKeyRequest(string Name, AccessRole Role);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/api-keys", CreateAsync)
            .WithTags("Access")
            .WithSummary("Create an API key")
            .WithDescription("A key for machines to call the API with, as this partner, in role admin, operations, billing or readOnly. The answer is the only time the key is shown: only its SHA-256 and its prefix are kept. Send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. Each request makes a new key.")
            .RequireRole(AccessRole.Admin);
        api.MapGet("/api-keys", async (CommerceDb db, PartnerScope scope, CancellationToken cancellationToken) => TypedResults.Ok(await ListApiKeys.RunAsync(db, scope.PartnerId!.Value, cancellationToken)))
            .WithTags("Access")
            .WithSummary("List the API keys")
            .WithDescription("The partner's own keys (not its resellers'), newest first: name, role, prefix, who made them, when last used, when revoked. Never the keys themselves.")
            .RequireRole(AccessRole.Admin);
        api.MapPost(
                "/api-keys/{id:guid}/revoke",
                async (Guid id, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) => (await RevokeApiKey.RunAsync(db, scope.PartnerId!.Value, id, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Access")
            .WithSummary("Revoke an API key")
            .WithDescription("The key stops working at once. Revoking a revoked key changes nothing.")
            .RequireRole(AccessRole.Admin);
    }

    public static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var made = await CreateApiKey.RunAsync(db, scope.PartnerId!.Value, request.Name, request.Role, CurrentCaller.Actor(http), time, cancellationToken);
        return made.IsSuccess ? TypedResults.Created($"/api/api-keys/{made.Value.ApiKey.Id}", made.Value) : made.Error.ToProblem();
    }
}
