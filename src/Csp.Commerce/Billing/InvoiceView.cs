using Csp.Data;
using Csp.Domain.Charges;

namespace Csp.Commerce.Billing;

/// <summary>An invoice or credit note as the API shows it; <see cref="Overdue"/> when issued, unpaid and past its due date.</summary>
public sealed record InvoiceView(
    Guid Id,
    Guid PartnerId,
    Guid CustomerId,
    string CustomerName,
    InvoiceKind Kind,
    string Month,
    string Currency,
    InvoiceStatus Status,
    bool Overdue,
    string? Number,
    DateOnly? IssueDate,
    DateOnly? DueDate,
    DateOnly? PaidOn,
    Guid? CorrectsInvoiceId,
    decimal TaxPercent,
    bool ReverseCharge,
    decimal Net,
    decimal Tax,
    decimal Total,
    int LineCount)
{
    public static InvoiceView Of(CustomerInvoice i, string customerName, DateOnly today) => new(
        i.Id, i.PartnerId, i.CustomerId, customerName, i.Kind, $"{i.Month:yyyy-MM}", i.Currency, i.Status, i.Status == InvoiceStatus.Issued && i.DueDate < today, i.Number,
        i.IssueDate, i.DueDate, i.PaidOn, i.CorrectsInvoiceId, i.TaxPercent, i.ReverseCharge, i.Net, i.Tax, i.Total, i.LineCount);
}

/// <summary>
/// One invoice line as the caller may see it. The seller's <see cref="Cost"/> and <see cref="Margin"/> are the caller's own:
/// a reseller sees what it pays its distributor, never Microsoft's price or the distributor's rule; a distributor looking at
/// its reseller's invoice sees Microsoft's cost and the reseller's cost too.
/// </summary>
public sealed record InvoiceLineView(
    Guid Id,
    InvoiceLineKind Kind,
    ChargeType ChargeType,
    string ProductId,
    string SkuId,
    string ProductName,
    string MicrosoftSubscriptionId,
    Guid? SubscriptionId,
    DateOnly OrderDate,
    DateOnly ChargeStartDate,
    DateOnly ChargeEndDate,
    int Quantity,
    int BillableQuantity,
    decimal UnitPrice,
    decimal EffectiveUnitPrice,
    decimal Amount,
    decimal TaxPercent,
    decimal Tax,
    decimal Cost,
    decimal Margin,
    decimal? MicrosoftSubtotal,
    string MicrosoftCurrency,
    decimal? ExchangeRate,
    DateOnly? ExchangeRateDate,
    decimal? ResellerCost,
    string ReferenceId,
    string ChargeKey,
    string Explanation,
    string? DistributorExplanation,
    Guid? ReversesLineId)
{
    /// <summary><paramref name="line"/> as seen by <paramref name="viewerId"/>.</summary>
    public static InvoiceLineView Of(InvoiceLine line, Guid viewerId)
    {
        var resellerOwn = line.ResellerCost is not null && line.PartnerId == viewerId;
        var cost = line.Cost;
        return new InvoiceLineView(
            line.Id, line.Kind, line.ChargeType, line.ProductId, line.SkuId, line.ProductName, line.MicrosoftSubscriptionId, line.SubscriptionId, line.OrderDate, line.ChargeStartDate, line.ChargeEndDate,
            line.Quantity, line.BillableQuantity, line.UnitPrice, line.EffectiveUnitPrice, line.Amount, line.TaxPercent, line.Tax, cost, line.Amount - cost,
            resellerOwn ? null : line.MicrosoftSubtotal, line.MicrosoftCurrency, line.ExchangeRate, line.ExchangeRateDate, line.ResellerCost, line.ReferenceId, line.ChargeKey, line.Explanation, resellerOwn ? null : line.DistributorExplanation, line.ReversesLineId);
    }
}

/// <summary>An invoice with its lines.</summary>
public sealed record InvoiceDetail(InvoiceView Invoice, IReadOnlyList<InvoiceLineView> Lines);
