using System.Globalization;

namespace Csp.PartnerCenter.Files;

/// <summary>
/// How Microsoft writes values in its files, read with the invariant culture: dates as <c>M/d/yyyy</c> (the file
/// documentation, <c>10/3/2020</c>), ISO 8601 dates and date-times (the API: <c>2019-08-02T00:00:00</c>,
/// <c>2021-05-20T18:30:06.6045692Z</c>); numbers with <c>.</c>, optionally behind the apostrophe spreadsheets are
/// guarded with. A date-time is read as the calendar date it names; Microsoft writes them in UTC.
/// </summary>
public static class MicrosoftValues
{
    private static readonly string[] DateFormats =
    [
        "M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt",
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss",
    ];

    public static bool TryDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            date = new DateOnly(value.Year, value.Month, value.Day);
            return true;
        }

        date = default;
        return false;
    }

    public static bool TryDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        text = text.Trim();
        if (text.StartsWith("'"))
        {
            text = text[1..];
        }

        return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryInteger(ReadOnlySpan<char> text, out int value)
    {
        if (TryDecimal(text, out var number) && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)number;
            return true;
        }

        value = 0;
        return false;
    }
}
