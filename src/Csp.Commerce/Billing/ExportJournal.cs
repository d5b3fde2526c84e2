using System.Globalization;
using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Csp.Commerce.Billing;

/// <summary>One journal row: a month's revenue, cost, tax and margin of one customer and product, in one currency.</summary>
public sealed record JournalRow(string Month, Guid CustomerId, string CustomerName, string ProductId, string ProductName, string Currency, decimal Revenue, decimal Cost, decimal Tax, decimal Margin);

/// <summary>
/// The accounting journal of a range of months for the caller's books: its sales (<see cref="Sales"/>) on issued and paid
/// invoices and credit notes — never drafts — summed per month, customer, product and currency, as CSV or XLSX.
/// </summary>
public static class ExportJournal
{
    public static readonly string[] Columns = ["Month", "CustomerId", "CustomerName", "ProductId", "ProductName", "Currency", "Revenue", "Cost", "Tax", "Margin"];

    public static async Task<Result<List<JournalRow>>> RunAsync(CommerceDb db, Guid viewerId, BillingPeriod from, BillingPeriod to, CancellationToken cancellationToken)
    {
        if (to.Start < from.Start || from.Start.AddMonths(GetMargins.MaxMonths) <= to.Start)
        {
            return Error.InvalidParameter("to", $"to: a month from 'from' to {GetMargins.MaxMonths} months after it.");
        }

        var sales = await Sales.OfAsync(db, viewerId, from.Start, to.Start, issuedOnly: true, cancellationToken);
        var customerIds = sales.Select(s => s.CustomerId).Distinct().ToList();
        var names = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return sales
            .GroupBy(s => (s.Month, s.CustomerId, s.ProductId, s.Currency))
            .Select(g => new JournalRow(
                g.Key.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), g.Key.CustomerId, names.GetValueOrDefault(g.Key.CustomerId, ""), g.Key.ProductId, g.First().ProductName, g.Key.Currency,
                g.Sum(s => s.Revenue), g.Sum(s => s.Cost), g.Sum(s => s.Tax), g.Sum(s => s.Revenue - s.Cost)))
            .OrderBy(r => r.Month, StringComparer.Ordinal).ThenBy(r => r.CustomerName, StringComparer.Ordinal).ThenBy(r => r.ProductId, StringComparer.Ordinal).ThenBy(r => r.Currency, StringComparer.Ordinal)
            .ToList();
    }

    public static byte[] Csv(IEnumerable<JournalRow> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).To(text))
        {
            foreach (var r in rows)
            {
                using var row = writer.NewRow();
                string[] values =
                [
                    r.Month, r.CustomerId.ToString(), r.CustomerName, r.ProductId, r.ProductName, r.Currency,
                    r.Revenue.ToString(CultureInfo.InvariantCulture), r.Cost.ToString(CultureInfo.InvariantCulture), r.Tax.ToString(CultureInfo.InvariantCulture), r.Margin.ToString(CultureInfo.InvariantCulture),
                ];
                for (var i = 0; i < Columns.Length; i++)
                {
                    row[Columns[i]].Set(values[i]);
                }
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Xlsx(IEnumerable<JournalRow> rows)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows.Select(r => new Dictionary<string, object>
        {
            ["Month"] = r.Month,
            ["CustomerId"] = r.CustomerId.ToString(),
            ["CustomerName"] = r.CustomerName,
            ["ProductId"] = r.ProductId,
            ["ProductName"] = r.ProductName,
            ["Currency"] = r.Currency,
            ["Revenue"] = r.Revenue,
            ["Cost"] = r.Cost,
            ["Tax"] = r.Tax,
            ["Margin"] = r.Margin,
        }), sheetName: "Journal");
        return stream.ToArray();
    }
}
