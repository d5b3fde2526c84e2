namespace Csp.Domain.Tests;

/// <summary>Dates that read like prose: <c>June(18, 2021)</c>.</summary>
internal static class Dates
{
    public static DateOnly January(int day, int year) => new(year, 1, day);

    public static DateOnly February(int day, int year) => new(year, 2, day);

    public static DateOnly March(int day, int year) => new(year, 3, day);

    public static DateOnly April(int day, int year) => new(year, 4, day);

    public static DateOnly May(int day, int year) => new(year, 5, day);

    public static DateOnly June(int day, int year) => new(year, 6, day);

    public static DateOnly July(int day, int year) => new(year, 7, day);

    public static DateOnly August(int day, int year) => new(year, 8, day);

    public static DateOnly October(int day, int year) => new(year, 10, day);

    public static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
