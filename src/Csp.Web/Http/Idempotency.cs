using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Csp.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Http;

/// <summary>
/// <c>Idempotency-Key</c> on every request that changes something (Stripe's contract, style guide rule 12): the first
/// response under a key is stored and replayed for every retry with that key; the same key with another request is 422
/// <c>idempotency.key_reused</c>; a request still running under the key is 409 <c>idempotency.in_progress</c>; a
/// missing key is 400 <c>idempotency.key_required</c>. Only an answer that did something (2xx) or refused it by a rule
/// (409) is kept: a request that could not be taken (400, 404) and a server-side failure (5xx: Partner Center
/// unavailable) are not, unlike Stripe's 5xx: the request may be sent again under its key and be carried out then.
/// </summary>
/// <remarks>
/// The key also names the request's Partner Center operations (<see cref="RequestId(HttpContext, string)"/>): a retry after a crash or a lost
/// response sends Microsoft the same <c>MS-RequestId</c>, so nothing is ever bought twice. A request whose host died
/// holds its key for <see cref="Lease"/>; after that a retry takes it over. A request that throws or fails with a 5xx
/// releases its key.
/// Keys are kept at least 24 hours (<see cref="KeptFor"/>).
/// </remarks>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    public const string ReplayedHeader = "Idempotent-Replayed";

    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    private const string KeyItem = "Csp.IdempotencyKey";

    /// <summary>Keeps the body of a request that carries a key readable after binding, for the request's fingerprint.</summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(Header))
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });

    public static RouteHandlerBuilder RequireIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(FilterAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>The caller's key for this request; null outside <see cref="RequireIdempotencyKey"/> endpoints.</summary>
    public static string? KeyOf(HttpContext context) => context.Items[KeyItem] as string;

    /// <summary>
    /// The <c>MS-RequestId</c> of one Partner Center write of this request (<paramref name="step"/> names it: "cart",
    /// "checkout", an action and its subscription): derived from the acting partner and the key, the same on every retry.
    /// </summary>
    public static Guid RequestId(HttpContext context, string step)
    {
        var key = KeyOf(context) ?? throw new InvalidOperationException("A Partner Center write needs the request's Idempotency-Key.");
        return RequestId(context.RequestServices.GetRequiredService<PartnerScope>().PartnerId, key, step);
    }

    /// <summary>The <c>MS-RequestId</c> of the write <paramref name="step"/> names, of the partner's request under <paramref name="key"/>.</summary>
    public static Guid RequestId(Guid? partnerId, string key, string step)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{partnerId:N}|{key}|{step}"));

        // RFC 9562 version 8 (custom) with the RFC variant, so the id is a well-formed UUID.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length is 0 or > 255)
        {
            return Problem("idempotency.key_required", StatusCodes.Status400BadRequest,
                $"A request that changes something needs an {Header} header of 1 to 255 characters — any value unique to this change, such as a UUID — so that retrying it can never do it twice.");
        }

        var services = http.RequestServices;
        var db = services.GetRequiredService<CommerceDb>();
        var time = services.GetRequiredService<TimeProvider>();
        var partnerId = services.GetRequiredService<PartnerScope>().PartnerId
            ?? throw new InvalidOperationException("Idempotency keys are kept per partner: the request must be scoped first.");
        var fingerprint = await FingerprintAsync(http.Request);
        switch (await ClaimAsync(db, time, partnerId, key, fingerprint, http.RequestAborted))
        {
            case { State: KeyState.Reused, Held: { } held }:
                return Problem("idempotency.key_reused", StatusCodes.Status422UnprocessableEntity,
                    $"The {Header} '{key}' was used on {held.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC for a different request. Use a new key for a new change.");
            case { State: KeyState.Completed, Held: { StatusCode: { } status, ResponseBody: { } body } held }:
                http.Response.Headers[ReplayedHeader] = "true";
                return Results.Text(body, held.ContentType, Encoding.UTF8, status);
            case { State: KeyState.InProgress }:
                return Problem("idempotency.in_progress", StatusCodes.Status409Conflict,
                    $"A request with the {Header} '{key}' is still being carried out. Retry in a moment to get its result.");
        }

        http.Items[KeyItem] = key;
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            // Nothing was answered: the key is released so that a retry does the request (with the same Partner Center ids).
            await ReleaseAsync(db, partnerId, key);
            throw;
        }

        return await StoreAsync(http, db, time, partnerId, key, result);
    }

    /// <summary>Writes the response into memory, keeps it under the key, then sends it.</summary>
    private static async Task<IResult> StoreAsync(HttpContext http, CommerceDb db, TimeProvider time, Guid partnerId, string key, object? result)
    {
        var response = http.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await (result as IResult ?? Results.Ok(result)).ExecuteAsync(http);
        }
        finally
        {
            response.Body = original;
        }

        var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var (status, contentType, completedAt) = (response.StatusCode, response.ContentType, time.GetUtcNow());
        if (!Kept(status))
        {
            // Only what was done (2xx) or refused by a rule (409, audited) is kept. A request that could not be taken (400,
            // 404) is released, as Stripe releases one that failed validation, so the corrected request may use the key; so
            // is one Partner Center did not answer (5xx), so that sending it again under the same key completes it — with the
            // same Partner Center request ids, so Partner Center still acts once.
            await ReleaseAsync(db, partnerId, key);
            return Results.Text(body, contentType, Encoding.UTF8, status);
        }

        await CompleteAsync(db, partnerId, key, status, contentType, body, completedAt);
        return Results.Text(body, contentType, Encoding.UTF8, status);
    }

    /// <summary>What a claim on a key found: the key is this request's now, or its request was done, or is another, or still runs.</summary>
    public enum KeyState
    {
        Claimed,
        Completed,
        Reused,
        InProgress,
    }

    /// <summary>A claim's answer, with the record held under the key when it was not this request's to take.</summary>
    public sealed record KeyClaim(KeyState State, IdempotencyRecord? Held);

    /// <summary>
    /// Takes <paramref name="key"/> for the request <paramref name="fingerprint"/> names — the API's routes and the portal's
    /// confirmations alike: <see cref="KeyState.Claimed"/> when it is this request's to carry out (new, or abandoned past its
    /// <see cref="Lease"/>), else what holds it.
    /// </summary>
    public static async Task<KeyClaim> ClaimAsync(CommerceDb db, TimeProvider time, Guid partnerId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var held = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.PartnerId == partnerId && r.Key == key, cancellationToken);
        if (held is null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord(partnerId, key, fingerprint, now, now + Lease));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new(KeyState.Claimed, null);
            }
            catch (DbUpdateException)
            {
                // Another request under the same key was recorded between the read and the insert.
                db.ChangeTracker.Clear();
                held = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.PartnerId == partnerId && r.Key == key, cancellationToken);
            }
        }

        return held.RequestSha256 != fingerprint ? new(KeyState.Reused, held)
            : held is { StatusCode: not null, ResponseBody: not null } ? new(KeyState.Completed, held)
            : held.LeaseExpiresAt > now || !await TakeOverAsync(db, held, now, cancellationToken) ? new(KeyState.InProgress, held)
            : new(KeyState.Claimed, null);
    }

    /// <summary>
    /// Only what was done (2xx) or refused by a rule (409, audited) is kept. A request that could not be taken (400, 404) is
    /// released, as Stripe releases one that failed validation, so the corrected request may use the key; so is one Partner
    /// Center did not answer (5xx), so that sending it again under the same key completes it — with the same Partner Center
    /// request ids, so Partner Center still acts once.
    /// </summary>
    public static bool Kept(int status) => status is (>= 200 and < 300) or StatusCodes.Status409Conflict;

    /// <summary>Keeps the answer to the request under its key, for every retry of it to be given.</summary>
    public static Task CompleteAsync(CommerceDb db, Guid partnerId, string key, int status, string? contentType, string body, DateTimeOffset completedAt) =>
        db.IdempotencyRecords.Where(r => r.PartnerId == partnerId && r.Key == key)
            .ExecuteUpdateAsync(
                r => r.SetProperty(x => x.CompletedAt, completedAt).SetProperty(x => x.StatusCode, status).SetProperty(x => x.ContentType, contentType).SetProperty(x => x.ResponseBody, body),
                CancellationToken.None);

    /// <summary>Lets the key go, unanswered: the request may be sent again under it and carried out then.</summary>
    public static Task ReleaseAsync(CommerceDb db, Guid partnerId, string key) =>
        db.IdempotencyRecords.Where(r => r.PartnerId == partnerId && r.Key == key && r.CompletedAt == null).ExecuteDeleteAsync(CancellationToken.None);

    /// <summary>Claims a key whose request outlived its lease; false when another retry claimed it first.</summary>
    private static async Task<bool> TakeOverAsync(CommerceDb db, IdempotencyRecord held, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = await db.IdempotencyRecords
            .Where(r => r.PartnerId == held.PartnerId && r.Key == held.Key && r.CompletedAt == null && r.Attempt == held.Attempt)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Attempt, held.Attempt + 1).SetProperty(x => x.LeaseExpiresAt, now + Lease), cancellationToken);
        return claimed == 1;
    }

    /// <summary>
    /// What makes two requests the same request: the method, the path and query, and the body — as the JSON it parses to
    /// (members in name order, no whitespace), so that the same body written with other spacing or member order is the
    /// same request; a body that is not JSON, as its bytes.
    /// </summary>
    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            request.Body.Position = 0;
            sha.AppendData(Canonical(body.GetBuffer().AsSpan(0, (int)body.Length)));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static byte[] Canonical(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return body.ToArray();
        }

        using (document)
        {
            using var canonical = new MemoryStream();
            using (var writer = new Utf8JsonWriter(canonical))
            {
                Write(document.RootElement, writer);
            }

            return canonical.ToArray();
        }

        static void Write(JsonElement element, Utf8JsonWriter writer)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var member in element.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(member.Name);
                        Write(member.Value, writer);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        Write(item, writer);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(string code, int status, string title) =>
        TypedResults.Problem(type: ErrorResults.TypeOf(code), title: title, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code, ["parameter"] = Header });
}
