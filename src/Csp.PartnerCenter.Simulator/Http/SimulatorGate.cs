using System.Globalization;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Features;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Http;

/// <summary>
/// What stands in front of every <c>/v1</c> call, as at Microsoft: the bearer token, injected faults, throttling, the
/// clock's consequences (renewals, EST, provisioning) caught up to "now", and idempotency by <c>MS-RequestId</c>.
/// </summary>
/// <remarks>
/// Calls are handled one at a time: the simulator is one partner's Partner Center on one machine, and one at a time is
/// what makes 32 concurrent copies of a request one effect. A mutating call with an <c>MS-RequestId</c> already answered
/// gets that answer again, byte for byte, and changes nothing.
/// </remarks>
public sealed class SimulatorGate(
    RequestDelegate next, SimulatorFaults faults, SimulatorThrottle throttle, SimulatorClock clock, OneCallAtATime turn, SimulatorTokens tokens, IOptions<SimulatorOptions> options)
{
    public async Task InvokeAsync(HttpContext context, SimulatorDb db)
    {
        var request = context.Request;
        var response = context.Response;
        foreach (var header in new[] { "MS-RequestId", "MS-CorrelationId" })
        {
            if (request.Headers.TryGetValue(header, out var value))
            {
                response.Headers[header] = value;
            }
        }

        db.CorrelationId = request.Headers["MS-CorrelationId"].ToString() is { Length: > 0 } correlation ? correlation : null;
        var settings = options.Value;
        var bearer = request.Headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : "";
        var (valid, mfa) = bearer == settings.DevelopmentToken ? (true, true) : tokens.Check(bearer);
        if (!valid || !mfa)
        {
            // error-codes: 800001 "Partner Token missing in request context"; 400 "Access denied".
            response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await (valid ? MicrosoftErrors.Error(StatusCodes.Status401Unauthorized, 900419, "MFA required: the app + user token must come from a sign-in with multifactor authentication.")
                : bearer.Length == 0 ? MicrosoftErrors.Error(StatusCodes.Status401Unauthorized, 800001, "Partner Token missing in request context.")
                : MicrosoftErrors.Error(StatusCodes.Status401Unauthorized, 400, "Access denied: the access token is expired or not valid.")).ExecuteAsync(context);
            return;
        }

        var fault = faults.Take(request.Method, request.Path.Value ?? "");
        switch (fault?.Kind)
        {
            case FaultKind.Throttle:
                await Throttled(context, fault.RetryAfterSeconds);
                return;
            case FaultKind.Error:
                await MicrosoftErrors.Error(fault.Status, fault.Status, "The service is temporarily unavailable (injected).").ExecuteAsync(context);
                return;
            case FaultKind.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMilliseconds), context.RequestAborted);
                break;
        }

        if (throttle.Count(clock.GetUtcNow(), settings.RequestsPerMinute) is { } retryAfter)
        {
            await Throttled(context, retryAfter);
            return;
        }

        await turn.Semaphore.WaitAsync(context.RequestAborted);
        try
        {
            await TimeDriven.CatchUpAsync(db, clock.GetUtcNow(), settings, context.RequestAborted);
            var requestId = request.Headers["MS-RequestId"].ToString();
            var remembered = !HttpMethods.IsGet(request.Method) && requestId.Length > 0;
            if (remembered && await db.Requests.AsNoTracking().FirstOrDefaultAsync(r => r.RequestId == requestId, context.RequestAborted) is { } answered)
            {
                await Replay(context, answered, fault);
                return;
            }

            var original = response.Body;
            using var buffer = new MemoryStream();
            response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                response.Body = original;
            }

            var record = new SimRequest
            {
                RequestId = requestId,
                Method = request.Method,
                Path = request.Path.Value ?? "",
                StatusCode = response.StatusCode,
                ContentType = response.ContentType,
                Body = buffer.ToArray(),
                ETag = response.Headers.ETag,
                Location = response.Headers.Location,
                At = clock.GetUtcNow(),
            };
            if (remembered)
            {
                // Kept even when the caller has gone (its attempt timed out): what was done is done, and the same request id
                // sent again must meet this answer, not do it a second time.
                db.ChangeTracker.Clear();
                db.Requests.Add(record);
                await db.SaveChangesAsync(CancellationToken.None);
            }

            await Replay(context, record, fault);
        }
        finally
        {
            turn.Semaphore.Release();
        }
    }

    private static async Task Replay(HttpContext context, SimRequest answered, Fault? fault)
    {
        if (fault?.Kind == FaultKind.LostResponse)
        {
            // Carried out and committed; the caller never hears of it.
            context.Abort();
            return;
        }

        var response = context.Response;
        response.StatusCode = answered.StatusCode;
        response.ContentType = answered.ContentType;
        if (answered.ETag is { Length: > 0 } etag)
        {
            response.Headers.ETag = etag;
        }

        if (answered.Location is { Length: > 0 } location)
        {
            response.Headers.Location = location;
        }

        await response.Body.WriteAsync(answered.Body, context.RequestAborted);
    }

    private static Task Throttled(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(
            new ThrottledResource(StatusCodes.Status429TooManyRequests, $"Rate limit is exceeded. Try again in {retryAfterSeconds} seconds."),
            SimulatorJson.Default.ThrottledResource,
            statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }
}

/// <summary>The one simulator's turn: calls are handled one after the other.</summary>
public sealed class OneCallAtATime : IDisposable
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);

    public void Dispose() => Semaphore.Dispose();
}
