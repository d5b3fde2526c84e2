using System.Globalization;
using Csp.Domain;

namespace Csp.Web.Portal;

/// <summary>
/// A portal form's values as a browser sends them, read strictly: numbers with a point (never a comma or a group
/// separator), dates as yyyy-MM-dd; the refusal names the field.
/// </summary>
public static class FormValue
{
    /// <summary>An amount or a per cent: digits with a point, an optional minus; null when empty.</summary>
    public static Result<decimal?> Amount(string? raw, string field) =>
        string.IsNullOrWhiteSpace(raw) ? (decimal?)null
        : raw.Length <= 20 && decimal.TryParse(raw, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : Error.InvalidParameter(field, $"{field}: a number such as 12.5, not “{raw}”.");

    public static Result<DateOnly> Day(string? raw, string field) =>
        DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : Error.InvalidParameter(field, $"{field}: a date, yyyy-MM-dd.");
}
