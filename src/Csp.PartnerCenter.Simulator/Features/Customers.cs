using System.Globalization;
using System.Text.Json;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.EntityFrameworkCore;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary><c>/v1/customers</c>: create, get, list in pages with a continuation token, and the customer's agreements.</summary>
public static class Customers
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/customers", CreateAsync);
        v1.MapGet("/customers", ListAsync);
        v1.MapGet("/customers/{customerId:guid}", GetAsync);
        v1.MapPost("/customers/{customerId:guid}/agreements", AcceptAgreementAsync);
        v1.MapGet("/customers/{customerId:guid}/agreements", ListAgreementsAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, SimulatorDb db, SimulatorClock clock, CancellationToken cancellationToken)
    {
        var customer = await request.ReadFromJsonAsync(SimulatorJson.Default.CustomerRequest, cancellationToken);
        if (customer?.CompanyProfile is not { Domain.Length: > 0 } profile || customer.BillingProfile?.DefaultAddress?.Country is not { Length: 2 } country
            || Culture(customer.BillingProfile.Culture) is not { } culture)
        {
            return MicrosoftErrors.InvalidInput("companyProfile.domain, billingProfile.culture (such as en-US) and billingProfile.defaultAddress.country (two letters) are required.");
        }

        if (await db.Customers.AnyAsync(c => c.Domain == profile.Domain, cancellationToken))
        {
            return MicrosoftErrors.Error(StatusCodes.Status409Conflict, 600000, $"The domain {profile.Domain} is already in use.");
        }

        var billing = customer.BillingProfile;
        var given = billing.DefaultAddress;
        var address = new AddressResource(
            country.ToUpperInvariant(), given.Region ?? given.State ?? "", given.City ?? "", given.State ?? "", given.AddressLine1 ?? "", given.AddressLine2, given.PostalCode ?? "",
            given.FirstName ?? "", given.LastName ?? "", given.PhoneNumber ?? "");
        var created = new SimCustomer
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            CompanyName = billing.CompanyName ?? profile.CompanyName ?? profile.Domain,
            Domain = profile.Domain,
            Country = address.Country,
            Currency = billing.Currency ?? SimulatorCatalog.Markets.FirstOrDefault(m => m.Market.Equals(country, StringComparison.OrdinalIgnoreCase)).Currency ?? "USD",
            Culture = culture,
            Language = billing.Language is { Length: 2 } language ? language.ToLowerInvariant() : culture[..2],
            Email = billing.Email ?? "",
            AddressJson = JsonSerializer.Serialize(address, SimulatorJson.Default.AddressResource),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Customers.Add(created);
        AuditRecords.Add(db, created, "customer", "add_customer", created.CreatedAt, null, View(created), SimulatorJson.Default.CustomerResource);
        await db.SaveChangesAsync(cancellationToken);

        // The new tenant's first administrator, shown once, as Microsoft's answer shows it.
        var credentials = new UserCredentialsResource("admin", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9)));
        return TypedResults.Json(View(created) with { UserCredentials = credentials }, SimulatorJson.Default.CustomerResource, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>A culture as Microsoft returns it: <c>EN-US</c> and <c>en-us</c> are <c>en-US</c>; null when it is not one.</summary>
    private static string? Culture(string? text)
    {
        try
        {
            return text is { Length: >= 2 } && CultureInfo.GetCultureInfo(text, predefinedOnly: true) is { Name.Length: >= 2 } known ? known.Name : null;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    private static async Task<IResult> GetAsync(Guid customerId, SimulatorDb db, CancellationToken cancellationToken) =>
        await db.Customers.FindAsync([customerId], cancellationToken) is { } customer
            ? TypedResults.Json(View(customer), SimulatorJson.Default.CustomerResource)
            : MicrosoftErrors.NotFound($"Customer {customerId}");

    /// <summary>
    /// A page of customers, oldest first. The next page is asked with <c>seekOperation=Next</c> and the token of the
    /// previous page's <c>links.next</c> in the <c>MS-ContinuationToken</c> header, as Microsoft pages.
    /// </summary>
    private static async Task<IResult> ListAsync(int? size, string? seekOperation, HttpRequest request, SimulatorDb db, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(size ?? 500, 1, 500);
        if (!ContinuationToken.TrySkip(seekOperation, request, out var skip))
        {
            return MicrosoftErrors.InvalidInput("seekOperation=Next needs the MS-ContinuationToken of the previous page.");
        }

        var total = await db.Customers.CountAsync(cancellationToken);
        var page = await db.Customers.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Skip(skip).Take(pageSize + 1).ToListAsync(cancellationToken);
        var more = page.Count > pageSize;
        // Microsoft lists customers without their billing profile (get-a-list-of-customers).
        var items = page.Take(pageSize).Select(c => View(c) with { BillingProfile = null }).ToList();
        var next = more
            ? new LinkResource($"/v1/customers?size={pageSize}&seekOperation=Next", "GET", [new LinkHeaderResource("MS-ContinuationToken", ContinuationToken.Write(skip + pageSize))])
            : null;
        var links = new CustomerPageLinks(LinkResource.Get($"/v1/customers?size={pageSize}"), next);
        return TypedResults.Json(new CustomerPage(total, items, links, new AttributesResource(null, "Collection")), SimulatorJson.Default.CustomerPage);
    }

    private static async Task<IResult> AcceptAgreementAsync(Guid customerId, HttpRequest request, SimulatorDb db, CancellationToken cancellationToken)
    {
        if (await db.Customers.FindAsync([customerId], cancellationToken) is not { } customer)
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        var agreement = await request.ReadFromJsonAsync(SimulatorJson.Default.AgreementResource, cancellationToken);
        if (agreement is not { Type: "MicrosoftCustomerAgreement", TemplateId.Length: > 0, DateAgreed: not null, PrimaryContact: { FirstName.Length: > 0, LastName.Length: > 0, Email.Length: > 0 } })
        {
            return MicrosoftErrors.InvalidInput("type must be MicrosoftCustomerAgreement, with templateId, dateAgreed and the primaryContact (firstName, lastName, email) who accepted it.");
        }

        // Partner Center derives userId from the App+User token: here, the development user.
        var confirmed = agreement with { UserId = SimulatorUserId };
        customer.AgreementJson = JsonSerializer.Serialize(confirmed, SimulatorJson.Default.AgreementResource);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(confirmed, SimulatorJson.Default.AgreementResource, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// The customer's agreements of <paramref name="agreementType"/>: Microsoft answers the legacy
    /// <c>MicrosoftCloudAgreement</c> ones when none is named, and every one for <c>*</c>.
    /// </summary>
    private static async Task<IResult> ListAgreementsAsync(Guid customerId, string? agreementType, SimulatorDb db, CancellationToken cancellationToken)
    {
        if (await db.Customers.FindAsync([customerId], cancellationToken) is not { } customer)
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        // Stored before the simulator wrote Microsoft's type: the only kind it accepted then was the Customer Agreement.
        List<AgreementResource> agreements = customer.AgreementJson is { } json
            ? [JsonSerializer.Deserialize(json, SimulatorJson.Default.AgreementResource)! is var stored && stored.Type is null ? stored with { Type = "MicrosoftCustomerAgreement" } : stored]
            : [];
        var type = agreementType ?? "MicrosoftCloudAgreement";
        var listed = agreements
            .Where(a => type == "*" || type.Equals(a.Type, StringComparison.OrdinalIgnoreCase))
            .Select(a => a with { AgreementLink = a.Type == "MicrosoftCustomerAgreement" ? "https://aka.ms/customeragreement" : null })
            .ToList();
        return TypedResults.Json(new AgreementPage(listed.Count, listed), SimulatorJson.Default.AgreementPage);
    }

    /// <summary>The partner user the simulator confirms agreements as.</summary>
    private const string SimulatorUserId = "5f0c1b9e-7a52-4c7e-9d1e-3b1f6a2c8e01";

    public static CustomerResource View(SimCustomer c)
    {
        var id = c.Id.ToString();
        var address = c.AddressJson is { } json
            ? JsonSerializer.Deserialize(json, SimulatorJson.Default.AddressResource)!
            : new AddressResource(c.Country, "", "", "", "", null, "", "", "", "");
        return new CustomerResource(
            id,
            id,
            new CompanyProfileResource(id, c.Domain, c.CompanyName, address, c.Email, new SelfLinksResource(LinkResource.Get($"/customers/{id}/profiles/company")), new AttributesResource(null, "CustomerCompanyProfile")),
            new BillingProfileResource(
                id, address.FirstName, address.LastName, c.Email, c.Culture, c.Language.Length == 2 ? c.Language : c.Culture[..2], c.CompanyName, c.Currency, address,
                new SelfLinksResource(LinkResource.Get($"/customers/{id}/profiles/billing")),
                new AttributesResource(c.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "CustomerBillingProfile")),
            "none",
            AllowDelegatedAccess: true,
            [c.Domain],
            EnableGDAPByDefault: false,
            new SelfLinksResource(LinkResource.Get($"/customers/{id}")),
            new AttributesResource(null, "Customer"));
    }
}

/// <summary>An opaque continuation token, as Microsoft's are: here, how many items the pages before have returned.</summary>
public static class ContinuationToken
{
    /// <summary>
    /// Where a page starts: at the beginning without <c>seekOperation</c>; with <c>seekOperation=Next</c>, after the
    /// items the <c>MS-ContinuationToken</c> header says were returned. False when the pair is not valid.
    /// </summary>
    public static bool TrySkip(string? seekOperation, HttpRequest request, out int skip)
    {
        skip = 0;
        return seekOperation is null || (seekOperation.Equals("Next", StringComparison.OrdinalIgnoreCase) && TryRead(request.Headers["MS-ContinuationToken"], out skip));
    }

    public static string Write(int returned) => Convert.ToBase64String(BitConverter.GetBytes(returned));

    public static bool TryRead(string? token, out int returned)
    {
        returned = 0;
        var bytes = new byte[4];
        if (token is null || !Convert.TryFromBase64String(token, bytes, out var written) || written != 4)
        {
            return false;
        }

        returned = BitConverter.ToInt32(bytes);
        return returned >= 0;
    }
}
