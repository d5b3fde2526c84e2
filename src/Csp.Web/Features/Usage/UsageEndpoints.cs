using Csp.Commerce.Usage;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Usage;

/// <summary>The usage import's routes: the request body streamed into <see cref="Commerce.Usage.ImportUsage"/>.</summary>
public static class UsageEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/usage-imports", HandleAsync)
            .WithTags("Azure usage")
            .WithSummary("Import a daily rated usage file")
            .WithDescription("The body is Microsoft's daily rated usage file (text/csv), billed or unbilled. 201 with the import; 200 with the earlier import when the same file was imported before; 400 naming line, column and value of a bad file, of which nothing is kept.")
            .Accepts<string>("text/csv")
            .AcceptsUpload()
            .RequireRole(AccessRole.Billing);
        api.MapGet("/usage-imports/{id:guid}", GetAsync).WithTags("Azure usage").WithSummary("Get a usage import");
    }

    public static async Task<Results<Created<UsageImportView>, Ok<UsageImportView>, ProblemHttpResult>> HandleAsync(
        string? fileName, HttpRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, CancellationToken cancellationToken)
    {
        var file = Query.FileName(fileName, nameof(fileName), "microsoft-daily-rated-usage.csv");
        if (!file.IsSuccess)
        {
            return file.Error.ToProblem();
        }

        var done = await ImportUsage.RunAsync(db, scope.PartnerId!.Value, file.Value, request.Body, time, cancellationToken);
        return done switch
        {
            { UnreadableFile: { } unreadable } => unreadable.ToProblem(),
            { Created: true, Import: { } created } => TypedResults.Created($"/api/usage-imports/{created.Id}", created),
            _ => TypedResults.Ok(done.Import!),
        };
    }

    public static async Task<Results<Ok<UsageImportView>, ProblemHttpResult>> GetAsync(Guid id, CommerceDb db, CancellationToken cancellationToken) =>
        (await ImportUsage.GetAsync(db, id, cancellationToken)).ToResult();
}
