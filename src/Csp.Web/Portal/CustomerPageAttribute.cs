namespace Csp.Web.Portal;

/// <summary>
/// Marks a page of the customer portal: only a customer's user reaches it (anyone else gets 404), and at a reseller's portal
/// host only that reseller's customers' users do. Also set on the customer portal's files (an invoice's PDF) as metadata.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CustomerPageAttribute : Attribute;
