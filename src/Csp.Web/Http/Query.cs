using System.Globalization;
using Csp.Domain;

namespace Csp.Web.Http;

/// <summary>
/// Reads query-string values, refusing a bad one with <c>request.invalid_parameter</c> naming the parameter, so
/// a client learns which input was wrong rather than getting an empty 400.
/// </summary>
public static class Query
{
    public const string InvalidParameter = "request.invalid_parameter";

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

    public static Result<DateOnly?> Date(string? raw, string name)
    {
        if (raw is null)
        {
            return (DateOnly?)null;
        }

        return DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : Invalid(name, $"'{raw}' is not a date in the form yyyy-MM-dd.");
    }

    /// <summary>A calendar month written <c>yyyy-MM</c>, as the billing period it is; null when absent.</summary>
    public static Result<BillingPeriod?> Month(string? raw, string name)
    {
        if (raw is null)
        {
            return (BillingPeriod?)null;
        }

        return DateOnly.TryParseExact(raw + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            ? BillingPeriod.Month(first)
            : Invalid(name, $"'{raw}' is not a month in the form yyyy-MM.");
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

/// <summary>One page of a longer list; <see cref="TotalCount"/> counts every item across all pages.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
