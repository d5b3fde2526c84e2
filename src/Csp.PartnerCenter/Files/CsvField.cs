namespace Csp.PartnerCenter.Files;

/// <summary>One CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, a quote or a line break.</summary>
public static class CsvField
{
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
