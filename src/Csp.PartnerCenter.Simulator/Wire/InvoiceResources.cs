namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// An invoice as Microsoft's get-invoice-by-id sample writes it: a new commerce invoice is <c>OneTime</c>, its one detail
/// the <c>billing_line_items</c> of the <c>one_time</c> provider, whose link reads its reconciliation line items.
/// </summary>
/// <param name="DocumentType"><c>invoice</c>, in lower case as Microsoft writes it.</param>
public sealed record InvoiceResource(
    string Id,
    DateTimeOffset InvoiceDate,
    DateTimeOffset BillingPeriodStartDate,
    DateTimeOffset BillingPeriodEndDate,
    decimal TotalCharges,
    decimal PaidAmount,
    string CurrencyCode,
    string CurrencySymbol,
    IReadOnlyList<TaxReceiptResource> TaxReceipts,
    IReadOnlyList<InvoiceDetailResource> InvoiceDetails,
    string DocumentType,
    string InvoiceType,
    SelfLinksResource Links,
    AttributesResource Attributes);

public sealed record TaxReceiptResource(string Id, string TaxReceiptPdfDownloadLink);

public sealed record InvoiceDetailResource(string InvoiceLineItemType, string BillingProvider, SelfLinksResource Links, AttributesResource Attributes);

public sealed record InvoicePage(int TotalCount, IReadOnlyList<InvoiceResource> Items, CollectionLinksResource Links, AttributesResource Attributes);
