namespace Csp.Domain;

/// <summary>The one place an instant becomes a business date.</summary>
/// <remarks>
/// A partner bills in its own time zone: 00:30 on June 20 in Berlin is still June 19 in UTC, and a charge
/// made then is a June 20 charge. The zone is an IANA id; it falls back partner → platform → UTC, and the
/// caller passes the first one that is set.
/// </remarks>
public static class BillingClock
{
    /// <summary>The date it is now in <paramref name="zoneId"/> (IANA, e.g. <c>Europe/Berlin</c>); UTC when null or empty.</summary>
    public static DateOnly Today(TimeProvider time, string? zoneId) => DateIn(time.GetUtcNow(), zoneId);

    /// <summary>The calendar date of <paramref name="instant"/> in <paramref name="zoneId"/>; UTC when null or empty.</summary>
    public static DateOnly DateIn(DateTimeOffset instant, string? zoneId)
    {
        var zone = string.IsNullOrEmpty(zoneId) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return new DateOnly(local.Year, local.Month, local.Day);
    }

    /// <summary>The UTC instant a billing day starts, as Microsoft's files and APIs write a date (<c>2026-11-01T00:00:00Z</c>).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Whether <paramref name="zoneId"/> names a time zone this machine knows.</summary>

    public static bool IsKnownZone(string zoneId) => TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out _);
}
