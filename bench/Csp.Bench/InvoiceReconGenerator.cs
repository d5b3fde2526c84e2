using Csp.Domain;
using Csp.Domain.Reconciliation;

namespace Csp.Bench;

/// <summary>
/// A seeded month of a large distributor's licence charges, as the shadow invoice expects them: 20,000 customers, each
/// subscription's cycle charge, renewal or purchase, seat changes as refund-and-recharge pairs, and cancellations, priced
/// to the cent by Microsoft's documented rounding. The same seed and size always give the same lines.
/// </summary>
public static class InvoiceReconGenerator
{
    private static readonly (string Id, string Name, decimal Price)[] Products =
    [
        ("CFQ7TTC0LH18", "Microsoft 365 Business Basic", 6.00m), ("CFQ7TTC0LDPB", "Microsoft 365 Business Standard", 12.50m),
        ("CFQ7TTC0LCHC", "Microsoft 365 Business Premium", 22.00m), ("CFQ7TTC0LFLX", "Microsoft 365 E3", 36.00m),
        ("CFQ7TTC0LFLZ", "Microsoft 365 E5", 57.00m), ("CFQ7TTC0LF8R", "Office 365 E1", 10.00m), ("CFQ7TTC0MM8R", "Microsoft 365 Copilot", 30.00m),
    ];

    public static List<ReconLine> Expected(int lines, int seed = 2026)
    {
        var random = new Random(seed);
        var month = new DateOnly(2026, 3, 1);
        var result = new List<ReconLine>(lines);
        for (var i = 0; result.Count < lines; i++)
        {
            // One subscription's month: its cycle charge (or renewal, or purchase), and perhaps a seat change or a cancellation.
            var s = (Id: Guid(random).ToString(), Customer: Customers[i % Customers.Length], Product: Products[i % Products.Length], Day: 1 + (i % 28));
            var start = month.AddDays(s.Day - 1);
            var cycle = new BillingPeriod(start, start.AddMonths(1).AddDays(-1));
            var seats = 1 + random.Next(300);
            var roll = random.Next(100);
            var type = roll switch { < 75 => "cycleCharge", < 88 => "renew", _ => "new" };
            result.Add(Line(result.Count, start, s, type, cycle, cycle, seats, refund: false, Guid(random).ToString()));
            if (random.Next(100) < 30 && result.Count + 2 <= lines)
            {
                var on = start.AddDays(1 + random.Next(cycle.Days - 1));
                var rest = cycle.From(on);
                var change = random.Next(4) == 0 ? "removeQuantity" : "addQuantity";
                var after = change == "addQuantity" ? seats + 1 + random.Next(20) : Math.Max(1, seats - 1 - random.Next(seats));
                var reference = Guid(random).ToString();
                result.Add(Line(result.Count, on, s, change, rest, cycle, seats, refund: true, reference));
                result.Add(Line(result.Count, on, s, change, rest, cycle, after, refund: false, reference));
            }
            else if (roll >= 97 && result.Count < lines)
            {
                var on = start.AddDays(random.Next(7));
                result.Add(Line(result.Count, on, s, "cancelImmediate", cycle.From(on), cycle, seats, refund: true, Guid(random).ToString()));
            }
        }

        return result;
    }

    private static readonly string[] Customers = Enumerable.Range(0, 20_000).Select(i => new Guid(i, 0x4000, unchecked((short)0x8000), new byte[8]).ToString()).ToArray();

    private static readonly IReadOnlyDictionary<string, string> NoOtherColumns = new Dictionary<string, string>();

    private static ReconLine Line(int index, DateOnly orderDate, (string Id, string Customer, (string Id, string Name, decimal Price) Product, int Day) s, string type, BillingPeriod charged, BillingPeriod cycle, int quantity, bool refund, string reference)
    {
        var price = new Money(s.Product.Price, Currency.Eur);
        var effective = price.Amount * charged.Days / cycle.Days;
        var subtotal = (price * charged.Days / cycle.Days).Round(Rounding.InvoiceLine).Amount * quantity;
        return new ReconLine(
            index + 2, orderDate, s.Customer, s.Id, s.Product.Id, "0001", s.Product.Name, type, price.Amount, quantity, quantity,
            refund ? -effective : effective, refund ? -subtotal : subtotal, refund ? -subtotal : subtotal, "EUR", charged.Start, charged.End,
            cycle.Start, cycle.Start.AddYears(1).AddDays(-1), reference, null, NoOtherColumns);
    }

    private static Guid Guid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
