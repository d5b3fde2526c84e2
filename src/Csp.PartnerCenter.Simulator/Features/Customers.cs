using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
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
        var customer = await request.ReadFromJsonAsync(PartnerCenterJson.Default.Customer, cancellationToken);
        if (customer?.CompanyProfile is not { Domain.Length: > 0 } profile || customer.BillingProfile?.DefaultAddress?.Country is not { Length: 2 } country
            || customer.BillingProfile.Culture is not { Length: >= 2 })
        {
            return MicrosoftErrors.InvalidInput("companyProfile.domain, billingProfile.culture and billingProfile.defaultAddress.country (two letters) are required.");
        }

        if (await db.Customers.AnyAsync(c => c.Domain == profile.Domain, cancellationToken))
        {
            return MicrosoftErrors.Error(StatusCodes.Status409Conflict, "600000", $"The domain {profile.Domain} is already in use.");
        }

        var created = new SimCustomer
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            CompanyName = customer.BillingProfile.CompanyName ?? profile.CompanyName,
            Domain = profile.Domain,
            Country = country.ToUpperInvariant(),
            Currency = customer.BillingProfile.Currency ?? SimulatorCatalog.Markets.FirstOrDefault(m => m.Market.Equals(country, StringComparison.OrdinalIgnoreCase)).Currency ?? "USD",
            Culture = customer.BillingProfile.Culture,
            Email = customer.BillingProfile.Email ?? "",
            CreatedAt = clock.GetUtcNow(),
        };
        db.Customers.Add(created);
        AuditRecords.Add(db, created, "customer", "add_customer", created.CreatedAt, null, View(created), PartnerCenterJson.Default.Customer);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(View(created), PartnerCenterJson.Default.Customer, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(Guid customerId, SimulatorDb db, CancellationToken cancellationToken) =>
        await db.Customers.FindAsync([customerId], cancellationToken) is { } customer
            ? TypedResults.Json(View(customer), PartnerCenterJson.Default.Customer)
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
        var items = page.Take(pageSize).Select(View).ToList();
        var next = more
            ? new CollectionLinks(new Link($"/v1/customers?size={pageSize}&seekOperation=Next", "GET", [new LinkHeader("MS-ContinuationToken", ContinuationToken.Write(skip + pageSize))]))
            : null;
        return TypedResults.Json(new ResourcePage<Customer>(total, items, next), PartnerCenterJson.Default.ResourcePageCustomer);
    }

    private static async Task<IResult> AcceptAgreementAsync(Guid customerId, HttpRequest request, SimulatorDb db, CancellationToken cancellationToken)
    {
        if (await db.Customers.FindAsync([customerId], cancellationToken) is not { } customer)
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        var agreement = await request.ReadFromJsonAsync(PartnerCenterJson.Default.Agreement, cancellationToken);
        if (agreement is not { AgreementType: "MicrosoftCustomerAgreement", PrimaryContact.Email.Length: > 0 })
        {
            return MicrosoftErrors.InvalidInput("agreementType must be MicrosoftCustomerAgreement, with the primary contact who accepted it.");
        }

        customer.AgreementJson = JsonSerializer.Serialize(agreement, PartnerCenterJson.Default.Agreement);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Json(agreement, PartnerCenterJson.Default.Agreement, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAgreementsAsync(Guid customerId, SimulatorDb db, CancellationToken cancellationToken)
    {
        if (await db.Customers.FindAsync([customerId], cancellationToken) is not { } customer)
        {
            return MicrosoftErrors.NotFound($"Customer {customerId}");
        }

        List<Agreement> agreements = customer.AgreementJson is { } json ? [JsonSerializer.Deserialize(json, PartnerCenterJson.Default.Agreement)!] : [];
        return TypedResults.Json(new ResourcePage<Agreement>(agreements.Count, agreements), PartnerCenterJson.Default.ResourcePageAgreement);
    }

    public static Customer View(SimCustomer c) => new(
        c.Id.ToString(),
        new CompanyProfile(c.CompanyName, c.Domain, c.Id.ToString()),
        new BillingProfile(c.Culture, c.Culture[..2], c.Currency, c.Email, new Address(c.Country), c.CompanyName),
        "none",
        new ResourceAttributes(null, "Customer"));
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
