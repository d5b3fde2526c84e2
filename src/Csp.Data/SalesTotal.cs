namespace Csp.Data;

/// <summary>What a <see cref="SalesTotal"/> adds up: one customer's lines, or one product's.</summary>
public enum SalesTotalKind
{
    Customer,
    Product,
}

/// <summary>
/// What one seller's invoice lines of one month came to in one currency, for one customer or for one product: kept by every
/// writer of invoice lines in the transaction that adds them (lines are only ever added, never changed or removed), so
/// that the margin report sums a row per customer or per product instead of every line of the month.
/// </summary>
/// <remarks>
/// Two views of the same lines are kept: the seller's (its customers' price against its cost) and, for the lines of a
/// two-tier sale, the distributor's (the reseller's cost against Microsoft's) — the sale as <c>Sales</c> defines it for each.
/// </remarks>
public sealed class SalesTotal
{
    public SalesTotal(Guid partnerId, DateOnly month, SalesTotalKind kind, Guid customerId, string productId, string productName, string currency)
    {
        PartnerId = partnerId;
        Month = month;
        Kind = kind;
        CustomerId = customerId;
        ProductId = productId;
        ProductName = productName;
        Currency = currency;
    }

    /// <summary>The seller: the partner whose invoices hold the lines.</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>The first day of the billing month.</summary>
    public DateOnly Month { get; private set; }

    public SalesTotalKind Kind { get; private set; }

    /// <summary>The customer of a <see cref="SalesTotalKind.Customer"/> total; empty for a product's.</summary>
    public Guid CustomerId { get; private set; }

    /// <summary>The product of a <see cref="SalesTotalKind.Product"/> total; empty for a customer's.</summary>
    public string ProductId { get; private set; }

    /// <summary>The product's name, the greatest of its lines' (they agree but for Microsoft renaming it); empty for a customer's.</summary>
    public string ProductName { get; private set; }

    /// <summary>The invoices' currency (the customer's), of every amount here.</summary>
    public string Currency { get; private set; }

    public int Lines { get; private set; }

    /// <summary>What the customers were charged before tax: the lines' <see cref="InvoiceLine.Amount"/>.</summary>
    public decimal Amount { get; private set; }

    /// <summary>What the lines cost the seller: <see cref="InvoiceLine.Cost"/>.</summary>
    public decimal Cost { get; private set; }

    /// <summary>The lines of a two-tier sale: those the distributor reports as its own sales to the reseller.</summary>
    public int ResoldLines { get; private set; }

    /// <summary>What the reseller paid the distributor for <see cref="ResoldLines"/>: their <see cref="InvoiceLine.ResellerCost"/>.</summary>
    public decimal ResoldRevenue { get; private set; }

    /// <summary>What <see cref="ResoldLines"/> cost the distributor: their <see cref="InvoiceLine.MicrosoftCost"/>.</summary>
    public decimal ResoldCost { get; private set; }

    /// <summary>This total's key for <paramref name="line"/> of the kind asked for.</summary>
    public static (Guid PartnerId, DateOnly Month, SalesTotalKind Kind, Guid CustomerId, string ProductId, string Currency) KeyOf(InvoiceLine line, SalesTotalKind kind) =>
        (line.PartnerId, line.Month, kind, kind == SalesTotalKind.Customer ? line.CustomerId : Guid.Empty, kind == SalesTotalKind.Product ? line.ProductId : "", line.Currency);

    public (Guid PartnerId, DateOnly Month, SalesTotalKind Kind, Guid CustomerId, string ProductId, string Currency) Key => (PartnerId, Month, Kind, CustomerId, ProductId, Currency);

    /// <summary>A total of one line: the first of its key.</summary>
    public static SalesTotal Of(InvoiceLine line, SalesTotalKind kind)
    {
        var key = KeyOf(line, kind);
        var total = new SalesTotal(key.PartnerId, key.Month, kind, key.CustomerId, key.ProductId, kind == SalesTotalKind.Product ? line.ProductName : "", key.Currency);
        total.Count(line);
        return total;
    }

    /// <summary>Counts one more line of this total's key.</summary>
    public void Count(InvoiceLine line)
    {
        if (KeyOf(line, Kind) != Key)
        {
            throw new InvalidOperationException($"Line {line.Id} is not of the total {Key}.");
        }

        Lines++;
        Amount += line.Amount;
        Cost += line.Cost;
        if (line.ResellerCost is { } resellerCost)
        {
            ResoldLines++;
            ResoldRevenue += resellerCost;
            ResoldCost += line.MicrosoftCost;
        }

        if (Kind == SalesTotalKind.Product && string.CompareOrdinal(line.ProductName, ProductName) > 0)
        {
            ProductName = line.ProductName;
        }
    }
}
