using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;

namespace Csp.Web.Http;

/// <summary>
/// How large a request may be (settings <c>Requests:*</c>): a file upload up to <see cref="MaxUploadBytes"/> (Microsoft's
/// reconciliation and daily usage files of a large distributor run to gigabytes), every other body up to
/// <see cref="MaxBodyBytes"/>, the address up to <see cref="MaxTargetBytes"/>, the headers up to
/// <see cref="MaxHeaderBytes"/>. A request over a limit is refused before it is read, as a ProblemDetails
/// (<c>request.too_large</c>: 413, 414 or 431); so is a query value holding a control character (400).
/// </summary>
/// <remarks>
/// Kestrel answers requests beyond its own limits itself, with a bare status and no body; its limits are therefore set
/// well above these (<see cref="KestrelLineBytes"/>, <see cref="KestrelHeaderBytes"/>), so that only a request far beyond
/// any client's meets Kestrel's answer rather than the platform's.
/// </remarks>
public sealed class RequestLimits
{
    public const string Section = "Requests";

    /// <summary>Kestrel's own ceiling on the request line; beyond it Kestrel answers 414 without a body.</summary>
    public const int KestrelLineBytes = 1 << 20;

    /// <summary>Kestrel's own ceiling on the headers; beyond it Kestrel answers 431 without a body.</summary>
    public const int KestrelHeaderBytes = 1 << 20;

    /// <summary>A JSON body; 1 MiB is far more than any request of the API needs.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>An uploaded file (a route marked with <see cref="RequestLimitsExtensions.AcceptsUpload"/>): 4 GiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 4L << 30;

    /// <summary>Where an upload is kept while it is read (a folder with room for the largest file); the system's temporary folder when null.</summary>
    public string? UploadDirectory { get; set; }

    /// <summary>The path and query string.</summary>
    [Range(64, KestrelLineBytes)]
    public int MaxTargetBytes { get; set; } = 8 * 1024;

    /// <summary>All the request's header names and values.</summary>
    [Range(1024, KestrelHeaderBytes)]
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>Requests one API key or one signed-in user may make in a minute; beyond it, 429 <c>request.rate_limited</c> until the minute is over.</summary>
    [Range(1, 1_000_000)]
    public int PerCallerPerMinute { get; set; } = 600;

    /// <summary>The limits in force for this request, in words, for a refusal's title.</summary>
    public static string Describe(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RequestLimits>>().Value;
        return http.Response.StatusCode switch
        {
            StatusCodes.Status414UriTooLong => $"at most {Size(limits.MaxTargetBytes)} of path and query",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => $"at most {Size(limits.MaxHeaderBytes)} of headers",
            _ => $"at most {Size(limits.BodyLimit(http))}",
        };
    }

    internal long BodyLimit(HttpContext http) =>
        (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata.GetMetadata<Upload>() is null ? MaxBodyBytes : MaxUploadBytes;

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1 << 20 when bytes % (1 << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1 << 10 when bytes % (1 << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} bytes",
    };

    /// <summary>The metadata of a route whose body is a file.</summary>
    internal sealed class Upload
    {
        public static readonly Upload Instance = new();
    }
}

public static class RequestLimitsExtensions
{
    /// <summary>Marks a route whose body is a file, streamed, up to <see cref="RequestLimits.MaxUploadBytes"/>.</summary>
    public static RouteHandlerBuilder AcceptsUpload(this RouteHandlerBuilder route) => route.WithMetadata(RequestLimits.Upload.Instance);

    /// <summary>Refuses a request over a limit before anything reads it, and holds Kestrel to the route's body limit.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var limits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RequestLimits>>().Value;
            var request = http.Request;
            var target = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
            var headers = request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0));
            var body = limits.BodyLimit(http);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = body;
            }

            var refusal = target > limits.MaxTargetBytes ? StatusCodes.Status414UriTooLong
                : headers > limits.MaxHeaderBytes ? StatusCodes.Status431RequestHeaderFieldsTooLarge
                : request.ContentLength > body ? StatusCodes.Status413PayloadTooLarge
                : (int?)null;
            if (refusal is { } status)
            {
                http.Response.StatusCode = status;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new() { HttpContext = http });
                return;
            }

            // A query value with a control character (a NUL, a BEL) is refused before any handler reads it.
            if (request.Query.FirstOrDefault(q => q.Value.Any(v => v?.Any(char.IsControl) == true)) is { Key: { } name })
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
                {
                    HttpContext = http,
                    ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Type = ErrorResults.TypeOf(Query.InvalidParameter),
                        Title = $"Query parameter '{name}' holds a control character: query values take none.",
                        Extensions = { ["code"] = Query.InvalidParameter, ["parameter"] = name },
                    },
                });
                return;
            }

            await next(http);
        });
}

