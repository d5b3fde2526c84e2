namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// Microsoft's Customer resource as the simulator writes it: every field of the samples of "Create a customer" and "Get a
/// customer by ID". <see cref="UserCredentials"/> (the new tenant's first administrator) only in the answer to the creation;
/// no <see cref="BillingProfile"/> in a list of customers, as Microsoft lists them.
/// </summary>
public sealed record CustomerResource(
    string Id,
    string CommerceId,
    CompanyProfileResource CompanyProfile,
    BillingProfileResource? BillingProfile,
    string RelationshipToPartner,
    bool AllowDelegatedAccess,
    IReadOnlyList<string> CustomDomains,
    bool EnableGDAPByDefault,
    SelfLinksResource Links,
    AttributesResource Attributes,
    UserCredentialsResource? UserCredentials = null);

public sealed record CompanyProfileResource(string TenantId, string Domain, string CompanyName, AddressResource Address, string Email, SelfLinksResource Links, AttributesResource Attributes);

/// <param name="Currency">Not in Microsoft's resource: the customer's market currency, which the simulator adds (conformance.md).</param>
public sealed record BillingProfileResource(
    string Id, string FirstName, string LastName, string Email, string Culture, string Language, string CompanyName, string Currency, AddressResource DefaultAddress, SelfLinksResource Links, AttributesResource Attributes);

/// <summary>Microsoft's Address (utility-resources): the fields not given are empty, as Microsoft's samples show them.</summary>
public sealed record AddressResource(
    string Country, string Region, string City, string State, string AddressLine1, string? AddressLine2, string PostalCode, string FirstName, string LastName, string PhoneNumber);

public sealed record SelfLinksResource(LinkResource Self);

public sealed record UserCredentialsResource(string UserName, string Password);

/// <summary>A page of customers; <c>links.next</c> carries the continuation token when more follow.</summary>
public sealed record CustomerPage(int TotalCount, IReadOnlyList<CustomerResource> Items, CustomerPageLinks Links, AttributesResource Attributes);

public sealed record CustomerPageLinks(LinkResource Self, LinkResource? Next = null);

/// <summary>The body of <c>POST /v1/customers</c> as Microsoft documents it (read ignoring the names' case, as its samples mix them).</summary>
public sealed record CustomerRequest(CompanyProfileRequest? CompanyProfile, BillingProfileRequest? BillingProfile, bool? EnableGDAPByDefault);

public sealed record CompanyProfileRequest(string? Domain, string? CompanyName, string? OrganizationRegistrationNumber);

public sealed record BillingProfileRequest(string? Culture, string? Language, string? Email, string? CompanyName, string? Currency, AddressRequest? DefaultAddress);

public sealed record AddressRequest(
    string? Country, string? Region, string? City, string? State, string? AddressLine1, string? AddressLine2, string? PostalCode, string? FirstName, string? LastName, string? PhoneNumber);
