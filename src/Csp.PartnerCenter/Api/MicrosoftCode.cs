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
