using Csp.Domain;
using Csp.PartnerCenter.Files;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Http;

/// <summary>The one place a domain <see cref="Error"/> becomes an RFC 9457 problem response.</summary>
public static class ErrorResults
{
    /// <summary>Where the page for an error code is served; <c>type</c> of every problem links here.</summary>
    public static string TypeOf(string code) => $"/errors/{code}";

    public static ProblemHttpResult ToProblem(this Error error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Parameter is not null)
        {
            extensions["parameter"] = error.Parameter;
        }

        return TypedResults.Problem(
            type: TypeOf(error.Code),
            title: error.Message,
            statusCode: error.Kind switch
            {
                ErrorKind.NotFound => StatusCodes.Status404NotFound,
                ErrorKind.Invalid => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            },
            extensions: extensions);
    }

    /// <summary>A Microsoft file that cannot be read: 400 naming the file, line, column and value, as <c>file.invalid</c>.</summary>
    public static ProblemHttpResult ToProblem(this FileError error) =>
        TypedResults.Problem(
            type: TypeOf("file.invalid"),
            title: error.ToString(),
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "file.invalid",
                ["file"] = error.File,
                ["line"] = error.Line,
                ["column"] = error.Column,
                ["value"] = error.Value,
            });

    public static ProblemHttpResult NotFound(string resource, Guid id) =>
        new Error($"{resource}.not_found", $"There is no {resource} {id} for this partner.", ErrorKind.NotFound).ToProblem();

    /// <summary>
    /// A request whose body or parameters could not be read at all (not JSON, wrong JSON types, no body): 400
    /// <c>request.malformed</c>, naming the JSON path, line and byte where reading stopped when the body was JSON.
    /// </summary>
    public static void DescribeBadRequest(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status != StatusCodes.Status400BadRequest || context.ProblemDetails.Extensions.ContainsKey("code"))
        {
            return;
        }

        var problem = context.ProblemDetails;
        problem.Type = TypeOf("request.malformed");
        problem.Extensions["code"] = "request.malformed";
        switch (context.Exception)
        {
            case BadHttpRequestException { InnerException: System.Text.Json.JsonException json } bad:
                problem.Title = $"{bad.Message} The JSON is wrong at {json.Path ?? "$"} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
                problem.Extensions["parameter"] = json.Path ?? "$";
                break;
            case BadHttpRequestException bad:
                problem.Title = bad.Message;
                break;
            default:
                problem.Title ??= "The request could not be read.";
                break;
        }

        problem.Detail = null;
    }
}
