namespace Csp.Domain.Subscriptions;

/// <summary>
/// How long after a purchase, a renewal or an addition of seats they can still be cancelled or reduced
/// with a prorated refund.
/// </summary>
/// <remarks>
/// Microsoft: "partners can cancel their subscription with a prorated refund within the first seven days of any
/// term", and licences "can be decreased only within the first seven days of when the seats were added …
/// whether it was at the initial purchase, on renewal, or at midterm" (docs/microsoft/lifecycle.md). The window starts
/// at the instant the purchase or renewal completed and is half-open: allowed strictly before
/// <c>start + Window</c>. It is a setting because Microsoft has changed it before (72 hours at launch) and its
/// error texts are parameterised ("{0}-hour cancellation window"). Upgrades have no window.
/// </remarks>
public sealed record CancellationPolicy
{
    public CancellationPolicy(TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be longer than zero.");
        }

        Window = window;
    }

    /// <summary>Seven days, 168 hours: Microsoft's current window for licence-based new-commerce offers.</summary>
    public static CancellationPolicy Default { get; } = new(TimeSpan.FromHours(168));

    public TimeSpan Window { get; }

    /// <summary>The first instant at which something committed at <paramref name="committedAt"/> can no longer be cancelled or reduced.</summary>
    public DateTimeOffset AllowedUntil(DateTimeOffset committedAt) => committedAt + Window;

    /// <summary>Whether, at <paramref name="now"/>, something committed at <paramref name="committedAt"/> can still be cancelled or reduced.</summary>
    public bool IsOpen(DateTimeOffset committedAt, DateTimeOffset now) => now < AllowedUntil(committedAt);

    /// <summary>
    /// The seats that can still be taken away at <paramref name="now"/>, as Partner Center's
    /// <c>refundableQuantity</c>: each addition whose window is open, never more in total than
    /// <paramref name="currentQuantity"/>. Seats removed since are taken from the newest additions first,
    /// since a reduction refunds what was most recently added.
    /// </summary>
    public RefundableQuantity Refundable(IEnumerable<SeatAddition> additions, int currentQuantity, DateTimeOffset now)
    {
        var open = additions
            .Where(a => a.Quantity > 0 && IsOpen(a.AddedAt, now))
            .OrderBy(a => a.AddedAt)
            .Select(a => new RefundableSeats(a.Quantity, AllowedUntil(a.AddedAt)))
            .ToList();

        var excess = open.Sum(d => d.Quantity) - Math.Max(currentQuantity, 0);
        for (var i = open.Count - 1; i >= 0 && excess > 0; i--)
        {
            var taken = Math.Min(open[i].Quantity, excess);
            excess -= taken;
            open[i] = open[i] with { Quantity = open[i].Quantity - taken };
        }

        var details = open.Where(d => d.Quantity > 0).ToList();
        return new RefundableQuantity(details.Sum(d => d.Quantity), details);
    }
}

/// <summary>Seats that became billable at <paramref name="AddedAt"/>: a purchase, a renewal, or a mid-term increase.</summary>
public sealed record SeatAddition(int Quantity, DateTimeOffset AddedAt);

/// <summary>
/// A term's seats by the instant they were added, as the reductions made since leave them — the one account of seats that
/// Partner Center (the simulator), the charge engine and the platform's views all keep, so that they agree on which seats
/// can still be reduced and until when.
/// </summary>
/// <remarks>
/// Each seat has its own window: licences "can be decreased only within the first seven days of when the seats were
/// added … whether it was at the initial purchase, on renewal, or at midterm" (docs/microsoft/lifecycle.md). A reduction takes
/// its seats from the newest additions first — the ones still inside their window, whose refund Microsoft then gives —
/// so 5 seats bought on 1 December and 4 added on 6 December leave, after a reduction of 3 on 7 December, 5 seats
/// reducible until 8 December and 1 until 13 December.
/// </remarks>
public static class SeatAdditions
{
    /// <summary>A number of seats in words: "1 seat", "12 seats".</summary>
    public static string Count(int seats) => seats == 1 ? "1 seat" : $"{seats} seats";

    /// <summary><paramref name="held"/> with <paramref name="seats"/> more added at <paramref name="at"/>.</summary>
    public static IReadOnlyList<SeatAddition> Add(IReadOnlyList<SeatAddition> held, int seats, DateTimeOffset at) =>
        seats <= 0 ? held : [.. held, new SeatAddition(seats, at)];

    /// <summary><paramref name="held"/> with <paramref name="seats"/> taken away, from the newest additions first.</summary>
    public static IReadOnlyList<SeatAddition> Remove(IReadOnlyList<SeatAddition> held, int seats)
    {
        var kept = new List<SeatAddition>();
        foreach (var addition in held.OrderByDescending(a => a.AddedAt))
        {
            var taken = Math.Clamp(seats, 0, addition.Quantity);
            seats -= taken;
            if (addition.Quantity > taken)
            {
                kept.Add(addition with { Quantity = addition.Quantity - taken });
            }
        }

        kept.Reverse();
        return kept;
    }

    /// <summary>
    /// The additions a term's seat counts leave: <paramref name="counts"/> are the seats held from each instant on, in
    /// order, the first being the term's start (its purchase or renewal, when every seat is added).
    /// </summary>
    public static IReadOnlyList<SeatAddition> Replay(IEnumerable<(DateTimeOffset At, int Quantity)> counts)
    {
        IReadOnlyList<SeatAddition> held = [];
        var current = 0;
        foreach (var (at, quantity) in counts)
        {
            held = quantity > current ? Add(held, quantity - current, at) : Remove(held, current - quantity);
            current = quantity;
        }

        return held;
    }
}

/// <summary>Seats that can be reduced until <paramref name="AllowedUntil"/> (exclusive).</summary>
public sealed record RefundableSeats(int Quantity, DateTimeOffset AllowedUntil);

/// <summary>Partner Center's <c>refundableQuantity</c>: how many seats can be reduced now, and until when each can.</summary>
public sealed record RefundableQuantity(int TotalQuantity, IReadOnlyList<RefundableSeats> Details);
