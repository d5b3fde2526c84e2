using System.Globalization;

namespace Csp.Domain;

/// <summary>A run of whole calendar days. <see cref="Start"/> and <see cref="End"/> are both included.</summary>
/// <remarks>
/// Both ends are inclusive because that is how Microsoft's reconciliation files write a charge
/// (ChargeStartDate 0:00 to ChargeEndDate 23:59): June 18 to July 17 is 30 days. A period has no
/// time zone; an instant becomes a date once, in the partner's billing zone (see <see cref="BillingClock"/>).
/// <c>default(BillingPeriod)</c> is the single day 0001-01-01.
/// </remarks>
public readonly record struct BillingPeriod
{
    public BillingPeriod(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException($"End {end:O} is before start {start:O}.", nameof(end));
        }

        Start = start;
        End = end;
    }

    public DateOnly Start { get; }

    public DateOnly End { get; }

    /// <summary>
    /// The calendar month <paramref name="date"/> falls in: Microsoft's billing period, and the charge period of a daily
    /// usage row.
    /// </summary>
    public static BillingPeriod Month(DateOnly date)
    {
        var first = new DateOnly(date.Year, date.Month, 1);
        return new BillingPeriod(first, first.AddMonths(1).AddDays(-1));
    }

    /// <summary>The number of days in the period; always at least 1, because the end day counts.</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(DateOnly date) => Start <= date && date <= End;

    /// <summary>The rest of this period, from <paramref name="date"/> to <see cref="End"/>.</summary>
    public BillingPeriod From(DateOnly date) =>
        Contains(date)
            ? new BillingPeriod(date, End)
            : throw new ArgumentOutOfRangeException(nameof(date), date, $"Not within {this}.");

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{Start:O}, {End:O}]");
}
