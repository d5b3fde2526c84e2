using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csp.PartnerCenter.Api;

/// <summary>An error code as Microsoft writes it, a number or a string, read as its text; written as a string.</summary>
public sealed class MicrosoftCode : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence) : Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new JsonException($"An error code is a number or a string, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// An instant as Microsoft writes it, with an offset or, as some samples do (custom-term-end-dates), without one: then it is
/// UTC, not the reading machine's local time, which is what a date without an offset would otherwise become.
/// </summary>
public sealed class MicrosoftInstant : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && DateTimeOffset.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new JsonException("An instant is an ISO 8601 date and time, with or without an offset.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
