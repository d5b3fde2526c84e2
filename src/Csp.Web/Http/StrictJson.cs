using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Csp.Domain;

namespace Csp.Web.Http;

/// <summary>
/// How the API reads a JSON body: strictly. An enum is one of its names and nothing else (no number, no list of names);
/// a number is a JSON number, never a string; a field given twice, a field the request does not have, a null where a
/// value is needed and a required field left out are all refused — each a 400 <c>request.malformed</c> naming the field
/// (<see cref="Describe"/>), never a value silently defaulted.
/// </summary>
public static partial class StrictJson
{
    /// <summary>The longest text any field of a request may hold; fields with a shorter limit of their own say so.</summary>
    public const int MaxTextLength = 1000;

    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new EnumByName());
        options.Converters.Add(new PlainText());
        options.Converters.Add(new Day());
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
    }

    /// <summary>
    /// What is wrong with a body read as <paramref name="body"/>, in words a client can act on, and the JSON path of the
    /// field at fault: <c>$.choice</c>, <c>$.renewal.quantity</c>, or <c>$</c> for the body as a whole.
    /// </summary>
    public static (string Parameter, string Message) Describe(JsonException e, Type? body)
    {
        var path = e.Path ?? "$";
        var at = $"(line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
        if (e.InnerException is { } reader && reader.GetType().Name == "JsonReaderException")
        {
            return ("$", $"The body is not valid JSON {at}: {FirstSentence(reader.Message)}");
        }

        var message = e.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = Quoted().Matches(missing.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
            var field = Join(path, names.FirstOrDefault() ?? "");
            return (field, $"{field} is required{(names.Count > 1 ? $" (and {string.Join(", ", names.Skip(1).Select(n => Join(path, n)))})" : "")}: it has no default.");
        }

        if (Unmapped().Match(message) is { Success: true } unknown)
        {
            var known = TypeAt(body, Parent(path)) is { } type ? Fields(type) : [];
            return (path, $"{path} is not a field of this request{(known.Count > 0 ? $"; it takes {string.Join(", ", known)}" : "")}.");
        }

        if (message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return (path, $"{path} is given more than once: give each field once.");
        }

        var expected = TypeAt(body, path) is { } target ? Expected(target) : null;
        if (message.StartsWith("is ", StringComparison.Ordinal) || message.StartsWith("holds ", StringComparison.Ordinal))
        {
            // The platform's own converters say what is wrong, as the rest of a sentence about the field.
            return (path, $"{path} {message}");
        }

        return (path, expected is null
            ? $"{path} does not hold a value this request can take {at}."
            : $"{path} must be {expected} {at}.");
    }

    /// <summary>The type of the value at <paramref name="path"/> (<c>$.a.b[0].c</c>) in <paramref name="root"/>, or null when it cannot be told.</summary>
    public static Type? TypeAt(Type? root, string path)
    {
        var type = root;
        foreach (var segment in PathSegments().Matches(path).Select(m => m.Value))
        {
            if (type is null)
            {
                return null;
            }

            type = segment.StartsWith('[') ? ElementOf(type) : Property(type, segment.TrimStart('.'))?.PropertyType;
        }

        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    /// <summary>What a value of <paramref name="type"/> is written as, for a message: "a whole number", "one of renew, cancel, est".</summary>
    public static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type.IsEnum => $"one of {string.Join(", ", EnumByName.NamesOf(type))}",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(decimal) || type == typeof(double) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(DateOnly) => "a date written yyyy-MM-dd",
            _ when type == typeof(DateTimeOffset) => "an instant in ISO 8601 with its offset",
            _ when type == typeof(Guid) => "an id (a UUID)",
            _ when ElementOf(type) is { } element => $"an array of {Expected(element)}s".Replace("ss", "s", StringComparison.Ordinal),
            _ => $"an object with {string.Join(", ", Fields(type))}",
        };
    }

    private static List<string> Fields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.DeclaringType != typeof(object) && p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList();

    private static PropertyInfo? Property(Type type, string name) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name).Equals(name, StringComparison.OrdinalIgnoreCase));

    private static Type? ElementOf(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            ?? (typeof(IEnumerable).IsAssignableFrom(type) ? typeof(object) : null);

    private static string Parent(string path) => path.LastIndexOfAny(['.', '[']) is > 0 and var end ? path[..end] : "$";

    private static string Join(string path, string name) => name.Length == 0 ? path : $"{path}.{name}";

    private static string FirstSentence(string text) => text.IndexOf(". ", StringComparison.Ordinal) is > 0 and var end ? text[..(end + 1)] : text;

    [GeneratedRegex(@"missing required properties including: (.*)\.$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^The JSON property '.*' could not be mapped to any \.NET member")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"\.[^.\[]+|\[[^\]]*\]")]
    private static partial Regex PathSegments();

    /// <summary>Text in a request: at most <see cref="MaxTextLength"/> characters, and no control characters (a NUL, a BEL, a line break).</summary>
    private sealed class PlainText : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString()!;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new JsonException("is empty: give a value, or leave an optional field out.");
            }

            if (text.Length > MaxTextLength)
            {
                throw new JsonException($"is text of {text.Length:N0} characters: at most {MaxTextLength:N0}.");
            }

            return text.Any(char.IsControl) ? throw new JsonException("holds a control character: text fields take none.") : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>A day written <c>yyyy-MM-dd</c>, within the dates the platform works with (<see cref="BillingClock.EarliestDate"/> to <see cref="BillingClock.LatestDate"/>).</summary>
    private sealed class Day : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                throw new JsonException("is not a date written yyyy-MM-dd.");
            }

            return day >= BillingClock.EarliestDate && day <= BillingClock.LatestDate
                ? day
                : throw new JsonException($"is outside the dates the platform works with, {BillingClock.EarliestDate:yyyy-MM-dd} to {BillingClock.LatestDate:yyyy-MM-dd}.");
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every enum as exactly one of its names in camelCase (compared without regard to case): no number, no list of names, no spaces.</summary>
    private sealed class EnumByName : JsonConverterFactory
    {
        private const string Refusal = "is not one of the names: ";

        public static IEnumerable<string> NamesOf(Type type) => Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName);

        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Of<>).MakeGenericType(typeToConvert))!;

        private sealed class Of<TEnum> : JsonConverter<TEnum>
            where TEnum : struct, Enum
        {
            private static readonly (string Name, TEnum Value)[] Names =
                [.. Enum.GetValues<TEnum>().Select(v => (JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), v))];

            public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                Parse(reader.TokenType == JsonTokenType.String ? reader.GetString() : null);

            public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(NameOf(value));

            public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

            public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WritePropertyName(NameOf(value));

            private static TEnum Parse(string? text)
            {
                foreach (var (name, value) in Names)
                {
                    if (name.Equals(text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                throw new JsonException($"{Refusal}{string.Join(", ", Names.Select(n => n.Name))}.");
            }

            private static string NameOf(TEnum value) => Names.FirstOrDefault(n => EqualityComparer<TEnum>.Default.Equals(n.Value, value)).Name ?? value.ToString();
        }
    }
}
