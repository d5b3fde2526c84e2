namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// Microsoft's Agreement (agreement-resources): the customer's acceptance the partner confirms. Its kind is <c>type</c>
/// (<c>MicrosoftCustomerAgreement</c>); <see cref="UserId"/> is the partner's user who confirmed it.
/// </summary>
/// <param name="AgreementLink">Where the agreement's text is, as Microsoft's list of agreements gives it.</param>
public sealed record AgreementResource(string? UserId, ContactResource? PrimaryContact, string? TemplateId, DateTimeOffset? DateAgreed, string? Type, string? AgreementLink = null);

/// <summary>Microsoft's Contact (utility-resources); the phone number is optional.</summary>
public sealed record ContactResource(string? FirstName, string? LastName, string? Email, string? PhoneNumber);

/// <summary>The list as get-confirmation-of-customer-agreement's sample writes it: the items and how many.</summary>
public sealed record AgreementPage(int TotalCount, IReadOnlyList<AgreementResource> Items);
