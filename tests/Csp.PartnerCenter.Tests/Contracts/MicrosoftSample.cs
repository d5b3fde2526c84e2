using System.Text.Json;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// One of Microsoft's documented request or response samples, kept under <c>Microsoft/</c> as <c>{ source, status?, body }</c>:
/// <c>source</c> names the Learn page and the example, and what was changed to make it JSON.
/// </summary>
public sealed record MicrosoftSample(string Source, int? Status, JsonElement Body)
{
    public static MicrosoftSample Read(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Microsoft", name)));
        var root = document.RootElement;
        return new MicrosoftSample(
            root.GetProperty("source").GetString()!,
            root.TryGetProperty("status", out var status) ? status.GetInt32() : null,
            root.GetProperty("body").Clone());
    }
}

/// <summary>Names and kinds of JSON values compared, not the values: what a contract between two sides is.</summary>
/// <remarks>
/// Names are compared ignoring case: Microsoft's samples mix cases (<c>Events</c>, <c>FromCatalogItemId</c>) where the
/// service writes camelCase, and both its SDK and the platform's client read names ignoring case.
/// </remarks>
public static class JsonShape
{
    /// <summary>
    /// Where <paramref name="actual"/> lacks a property <paramref name="documented"/> has, or holds another kind of value
    /// (string, number, boolean, object, array) — as paths such as <c>links.self.uri: missing</c>. A documented null says
    /// nothing of the kind; every item of an array is compared with the documented first item, and an array Microsoft
    /// shows with items must have items somewhere in <paramref name="actual"/> so that their names are compared at all.
    /// </summary>
    public static IReadOnlyList<string> Missing(JsonElement documented, JsonElement actual)
    {
        var differences = new List<string>();
        var (documentedItems, actualItems) = (new HashSet<string>(), new HashSet<string>());
        Compare(documented, actual, "", differences, documentedItems, actualItems);
        differences.AddRange(documentedItems.Except(actualItems).Order(StringComparer.Ordinal).Select(path => $"{path}: empty where Microsoft's sample has items, so their names cannot be compared"));
        return differences.Distinct().ToList();
    }

    /// <summary>The properties of <paramref name="actual"/> that <paramref name="documented"/> does not have, as paths.</summary>
    public static IReadOnlyList<string> Extra(JsonElement documented, JsonElement actual, string path = "")
    {
        var extra = new List<string>();
        if (documented.ValueKind == JsonValueKind.Object && actual.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in actual.EnumerateObject())
            {
                var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (TryGet(documented, property.Name, out var expected))
                {
                    extra.AddRange(Extra(expected, property.Value, at));
                }
                else
                {
                    extra.Add(at);
                }
            }
        }
        else if (documented.ValueKind == JsonValueKind.Array && actual.ValueKind == JsonValueKind.Array && documented.GetArrayLength() > 0)
        {
            foreach (var item in actual.EnumerateArray())
            {
                extra.AddRange(Extra(documented[0], item, $"{path}[]"));
            }
        }

        return extra.Distinct().ToList();
    }

    private static void Compare(JsonElement documented, JsonElement actual, string path, List<string> differences, HashSet<string> documentedItems, HashSet<string> actualItems)
    {
        if (documented.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (Kind(documented) != Kind(actual))
        {
            differences.Add($"{(path.Length == 0 ? "$" : path)}: {Kind(actual)} where Microsoft's sample has {Kind(documented)}");
            return;
        }

        if (documented.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in documented.EnumerateObject())
            {
                var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (TryGet(actual, property.Name, out var value))
                {
                    Compare(property.Value, value, at, differences, documentedItems, actualItems);
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    differences.Add($"{at}: missing");
                }
            }
        }
        else if (documented.ValueKind == JsonValueKind.Array && documented.GetArrayLength() > 0)
        {
            documentedItems.Add(path);
            foreach (var item in actual.EnumerateArray())
            {
                actualItems.Add(path);
                Compare(documented[0], item, $"{path}[]", differences, documentedItems, actualItems);
            }
        }
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Undefined => "nothing",
        var kind => kind.ToString().ToLowerInvariant(),
    };
}
