using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// The bad-input sweep: every route the host maps — found by the host's own endpoint list, so a route added later is swept
/// without anyone adding it here — gets, for its route values, each query parameter and each field of its body, hostile
/// values: missing, null, the wrong type, empty, huge, negative, the calendar's ends, control characters, a megabyte of
/// text, unknown names and numbers for an enum, a field twice, a field it does not have. Every answer must be a 4xx
/// problem with a stable code (or, for a query value that may be ordinary, any answer but a 5xx), within a minute, with no
/// table of the platform changed and nothing written to Partner Center.
/// </summary>
public abstract class BadInputSweepTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    private static readonly string Megabyte = new('x', 1_000_000);

    /// <summary>Query values to try on every query parameter; those that can be ordinary may be answered 200.</summary>
    private static readonly (string Value, bool AlwaysRefused)[] QueryValues =
    [
        ("", false), (" ", false), ("-1", false), ("0", false), ("99999999", false), ("99999999999999999999", false), ("abc", false), ("1e3", false),
        ("0001-01-01", false), ("9999-12-31", false), ("9999-10", false), ("5000-01", false), ("0000-00", false), ("true,false", false),
        (new string('a', 300), false), ("\u0000", true), ("a\u0007b", true), (Megabyte, true),
    ];

    [Fact]
    public async Task EveryRoute_EveryHostileValue_Is4xxProblemWithACodeAndChangesNothing()
    {
        var subjects = await RouteSubjectsAsync();
        var failures = new List<string>();
        var swept = 0;
        foreach (var route in HostRoutes.All(App.Services))
        {
            var before = await TableCountsAsync();
            foreach (var attempt in Attempts(route, subjects))
            {
                swept++;
                if (await SendAsync(attempt) is { } failure)
                {
                    failures.Add($"{attempt.Method} {Shorten(attempt.Path)} [{attempt.What}]: {failure}");
                }
            }

            var after = await TableCountsAsync();
            if (after != before)
            {
                failures.Add($"{route.Method} {route.Pattern}: the sweep changed something — before {before}, after {after}");
            }
        }

        Assert.True(swept > 500, $"{swept} requests swept");
        Assert.True(failures.Count == 0, $"{failures.Count} of {swept} hostile requests misbehaved:\n{string.Join('\n', failures.Take(60))}");
    }

    private sealed record Attempt(string Method, string Path, string What, HttpContent? Content, bool NeedsKey, bool MustRefuse, string? Key = null);

    private static IEnumerable<Attempt> Attempts(HostRoute route, IReadOnlyDictionary<string, string> subjects)
    {
        var raw = route.Pattern.RawText!;

        // Every POST goes with an Idempotency-Key of its own, so that the key is never what refuses it.
        var needsKey = route.Method == "POST";
        var values = route.Pattern.Parameters.ToDictionary(p => p.Name, p => HostRoutes.Subject(raw, p.Name, subjects));
        var path = HostRoutes.Path(route.Pattern, values);
        var baseline = route.JsonBody is { } type ? HostRoutes.Baseline(type, subjects) : null;
        HttpContent? Body() => route.Upload ? new StringContent("", Encoding.UTF8, "text/csv") : baseline is null ? null : HostRoutes.JsonBody(baseline.ToJsonString());

        // Route values: an id of the wrong shape, and one that is well formed but nobody's.
        foreach (var parameter in route.Pattern.Parameters.Where(p => p.ParameterPolicies.Any(policy => policy.Content == "guid")))
        {
            yield return new(route.Method, HostRoutes.Path(route.Pattern, new(values) { [parameter.Name] = "42" }), $"{parameter.Name}=42", Body(), needsKey, true);
            yield return new(route.Method, HostRoutes.Path(route.Pattern, new(values) { [parameter.Name] = Guid.NewGuid().ToString() }), $"{parameter.Name} unknown", Body(), needsKey, true);
        }

        // A method the route does not take.
        yield return new("PUT", path, "method", HostRoutes.JsonBody("{}"), false, true);

        // Query parameters: every simple parameter of the handler that the route does not give.
        foreach (var name in QueryParameters(route))
        {
            foreach (var (value, alwaysRefused) in QueryValues)
            {
                yield return new(route.Method, $"{path}?{name}={Uri.EscapeDataString(value)}", $"{name}={HostRoutes.Describe(value)}", Body(), needsKey, alwaysRefused || route.Method == "POST");
            }
        }

        if (route.Upload)
        {
            foreach (var (what, file) in HostileFiles())
            {
                yield return new(route.Method, path, what, new StringContent(file, Encoding.UTF8, "text/csv"), needsKey, true);
            }
        }

        if (route.JsonBody is not { } body || baseline is null)
        {
            yield break;
        }

        // The body as a whole.
        foreach (var (what, text) in (route.BodyOptional ? Array.Empty<(string, string)>() : [("no body", ""), ("null", "null")]).Concat(new[]
        {
            ("an array", "[]"), ("a string", "\"x\""), ("not JSON", "{\"a\":"), ("a trailing comma", "{\"a\":1,}"),
            ("nested 1000 deep", new string('[', 1000) + new string(']', 1000)), ("two megabytes", $"{{\"a\":\"{new string('x', 2 << 20)}\"}}"),
        }))
        {
            yield return new(route.Method, path, $"body {what}", HostRoutes.JsonBody(text), needsKey, true);
        }

        yield return new(route.Method, path, "body as text/plain", new StringContent(baseline.ToJsonString(), Encoding.UTF8, "text/plain"), needsKey, true);

        // Each field, at any depth.
        foreach (var (field, hostile) in FieldMutations(body, baseline))
        {
            yield return new(route.Method, path, field, HostRoutes.JsonBody(hostile), needsKey, true);
        }
    }

    /// <summary>The handler's parameters that are read from the query: simple types not in the route.</summary>
    private static IEnumerable<string> QueryParameters(HostRoute route) =>
        route.Handler?.GetParameters()
            .Where(p => p.Name is not null && route.Pattern.GetParameter(p.Name) is null)
            .Where(p => (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType) is var t && (t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(Guid) || t == typeof(DateOnly)))
            .Where(p => p.ParameterType != typeof(bool) || route.Method == "GET")
            .Select(p => p.Name!)
            .Where(n => n != "preview") ?? [];

    /// <summary>Files no import may take: nothing, garbage, a header alone, a row of 17 MB.</summary>
    private static IEnumerable<(string What, string File)> HostileFiles()
    {
        yield return ("an empty file", "");
        yield return ("binary garbage", "\u0000\u0001\u0002\u00ff PK\u0003\u0004");
        yield return ("one column", "a\n1\n");
        yield return ("a field of 17 MB", $"Name,Other\n{new string('x', 17 << 20)},1\n");
    }

    /// <summary>Each field of <paramref name="baseline"/> made hostile, one at a time, with the field's JSON path.</summary>
    private static IEnumerable<(string Field, string Body)> FieldMutations(Type type, JsonObject baseline, string prefix = "$")
    {
        var parameters = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters();
        foreach (var p in parameters)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name!);
            var field = $"{prefix}.{name}";
            var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            IEnumerable<JsonNode?> hostile = t switch
            {
                _ when t == typeof(int) => [JsonValue.Create("12"), JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(2147483648L), JsonValue.Create(12.5m), JsonValue.Create(int.MaxValue), JsonValue.Create(true)],
                _ when t == typeof(string) => [JsonValue.Create(12), JsonValue.Create(""), JsonValue.Create("a\u0000b"), JsonValue.Create("\u0007"), JsonValue.Create(Megabyte), new JsonObject()],
                _ when t.IsEnum => [JsonValue.Create(1), JsonValue.Create(-1), JsonValue.Create("sometimes"), JsonValue.Create("1"), JsonValue.Create(string.Join(",", Enum.GetNames(t))), JsonValue.Create("")],
                _ when t == typeof(Guid) => [JsonValue.Create("not-a-guid"), JsonValue.Create(42), JsonValue.Create("")],
                _ when t == typeof(DateOnly) => [JsonValue.Create("0001-01-01"), JsonValue.Create("9999-12-31"), JsonValue.Create("2026-13-45"), JsonValue.Create(20261201)],
                _ when t == typeof(bool) => [JsonValue.Create("yes"), JsonValue.Create(1)],
                _ when t != typeof(string) && t.GetInterface("IEnumerable") is not null => [JsonValue.Create("x"), new JsonArray(Enumerable.Range(0, 100_000).Select(_ => (JsonNode?)JsonValue.Create(Guid.NewGuid())).ToArray()), new JsonArray(JsonValue.Create("not-a-guid"))],
                _ => [JsonValue.Create(5), JsonValue.Create("x")],
            };

            foreach (var value in hostile)
            {
                var copy = (JsonObject)baseline.DeepClone();
                copy[name] = value;
                yield return ($"{field}={HostRoutes.Describe(value?.ToJsonString() ?? "null")}", copy.ToJsonString());
            }

            if (!p.HasDefaultValue)
            {
                var missing = (JsonObject)baseline.DeepClone();
                missing.Remove(name);
                yield return ($"{field} missing", missing.ToJsonString());
                var nulled = (JsonObject)baseline.DeepClone();
                nulled[name] = null;
                yield return ($"{field}=null", nulled.ToJsonString());
            }

            var text = baseline.ToJsonString();
            yield return ($"{field} twice", text.Insert(text.Length - 1, $",\"{name}\":{baseline[name]?.ToJsonString() ?? "null"}"));
            if (baseline[name] is JsonObject nested && !t.IsEnum && t != typeof(string))
            {
                foreach (var (inner, body) in FieldMutations(t, nested, field))
                {
                    var copy = (JsonObject)baseline.DeepClone();
                    copy[name] = JsonNode.Parse(body);
                    yield return (inner, copy.ToJsonString());
                }
            }
        }

        var unknown = (JsonObject)baseline.DeepClone();
        unknown["colour"] = "red";
        yield return ($"{prefix}.colour (no such field)", unknown.ToJsonString());
    }

    /// <summary>Sends one hostile request; what is wrong with the answer, or null when it is right.</summary>
    private async Task<string?> SendAsync(Attempt attempt)
    {
        using var request = new HttpRequestMessage(new HttpMethod(attempt.Method), attempt.Path) { Content = attempt.Content };
        if (attempt.NeedsKey)
        {
            request.Headers.Add(Idempotency.Header, Guid.NewGuid().ToString());
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        HttpResponseMessage response;
        try
        {
            response = await App.CreateClient().SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
        {
            return "no answer within a minute";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                return $"{status}: {await response.Content.ReadAsStringAsync(Cancel)}"[..Math.Min(400, 6 + (int)(response.Content.Headers.ContentLength ?? 400))];
            }

            if (status < 400)
            {
                return attempt.MustRefuse ? $"{status}: taken, not refused" : null;
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{status} without a problem document ({response.Content.Headers.ContentType?.MediaType ?? "no body"})";
            }

            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            return !problem.TryGetProperty("code", out var code) || code.GetString() is not { Length: > 0 } ? $"{status} without a code"
                : title.Contains("Microsoft.AspNetCore", StringComparison.Ordinal) || title.Contains("Csp.", StringComparison.Ordinal) || title.Contains("Implicit body", StringComparison.Ordinal)
                    ? $"{status} {code}: framework text in the title: {title}"
                    : null;
        }
    }

    /// <summary>Rows in every table of the platform, and the writes Partner Center has received.</summary>

    private static string Shorten(string path) => path.Length > 120 ? $"{path[..100]}… ({path.Length:N0} characters)" : path;
}

public sealed class SqliteBadInputSweepTests : BadInputSweepTests<SqliteDatabase>;

public sealed class PostgresBadInputSweepTests : BadInputSweepTests<PostgresDatabase>;
