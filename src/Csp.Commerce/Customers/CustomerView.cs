using Csp.Data;

namespace Csp.Commerce.Customers;

/// <summary>A customer as the platform shows it.</summary>
/// <param name="CustomerTenantId">Microsoft's customer tenant id.</param>
/// <param name="Currency">Microsoft's currency for the customer's market.</param>
/// <param name="InvoiceCurrency">The currency the customer is invoiced in: Microsoft's unless another was set.</param>
/// <param name="TaxId">The customer's VAT number, when it gave one.</param>
/// <param name="ReverseCharge">Whether the reverse-charge rule applies: its invoices carry no tax.</param>
/// <param name="SubscriptionCount">Subscriptions of any status.</param>
public sealed record CustomerView(
    Guid Id,
    Guid PartnerId,
    string PartnerName,
    Guid CustomerTenantId,
    string Name,
    string Domain,
    string Country,
    string Currency,
    string InvoiceCurrency,
    string? TaxId,
    bool ReverseCharge,
    int SubscriptionCount);

public static class CustomerViews
{
    /// <summary>The projection every customer listing answers with.</summary>
    public static IQueryable<CustomerView> Of(CommerceDb db, IQueryable<Customer> customers) =>
        from c in customers
        join p in db.Partners on c.PartnerId equals p.Id
        select new CustomerView(
            c.Id, c.PartnerId, p.Name, c.CustomerTenantId, c.Name, c.Domain, c.Country, c.Currency, c.InvoiceCurrency ?? c.Currency, c.TaxId, c.ReverseCharge,
            db.Subscriptions.Count(s => s.CustomerId == c.Id));
}
