namespace Csp.Web.Features.Customers;

/// <summary>A customer as the API shows it.</summary>
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
