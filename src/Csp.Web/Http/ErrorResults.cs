using Csp.Domain;
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

    public static ProblemHttpResult NotFound(string resource, Guid id) =>
        new Error($"{resource}.not_found", $"There is no {resource} {id} for this partner.", ErrorKind.NotFound).ToProblem();
}
