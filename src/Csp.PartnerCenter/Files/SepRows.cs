using System.Globalization;
using System.Text.RegularExpressions;
using nietras.SeparatedValues;

namespace Csp.PartnerCenter.Files;

/// <summary>What every Microsoft CSV reader shares: comma-separated, quoted fields unescaped, headers in any letter case.</summary>
internal static partial class SepRows
{
    private static readonly Sep Comma = new(',');

    public static SepReader Open(TextReader text) =>
        Comma.Reader(o => o with { Unescape = true, ColNameComparer = StringComparer.OrdinalIgnoreCase }).From(text);

    /// <summary>
    /// Writes one row per item with <paramref name="columns"/> in their order, each cell from <paramref name="value"/>; a
    /// file of no items is still its header. <paramref name="forSpreadsheets"/> neutralises text a spreadsheet would run
    /// as a formula (<see cref="CsvField.Neutralize"/>), for a file the platform writes for people rather than as Microsoft's.
    /// </summary>
    public static void Write<T>(IEnumerable<T> items, TextWriter text, IReadOnlyList<string> columns, Func<T, string, string> value, bool forSpreadsheets = false)
    {
        var written = false;
        using (var writer = Comma.Writer(o => o with { Escape = true }).To(text, leaveOpen: true))
        {
            foreach (var item in items)
            {
                using var row = writer.NewRow();
                foreach (var column in columns)
                {
                    row[column].Set(forSpreadsheets ? CsvField.Neutralize(value(item, column)) : value(item, column));
                }

                written = true;
            }
        }

        // Sep writes the header with the first row.
        if (!written)
        {
            text.WriteLine(string.Join(',', columns));
        }
    }

    /// <summary>Moves to the next row; a row whose column count differs from the header's stops the file at that line.</summary>
    public static bool Next(SepReader reader, string fileName)
    {
        try
        {
            return reader.MoveNext();
        }
        catch (InvalidDataException e)
        {
            var line = LineOf().Match(e.Message) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            throw new FileFormatException(new FileError(fileName, line, "(row)", "", $"does not have as many columns as the header: {e.Message.Split('\n')[0]}"));
        }
    }

    /// <summary>The header's names, trimmed, with Microsoft's other spellings mapped to ours.</summary>
    public static string[] Names(SepReader reader, IReadOnlyDictionary<string, string> aliases) =>
        reader.Header.ColNames.Select(n => aliases.GetValueOrDefault(n.Trim(), n.Trim())).ToArray();

    [GeneratedRegex(@"lines \[(\d+)\.\.")]
    private static partial Regex LineOf();
}
