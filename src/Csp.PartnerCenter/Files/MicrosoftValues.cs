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
        if (TryPlainDate(text, out date))
        {
            return true;
        }

        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            date = new DateOnly(value.Year, value.Month, value.Day);
            return true;
        }

        date = default;
        return false;
    }

    /// <summary>
    /// The two forms every file is full of, read without the general parser: <c>M/d/yyyy</c> (one or two digits for
    /// month and day) and <c>yyyy-MM-dd</c>, alone or before a time.
    /// </summary>
    private static bool TryPlainDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        int year, month, day;
        if (text.Length >= 10 && text[4] == '-' && text[7] == '-' && (text.Length == 10 || text[10] == 'T'))
        {
            if (!(Digits(text[..4], out year) && Digits(text[5..7], out month) && Digits(text[8..10], out day)))
            {
                return false;
            }
        }
        else
        {
            var first = text.IndexOf('/');
            var second = first < 0 ? -1 : text[(first + 1)..].IndexOf('/') + first + 1;
            if (first is < 1 or > 2 || second - first is < 2 or > 3 || text.Length != second + 5
                || !(Digits(text[..first], out month) && Digits(text[(first + 1)..second], out day) && Digits(text[(second + 1)..], out year)))
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return text.Length > 0;
    }

    public static bool TryDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        if (TryPlainDecimal(text, out value))
        {
            return true;
        }

        text = text.Trim();
        if (text.StartsWith("'"))
        {
            text = text[1..];
        }

        // No thousands separators: "12,5" must be refused, never read as 125.
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The common case, read without the general parser: an optional minus, up to 18 digits, an optional point. Millions
    /// of usage rows carry two numbers each, so this is on the hot path; anything else falls back to <see cref="decimal.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out decimal)"/>.
    /// </summary>
    private static bool TryPlainDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var start = negative ? 1 : 0;
        if (text.Length - start is 0 or > 19)
        {
            return false;
        }

        ulong mantissa = 0;
        var scale = -1;
        var digits = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                mantissa = unchecked((mantissa * 10) + (ulong)(c - '0'));
                digits++;
                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (c == '.' && scale < 0)
            {
                scale = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits is 0 or > 18 || scale == 0)
        {
            return false;
        }

        value = new decimal(unchecked((int)mantissa), unchecked((int)(mantissa >> 32)), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }
}
