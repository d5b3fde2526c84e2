using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Csp.Web.Http;

/// <summary>
/// What every answer carries and how much one caller may ask. Each API key and each signed-in user may make
/// <see cref="RequestLimits.PerCallerPerMinute"/> requests a minute (a fixed window, ASP.NET Core's rate limiter, counting
/// after <see cref="CurrentCaller.UseCallers"/> has authenticated the caller: a forged token cannot spend another's
/// allowance), so that one runaway script cannot starve the host; beyond it the answer is 429 <c>request.rate_limited</c>
/// with <c>Retry-After</c>. Requests without credentials reach nothing but a 401 and are not counted. Every answer tells browsers not to sniff types, frame it or
/// send referrers; everything but the API reference page also forbids loading anything into it (CORS stays closed:
/// no origin is ever allowed).
/// </summary>
public static class CallerLimits
{
    public static IServiceCollection AddCallerLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                CurrentCaller.Of(http) is { } caller
                    ? RateLimitPartition.GetFixedWindowLimiter(caller.Actor, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = http.RequestServices.GetRequiredService<IOptions<RequestLimits>>().Value.PerCallerPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                        type: ErrorResults.TypeOf("request.rate_limited"),
                        title: $"This caller made more requests this minute than the host allows; try again in {seconds} seconds.",
                        statusCode: StatusCodes.Status429TooManyRequests,
                        extensions: new Dictionary<string, object?> { ["code"] = "request.rate_limited" })
                    .ExecuteAsync(context.HttpContext);
            };
        });

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (!http.Request.Path.StartsWithSegments("/api/docs", StringComparison.Ordinal))
                {
                    headers.ContentSecurityPolicy = Portal.Portal.IsPage(http) ? Portal.Portal.ContentSecurityPolicy : "default-src 'none'; frame-ancestors 'none'";
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
}
