using System.Globalization;
using Csp.Domain;

namespace Csp.Web.Http;

/// <summary>
/// Reads query-string values, refusing a bad one with <c>request.invalid_parameter</c> naming the parameter, so
/// a client learns which input was wrong rather than getting an empty 400.
/// </summary>
public static class Query
{
    public const string InvalidParameter = Error.InvalidParameterCode;

    /// <summary>The highest page number a list takes: a million pages of the largest page size still count within an int.</summary>
    public const int MaxPage = 1_000_000;

    public static Result<int> WholeNumber(string? raw, string name, int fallback, int min, int max)
    {
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : Invalid(name, $"'{raw}' is not a whole number from {min} to {max}.");
    }

    /// <summary>A whole number of at least 1 and at most <see cref="long.MaxValue"/>: an id to page from; null when absent.</summary>
    public static Result<long?> Position(string? raw, string name)
    {
        if (raw is null)
        {
            return (long?)null;
        }

        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : Invalid(name, $"'{raw}' is not an id (a whole number from 1).");
    }

    /// <summary><c>true</c> or <c>false</c>; null when absent.</summary>
    public static Result<bool?> Boolean(string? raw, string name)
    {
        if (raw is null)
        {
            return (bool?)null;
        }

        return bool.TryParse(raw, out var value) && raw.Trim().Length == raw.Length ? value : Invalid(name, $"'{raw}' is not true or false.");
    }

    public static Result<DateOnly?> Date(string? raw, string name)
    {
        if (raw is null)
        {
            return (DateOnly?)null;
        }

        if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Invalid(name, $"'{raw}' is not a date in the form yyyy-MM-dd.");
        }

        return date >= BillingClock.EarliestDate && date <= BillingClock.LatestDate ? date : Invalid(name, $"{raw} is outside the dates the platform works with, {BillingClock.EarliestDate:yyyy-MM-dd} to {BillingClock.LatestDate:yyyy-MM-dd}.");
    }

    /// <summary>An id (a GUID); null when absent.</summary>
    public static Result<Guid?> Id(string? raw, string name) =>
        raw is null ? (Guid?)null : Guid.TryParse(raw, out var id) ? id : Invalid(name, $"'{raw}' is not an id (a GUID).");

    /// <summary>A month <c>yyyy-MM</c> that must be given.</summary>
    public static Result<BillingPeriod> RequiredMonth(string? raw, string name) =>
        Month(raw, name) switch
        {
            { IsSuccess: false } bad => bad.Error,
            { Value: { } month } => month,
            _ => Invalid(name, $"Query parameter '{name}': a billing month yyyy-MM is required."),
        };

    /// <summary>A calendar month written <c>yyyy-MM</c>, as the billing period it is; null when absent.</summary>
    public static Result<BillingPeriod?> Month(string? raw, string name)
    {
        if (raw is null)
        {
            return (BillingPeriod?)null;
        }

        if (!DateOnly.TryParseExact(raw + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return Invalid(name, $"'{raw}' is not a month in the form yyyy-MM.");
        }

        return first >= BillingClock.EarliestDate && first <= BillingClock.LatestDate
            ? BillingPeriod.Month(first)
            : Invalid(name, $"{raw} is outside the months the platform works with, {BillingClock.EarliestDate:yyyy-MM} to {BillingClock.LatestDate:yyyy-MM}.");
    }

    /// <summary>A market (2 letters) or currency (3 letters) code, in upper case; null when absent.</summary>
    public static Result<string?> Code(string? raw, string name, int length) =>
        raw is null ? (Result<string?>)(string?)null
        : raw.Length == length && raw.All(char.IsAsciiLetter) ? raw.ToUpperInvariant()
        : Invalid(name, length == 2 ? "an ISO 3166-1 alpha-2 market, e.g. GB." : "an ISO 4217 currency, e.g. EUR.");

    /// <summary>A Microsoft product id (letters and digits, e.g. CFQ7TTC0LDPB); null when absent.</summary>
    public static Result<string?> ProductId(string? raw, string name) =>
        raw is null || (raw.Length <= 16 && raw.All(char.IsAsciiLetterOrDigit))
            ? (Result<string?>)raw
            : Invalid(name, "a Microsoft product id, e.g. CFQ7TTC0LDPB.");

    /// <summary>
    /// The name a file was uploaded under, without any folder it names: at most 200 characters, no control characters;
    /// <paramref name="fallback"/> when absent.
    /// </summary>
    public static Result<string> FileName(string? raw, string name, string fallback)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        var file = System.IO.Path.GetFileName(raw.Replace('\\', '/'));
        return file.Length is > 0 and <= 200 && !file.Any(char.IsControl)
            ? file
            : Invalid(name, "a file name of 1 to 200 characters, without control characters.");
    }

    /// <summary>One of <typeparamref name="TEnum"/>'s names in camelCase (compared without regard to case) and nothing else; null when absent.</summary>
    public static Result<TEnum?> Name<TEnum>(string? raw, string name)
        where TEnum : struct, Enum
    {
        if (raw is null)
        {
            return (TEnum?)null;
        }

        var names = Enum.GetValues<TEnum>().Select(v => (Name: System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), Value: v)).ToList();
        return names.FirstOrDefault(n => n.Name.Equals(raw, StringComparison.OrdinalIgnoreCase)) is { Name: not null } found
            ? found.Value
            : Invalid(name, $"'{raw}' is not one of {string.Join(", ", names.Select(n => n.Name))}.");
    }

    /// <summary>One of <paramref name="allowed"/>, compared without regard to case; <paramref name="fallback"/> when absent.</summary>
    public static Result<string> OneOf(string? raw, string name, string fallback, params string[] allowed)
    {
        if (raw is null)
        {
            return fallback;
        }

        var match = allowed.FirstOrDefault(a => a.Equals(raw, StringComparison.OrdinalIgnoreCase));
        return match is not null ? match : Invalid(name, $"'{raw}' is not one of {string.Join(", ", allowed)}.");
    }

    private static Error Invalid(string name, string problem) =>
        new(InvalidParameter, $"Query parameter '{name}': {problem}", ErrorKind.Invalid, name);
}
