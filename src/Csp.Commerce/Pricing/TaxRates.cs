using Csp.Data;
using Csp.Domain;
using Csp.Domain.Billing;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Pricing;

/// <summary>A tax rate as the API shows it.</summary>
public sealed record TaxRateView(Guid Id, Guid PartnerId, string Country, decimal Percent, DateOnly EffectiveFrom, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static TaxRateView Of(TaxRate r) => new(r.Id, r.PartnerId, r.Country, r.Percent, r.EffectiveFrom, r.CreatedAt, r.CreatedBy);
}

/// <summary>
/// The caller's tax rate for its customers in a country from a date. Rates are never edited: a new rate from a later date
/// replaces the last; the same country and date twice is refused.
/// </summary>
public static class SetTaxRate
{
    public static async Task<Result<TaxRateView>> RunAsync(CommerceDb db, Guid partnerId, string country, decimal percent, DateOnly effectiveFrom, string createdBy, TimeProvider time, CancellationToken cancellationToken)
    {
        var code = country.Trim().ToUpperInvariant();
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
        {
            return Error.InvalidParameter("country", "country: an ISO 3166-1 alpha-2 code, e.g. NL.");
        }

        if (percent is < 0m or > 100m || decimal.Round(percent, 4) != percent)
        {
            return Error.InvalidParameter("percent", "percent: from 0 to 100, at most 4 decimal places.");
        }

        var today = BillingClock.MicrosoftToday(time);
        if (effectiveFrom < today.AddYears(-CreateMarginRule.YearsAround) || effectiveFrom > today.AddYears(CreateMarginRule.YearsAround))
        {
            return Error.InvalidParameter("effectiveFrom", $"effectiveFrom must be within {CreateMarginRule.YearsAround} years of today ({today:yyyy-MM-dd}).");
        }

        if (await db.TaxRates.AnyAsync(r => r.PartnerId == partnerId && r.Country == code && r.EffectiveFrom == effectiveFrom, cancellationToken))
        {
            return TaxRateExists(code, effectiveFrom);
        }

        var now = time.GetUtcNow();
        var rate = new TaxRate(Guid.CreateVersion7(now), partnerId, code, percent, effectiveFrom, now, createdBy);
        db.TaxRates.Add(rate);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return TaxRateExists(code, effectiveFrom);
        }

        return TaxRateView.Of(rate);
    }

    private static Error TaxRateExists(string country, DateOnly from) =>
        new("tax_rate.exists", $"There is already a rate for {country} from {from:yyyy-MM-dd}; rates are never edited: add one from a later date.", ErrorKind.Conflict);

    /// <summary>How <paramref name="customer"/>'s invoice of the month starting <paramref name="month"/> is taxed by <paramref name="rates"/> (its partner's).</summary>
    public static TaxTreatment TreatmentOf(Customer customer, IEnumerable<TaxRate> rates, DateOnly month) =>
        customer.ReverseCharge
            ? new TaxTreatment(0m, true)
            : new TaxTreatment(rates.Where(r => r.PartnerId == customer.PartnerId && r.Country == customer.Country && r.EffectiveFrom <= month).MaxBy(r => r.EffectiveFrom)?.Percent ?? 0m, false);
}

/// <summary>The caller's tax rates and those of the partners below it, by partner, country and date, newest first.</summary>
public static class ListTaxRates
{
    public static async Task<List<TaxRateView>> RunAsync(CommerceDb db, CancellationToken cancellationToken) =>
        (await db.TaxRates.ToListAsync(cancellationToken))
            .OrderBy(r => r.PartnerId).ThenBy(r => r.Country, StringComparer.Ordinal).ThenByDescending(r => r.EffectiveFrom)
            .Select(TaxRateView.Of).ToList();
}

/// <summary>A customer's tax registration number and whether its invoices fall under the reverse-charge rule.</summary>
public static class SetCustomerTax
{
    public const int MaxTaxId = 32;

    public static async Task<Result<CustomerTaxView>> RunAsync(CommerceDb db, Guid customerId, string? taxId, bool reverseCharge, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("customer", customerId);
        }

        var id = string.IsNullOrWhiteSpace(taxId) ? null : taxId.Trim();
        if (id is { Length: > MaxTaxId } || id?.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or ' ')) == true)
        {
            return Error.InvalidParameter("taxId", $"taxId: at most {MaxTaxId} letters, digits, spaces, dots and dashes.");
        }

        if (reverseCharge && id is null)
        {
            return Error.InvalidParameter("taxId", "taxId: the reverse-charge rule needs the customer's VAT number, which its invoices print.");
        }

        customer.SetTaxStatus(id, reverseCharge);
        await db.SaveChangesAsync(cancellationToken);
        return new CustomerTaxView(customer.Id, customer.Country, customer.TaxId, customer.ReverseCharge);
    }
}

public sealed record CustomerTaxView(Guid CustomerId, string Country, string? TaxId, bool ReverseCharge);
