namespace Csp.Domain;

/// <summary>The one place an instant becomes a date: Microsoft's billing day, or the partner's day.</summary>
/// <remarks>
/// <para>
/// <b>Microsoft's billing day</b> is the UTC date (<see cref="MicrosoftDay"/>). Microsoft dates everything it bills in
/// UTC: terms, charge cycles, renewals, the dates of the reconciliation files and of the APIs
/// (<c>2026-11-01T00:00:00Z</c>). Every date the NCE rules, the charge engine, the shadow invoice, reconciliation and
/// sync compare with Microsoft's is a Microsoft billing day, and so is "today" wherever it is set against them (the
/// current charge cycle, an action's preview, the renewals due).
/// </para>
/// <para>
/// <b>The partner's day</b> is the date in the partner's own time zone (<see cref="PartnerDay"/>): 00:30 on June 20 in
/// Berlin is still June 19 in UTC. It is for what the partner's people and customers see as their day — the demo's
/// calendar, and the partner's own invoices to its customers — never for a date compared with Microsoft's.
/// </para>
/// <para>
/// Windows (the 168 hours to cancel or reduce seats) are instants, not days: <see cref="Subscriptions.NceRules"/>.
/// </para>
/// </remarks>
public static class BillingClock
{
    /// <summary>The first day the platform works with: long before any new-commerce subscription.</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);

    /// <summary>The last day the platform works with: long after any term bought today ends.</summary>
    public static readonly DateOnly LatestDate = new(2199, 12, 31);

    /// <summary>Microsoft's billing day of <paramref name="instant"/>: its date in UTC.</summary>
    public static DateOnly MicrosoftDay(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, utc.Day);
    }

    /// <summary>Microsoft's billing day now.</summary>
    public static DateOnly MicrosoftToday(TimeProvider time) => MicrosoftDay(time.GetUtcNow());

    /// <summary>The partner's day of <paramref name="instant"/>: its date in <paramref name="zoneId"/> (IANA, e.g. <c>Europe/Berlin</c>); UTC when null or empty.</summary>
    public static DateOnly PartnerDay(DateTimeOffset instant, string? zoneId)
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
