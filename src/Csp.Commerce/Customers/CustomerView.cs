using Csp.Data;

namespace Csp.Commerce.Customers;

/// <summary>A customer as the platform shows it.</summary>
/// <param name="CustomerTenantId">Microsoft's customer tenant id.</param>
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
    int SubscriptionCount);

public static class CustomerViews
{
    /// <summary>The projection every customer listing answers with.</summary>
    public static IQueryable<CustomerView> Of(CommerceDb db, IQueryable<Customer> customers) =>
        from c in customers
        join p in db.Partners on c.PartnerId equals p.Id
        select new CustomerView(
            c.Id, c.PartnerId, p.Name, c.CustomerTenantId, c.Name, c.Domain, c.Country, c.Currency,
            db.Subscriptions.Count(s => s.CustomerId == c.Id));
}
