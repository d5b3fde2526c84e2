using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>One route of the host: its method, pattern, handler and body type.</summary>
/// <param name="BodyOptional">The body may be left out (its fields are all optional).</param>
/// <param name="Upload">The body is a file (text/csv).</param>
/// <param name="Metadata">What the route declares of itself: the role it needs, whether customer users may call it.</param>
public sealed record HostRoute(string Method, RoutePattern Pattern, MethodInfo? Handler, Type? JsonBody, bool BodyOptional, bool Upload, EndpointMetadataCollection Metadata)
{
    public string Name => $"{Method} {Pattern.RawText}";
}

/// <summary>
/// The routes the host maps, read from its own endpoint list — so that a test over every route covers a route added later
/// without anyone listing it — and what a well-behaved client sends them.
/// </summary>
public static class HostRoutes
{
    /// <summary>
    /// Every route but the API reference, the OpenAPI document, the portal's pages (<see cref="Pages"/>) and the customer
    /// portal's files (held by the pages' admission; tested with the customer portal), in pattern order.
    /// Blazor's own <c>/_framework/opaque-redirect</c> is left out too: it answers only the redirects a page made.
    /// </summary>
    public static IEnumerable<HostRoute> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/api/docs", StringComparison.Ordinal) && !raw.StartsWith("/openapi", StringComparison.Ordinal)
                && !raw.StartsWith("/_framework/", StringComparison.Ordinal) && e.Metadata.GetMetadata<ComponentTypeMetadata>() is null
                && e.Metadata.GetMetadata<Portal.CustomerPageAttribute>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method =>
            {
                var accepts = e.Metadata.GetMetadata<IAcceptsMetadata>();
                var json = accepts?.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)) == true ? accepts.RequestType : null;
                var upload = accepts?.ContentTypes.Contains("text/csv") == true;
                return new HostRoute(method, e.RoutePattern, e.Metadata.OfType<MethodInfo>().FirstOrDefault(), json, accepts?.IsOptional == true, upload, e.Metadata);
            }))
            .OrderBy(r => r.Pattern.RawText, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal);

    /// <summary>The portal's pages: each page's pattern and component, found by the host's own endpoint list.</summary>
    public static IEnumerable<(RoutePattern Pattern, Type Component)> Pages(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => (e.RoutePattern, e.Metadata.GetRequiredMetadata<ComponentTypeMetadata>().Type))
            .DistinctBy(p => p.RoutePattern.RawText)
            .OrderBy(p => p.RoutePattern.RawText, StringComparer.Ordinal);

    /// <summary>A body of <paramref name="type"/> a well-behaved client would send: every field, with an ordinary value.</summary>
    public static JsonObject Baseline(Type type, IReadOnlyDictionary<string, string> subjects)
    {
        var body = new JsonObject();
        foreach (var p in type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters())
        {
            var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            body[JsonNamingPolicy.CamelCase.ConvertName(p.Name!)] = t switch
            {
                _ when t == typeof(int) || t == typeof(decimal) => 2,
                _ when t == typeof(bool) => false,
                _ when t == typeof(Guid) => subjects["subscription"],
                _ when t == typeof(DateOnly) => "2026-12-31",
                _ when t == typeof(string) => p.Name switch
                {
                    "Term" => "P1Y",
                    "BillingPlan" => "monthly",
                    _ when p.Name!.EndsWith("CatalogItemId", StringComparison.Ordinal) => subjects["catalogItem"],
                    _ => "ordinary",
                },
                _ when t.IsEnum => JsonNamingPolicy.CamelCase.ConvertName(Enum.GetNames(t)[0]),
                _ when t.GetInterface("IEnumerable") is not null => new JsonArray(JsonValue.Create(subjects["subscription"])),
                _ => Baseline(t, subjects),
            };
        }

        return body;
    }

    /// <summary>What a route value names: a subscription, a customer, a reconciliation, an import, an API key, a user, an error page.</summary>
    public static string Subject(string pattern, string parameter, IReadOnlyDictionary<string, string> subjects) => (pattern, parameter) switch
    {
        (_, "code") => "request.malformed",
        _ when pattern.StartsWith("/api/customers/{", StringComparison.Ordinal) => subjects["customer"],
        _ when pattern.StartsWith("/api/subscriptions/{", StringComparison.Ordinal) => subjects["subscription"],
        _ when pattern.StartsWith("/api/reconciliations/{", StringComparison.Ordinal) => subjects["reconciliation"],
        _ when pattern.StartsWith("/api/usage-imports/{", StringComparison.Ordinal) => subjects["usageImport"],
        _ when pattern.StartsWith("/api/api-keys/{", StringComparison.Ordinal) => subjects["apiKey"],
        _ when pattern.StartsWith("/api/users/{", StringComparison.Ordinal) => subjects["user"],
        _ when pattern.StartsWith("/customers/{", StringComparison.Ordinal) => subjects["customer"],
        _ when pattern.StartsWith("/my/subscriptions/{", StringComparison.Ordinal) => subjects["mySubscription"],
        _ when pattern.StartsWith("/subscriptions/{", StringComparison.Ordinal) => subjects["subscription"],
        _ when pattern.StartsWith("/reconciliations/{", StringComparison.Ordinal) => subjects["reconciliation"],
        _ when pattern.StartsWith("/usage-imports/{", StringComparison.Ordinal) => subjects["usageImport"],
        _ when pattern.StartsWith("/invoices/{", StringComparison.Ordinal) => subjects["invoice"],
        _ when pattern.StartsWith("/api/requests/{", StringComparison.Ordinal) => subjects["request"],
        _ when pattern.StartsWith("/api/partner-center/syncs/{", StringComparison.Ordinal) => subjects["sync"],
        _ when pattern.StartsWith("/api/invoices/{", StringComparison.Ordinal) => subjects[pattern.EndsWith("/issue", StringComparison.Ordinal) ? "draftInvoice" : "invoice"],
        _ => throw new InvalidOperationException($"Tests do not know what '{parameter}' names in {pattern}: teach HostRoutes.Subject."),
    };

    /// <summary>The route's path with its values filled in.</summary>
    public static string Path(RoutePattern pattern, Dictionary<string, string> values) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => Uri.EscapeDataString(values[parameter.Name]),
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    /// <summary>The route's path with each of its values naming the subject of <paramref name="subjects"/> it is about.</summary>
    public static string Path(HostRoute route, IReadOnlyDictionary<string, string> subjects) =>
        Path(route.Pattern, route.Pattern.Parameters.ToDictionary(p => p.Name, p => Subject(route.Pattern.RawText!, p.Name, subjects)));

    /// <summary><paramref name="text"/> with each <c>{subject}</c> replaced by the subject's value.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> subjects) =>
        subjects.Aggregate(text, (filled, subject) => filled.Replace($"{{{subject.Key}}}", subject.Value, StringComparison.Ordinal));

    /// <summary>A hostile value as a failure's message names it: long ones by their length, control characters escaped.</summary>
    public static string Describe(string value) => value.Length > 40 ? $"{value[..12]}… ({value.Length:N0} characters)" : value.Replace("\u0000", "\\0", StringComparison.Ordinal).Replace("\u0007", "\\a", StringComparison.Ordinal);

    public static StringContent JsonBody(string text) => new(text, Encoding.UTF8, "application/json");
}
