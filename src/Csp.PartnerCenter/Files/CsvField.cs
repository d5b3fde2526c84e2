using System.Globalization;

namespace Csp.PartnerCenter.Files;

/// <summary>One CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, a quote or a line break.</summary>
public static class CsvField
{
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    /// <summary>
    /// A field for a file people open in a spreadsheet: text beginning with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or
    /// a carriage return is prefixed with an apostrophe, so that the spreadsheet shows it rather than runs it as a formula
    /// (OWASP, "CSV Injection"); a number, a negative one included, is left as it is. Not quoted: see <see cref="Escape"/>.
    /// </summary>
    public static string Neutralize(string field) =>
        field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !decimal.TryParse(field, NumberStyles.Number, CultureInfo.InvariantCulture, out _)
            ? "'" + field
            : field;

    /// <summary>A field of a file for spreadsheets, neutralised and then quoted as needed.</summary>
    public static string ForSpreadsheet(string field) => Escape(Neutralize(field));
}
