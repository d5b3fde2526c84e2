using Csp.Commerce.Lifecycle;
using Csp.Domain;
using Csp.PartnerCenter.Files;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Csp.Web.Http;

/// <summary>The one place a domain <see cref="Error"/> becomes an RFC 9457 problem response.</summary>
public static partial class ErrorResults
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
            statusCode: StatusOf(error),
            extensions: extensions);
    }

    /// <summary>The HTTP status an <see cref="Error"/> stands for: what the API answers, and what a page sets for the same refusal.</summary>
    public static int StatusOf(Error error) => error.Kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.Unavailable => StatusCodes.Status502BadGateway,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>
    /// Why an action was not done: a refusal (409) with the instant it was allowed until, a value no request may carry
    /// (400) naming it, an id the caller cannot see (404), or Partner Center's refusal (409) or silence (502) with
    /// Microsoft's code and the request id of the write.
    /// </summary>
    public static ProblemHttpResult ToProblem(this ActionFailure failure)
    {
        var error = failure.Error;
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Parameter is not null)
        {
            extensions["parameter"] = error.Parameter;
        }
        else if (error.Code.StartsWith("partner_center.", StringComparison.Ordinal))
        {
            (extensions["microsoftCode"], extensions["microsoftRequestId"]) = (failure.MicrosoftCode, failure.MicrosoftRequestId);
        }
        else if (error.Kind == ErrorKind.Conflict)
        {
            extensions["allowedUntil"] = error.AllowedUntil;
        }

        return TypedResults.Problem(type: TypeOf(error.Code), title: error.Message, statusCode: StatusOf(error), extensions: extensions);
    }

    /// <summary>An action's answer: its outcome once done, else its preview, else why not.</summary>
    public static Results<Ok<ActionPreview>, Ok<TOutcome>, ProblemHttpResult> ToResult<TOutcome>(this ActionResult<TOutcome> result)
        where TOutcome : class =>
        result switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            { Outcome: { } outcome } => TypedResults.Ok(outcome),
            { Preview: { } preview } => TypedResults.Ok(preview),
            _ => throw new InvalidOperationException("An action answers a failure, an outcome or a preview."),
        };

    /// <summary>A use case's answer: its value, else why not.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToResult<T>(this Result<T> result) =>
        result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();

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

    public static ProblemHttpResult NotFound(string resource, Guid id) => Error.NotFound(resource, id).ToProblem();

    /// <summary>
    /// Gives every problem the host answers without a domain error — a request that cannot be read, a route or method that
    /// does not exist, a body too large or of the wrong media type, a failure of the host — a stable <c>code</c>, a title in
    /// the platform's words (never the framework's) and, where one field is at fault, its <c>parameter</c>.
    /// </summary>
    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        var http = context.HttpContext;
        var (code, title, parameter) = Describe(http, problem.Status ?? http.Response.StatusCode, context.Exception);
        problem.Type = TypeOf(code);
        problem.Title = title;
        problem.Detail = null;
        problem.Extensions["code"] = code;
        if (parameter is not null)
        {
            problem.Extensions["parameter"] = parameter;
        }
    }

    private static (string Code, string Title, string? Parameter) Describe(HttpContext http, int status, Exception? exception)
    {
        var accepts = EndpointOf(http)?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>();
        var body = accepts?.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)) == true ? accepts.RequestType : null;
        var request = $"{http.Request.Method} {http.Request.Path}";
        switch (status, exception)
        {
            case (_, BadHttpRequestException { InnerException: System.Text.Json.JsonException json }):
                var (field, message) = StrictJson.Describe(json, body);
                return ("request.malformed", message, field);
            case (StatusCodes.Status413PayloadTooLarge, _):
                return ("request.too_large", $"The body of {request} is larger than it accepts ({RequestLimits.Describe(http)}).", null);
            case (StatusCodes.Status415UnsupportedMediaType, _):
                return ("request.unsupported_media_type", $"{request} takes {AcceptedMediaTypes(http)}, not '{http.Request.ContentType}'.", "Content-Type");
            case (StatusCodes.Status400BadRequest, BadHttpRequestException bad) when FailedToBind().Match(bad.Message) is { Success: true } binding:
                var name = binding.Groups["name"].Value;
                return (Query.InvalidParameter, $"Parameter '{name}': '{binding.Groups["value"].Value}' is not {binding.Groups["type"].Value switch
                {
                    var t when t.Contains("Int", StringComparison.Ordinal) => "a whole number",
                    var t when t.Contains("Guid", StringComparison.Ordinal) => "an id (a UUID)",
                    var t when t.Contains("Date", StringComparison.Ordinal) => "a date written yyyy-MM-dd",
                    _ => "a value it takes",
                }}.", name);
            case (StatusCodes.Status400BadRequest, BadHttpRequestException) when body is not null:
                return ("request.malformed", BodyRequiredMessage(http, body), "$");
            case (StatusCodes.Status400BadRequest, _):
                return ("request.malformed", $"{request} could not be read.", null);
            case (StatusCodes.Status404NotFound, _):
                return ("route.not_found", $"There is nothing at {http.Request.Path}: check the route, and that ids are written as UUIDs.", null);
            case (StatusCodes.Status405MethodNotAllowed, _):
                return ("request.method_not_allowed", $"{http.Request.Path} does not take {http.Request.Method}.", null);
            case (StatusCodes.Status414UriTooLong, _):
                return ("request.too_large", $"The address of this request is longer than the host accepts ({RequestLimits.Describe(http)}).", null);
            case (StatusCodes.Status431RequestHeaderFieldsTooLarge, _):
                return ("request.too_large", $"The headers of this request are larger than the host accepts ({RequestLimits.Describe(http)}).", null);
            case ( >= StatusCodes.Status500InternalServerError, _):
                return ("server.error", $"{request} failed on the host's side. It is logged under trace id {System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier}; the request may be sent again.", null);
            default:
                return ("request.refused", $"{request} was refused ({status} {ReasonPhrases.GetReasonPhrase(status)}).", null);
        }
    }

    /// <summary>A request whose body is missing or the JSON literal <c>null</c>: 400 <c>request.malformed</c> saying what the body is.</summary>
    public static ProblemHttpResult BodyRequired(HttpContext http, Type body) =>
        TypedResults.Problem(
            type: TypeOf("request.malformed"),
            title: BodyRequiredMessage(http, body),
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["code"] = "request.malformed", ["parameter"] = "$" });

    private static string BodyRequiredMessage(HttpContext http, Type body) =>
        $"{http.Request.Method} {http.Request.Path} needs a JSON body: {StrictJson.Expected(body)}.";

    /// <summary>The endpoint the request reached; the exception handler keeps it aside once it has cleared the request's.</summary>
    private static Endpoint? EndpointOf(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();

    private static string AcceptedMediaTypes(HttpContext http) =>
        EndpointOf(http)?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts
            ? string.Join(" or ", accepts.ContentTypes.Select(t => $"'{t}'"))
            : "no body";

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>[^ \"]+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex FailedToBind();
}
