namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>
/// Microsoft's Agreement (agreement-resources): the customer's acceptance the partner confirms. Its kind is <c>type</c>
/// (<c>MicrosoftCustomerAgreement</c>); <see cref="UserId"/> is the partner's user who confirmed it.
/// </summary>
public sealed record AgreementResource(string? UserId, ContactResource? PrimaryContact, string? TemplateId, DateTimeOffset? DateAgreed, string? Type);

/// <summary>Microsoft's Contact (utility-resources); the phone number is optional.</summary>
public sealed record ContactResource(string? FirstName, string? LastName, string? Email, string? PhoneNumber);

public sealed record AgreementPage(int TotalCount, IReadOnlyList<AgreementResource> Items, AttributesResource Attributes);
