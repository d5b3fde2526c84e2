using Csp.Commerce.Pricing;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Billing;
using Csp.Domain.Charges;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Billing;

/// <summary>One charge of the month at the customer's price: the line a billing run would add unless it is billed already.</summary>
public sealed record ProposedLine(Customer Customer, Subscription? Subscription, string ChargeKey, InvoiceCharge Charge, bool Billed, InvoiceLineKind Kind = InvoiceLineKind.Licence);

/// <summary>A charge no rule could price, and why; it is left out of the invoice until its rule is fixed.</summary>
public sealed record UnpricedCharge(Guid CustomerId, string MicrosoftSubscriptionId, ChargeType ChargeType, DateOnly ChargeStartDate, decimal MicrosoftSubtotal, string Currency, string Code, string Problem);

/// <summary>Every charge of a partner's customers in a month, priced, and those that could not be.</summary>
public sealed record ProposedBilling(Partner Partner, BillingPeriod Month, IReadOnlyList<ProposedLine> Lines, IReadOnlyList<UnpricedCharge> Unpriced, IReadOnlyList<ParkedSubscription> Parked)
{
    public IEnumerable<ProposedLine> ToAdd => Lines.Where(l => !l.Billed);
}

/// <summary>
/// What a partner's customers are charged for a billing month: every licence charge the charge engine expects Microsoft to
/// post for them in the month (the shadow invoice's lines), priced through the margin rules of every tier and taxed by the
/// customer's treatment; each marked billed when an invoice line already has its charge key; and each Azure plan's usage of
/// the month (<see cref="AzureUsage"/>) at the customer's price. Preview and run share it.
/// </summary>
public static class ProposedInvoices
{
    /// <summary>The partner's whole month, or one customer's.</summary>
    public static async Task<Result<ProposedBilling>> ComputeAsync(CommerceDb db, Guid partnerId, BillingPeriod month, ChargeRules rules, Guid? customerId, CancellationToken cancellationToken)
    {
        var seller = await SellerPrices.LoadAsync(db, partnerId, month, cancellationToken);
        if (seller is null)
        {
            return Error.NotFound("partner", partnerId);
        }

        var charges = await ExpectedCharges.ChargesOfMonthAsync(db, month, rules, partnerId, customerId, cancellationToken);
        var licences = await PriceAsync(db, seller, charges, customerId is { } one ? [one] : null, cancellationToken);
        if (customerId is not { } customer)
        {
            return licences;
        }

        var usage = PriceUsage(seller, await AzureUsage.OfCustomersAsync(db, seller.Partner, month, [customer], cancellationToken));
        return licences with { Lines = [.. licences.Lines, .. usage.Lines], Unpriced = [.. licences.Unpriced, .. usage.Unpriced] };
    }

    /// <summary>
    /// Each subscription's usage of <paramref name="usage"/> priced by <paramref name="seller"/>: the month priced whole, less
    /// what lines billed of it already (<see cref="InvoiceCharge.Less"/>), so a later file that changes a billed month adds
    /// the difference on a line of its own. A month the files do not yet reach to its last day, and usage of a subscription
    /// the platform does not know, are named and left out.
    /// </summary>
    public static ProposedBilling PriceUsage(SellerPrices seller, UsageOfMonth usage)
    {
        var month = seller.Month;
        var lines = new List<ProposedLine>();
        var unpriced = new List<UnpricedCharge>();
        foreach (var u in usage.Usage)
        {
            var price = usage.Complete(month)
                ? PriceOfMonth(seller, u)
                : new Error("usage.month_open", $"The usage files imported reach {usage.ImportedTo:yyyy-MM-dd}; a month's usage is invoiced once they reach its last day, {month.End:yyyy-MM-dd}.");
            if (price.IsSuccess)
            {
                var plan = u.Subscription!;
                lines.Add(price.Value.Less(u.Billed) is { } left
                    ? new ProposedLine(u.Customer, plan, UsageCharge.Key(u.MicrosoftSubscriptionId, month, u.Billed.Lines + 1), left, false, InvoiceLineKind.Usage)
                    : new ProposedLine(u.Customer, plan, UsageCharge.Key(u.MicrosoftSubscriptionId, month, u.Billed.Lines), price.Value, true, InvoiceLineKind.Usage));
                continue;
            }

            unpriced.Add(new UnpricedCharge(u.Customer.Id, u.MicrosoftSubscriptionId, ChargeType.New, month.Start, u.Cost, u.Subscription?.Currency ?? u.Customer.Currency, price.Error.Code, price.Error.Message));
        }

        return new ProposedBilling(seller.Partner, month, lines, unpriced, []);
    }

    /// <summary>
    /// One subscription's usage of the month as imported so far, whole, at the customer's price (before what lines billed of
    /// it is taken away); refused for a subscription the platform does not know.
    /// </summary>
    public static Result<InvoiceCharge> PriceOfMonth(SellerPrices seller, MonthUsage u)
    {
        if (u.Subscription is not { } plan)
        {
            return new Error("usage.unknown_subscription", $"The usage file names Azure subscription {u.MicrosoftSubscriptionId} of {u.Customer.Name}, which the platform does not know: synchronise with Partner Center (POST /api/partner-center/sync) to invoice it.");
        }

        var month = seller.Month;
        var charge = UsageCharge.Of(u.MicrosoftSubscriptionId, plan.ProductId, plan.SkuId, plan.StartDate, month, new Money(u.Cost, Currency.FromCode(plan.Currency).Value));
        return seller.Pricing.PriceUsage(charge, plan.Id, u.Customer, SetTaxRate.TreatmentOf(u.Customer, seller.TaxRates, month.Start));
    }

    /// <summary>
    /// <paramref name="charges"/> priced by <paramref name="seller"/>, each marked billed when a line of the month has its
    /// key: of the customers named, or of all the seller's when <paramref name="customerIds"/> is null.
    /// </summary>
    public static async Task<ProposedBilling> PriceAsync(CommerceDb db, SellerPrices seller, MonthCharges charges, IReadOnlyCollection<Guid>? customerIds, CancellationToken cancellationToken)
    {
        var (partner, month) = (seller.Partner, seller.Month);
        var billed = (await BilledAsync(db, partner.Id, month, customerIds, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var lines = new List<ProposedLine>();
        var unpriced = new List<UnpricedCharge>();
        foreach (var family in charges.Families)
        {
            var customer = family.Customer;
            var tax = SetTaxRate.TreatmentOf(customer, seller.TaxRates, month.Start);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var charge in family.Charges)
            {
                var key = ChargeCycle.Key(charge);
                seen[key] = seen.GetValueOrDefault(key) + 1;
                key = ChargeCycle.Key(charge, seen[key]);
                var subscription = charges.ByMicrosoftId.GetValueOrDefault(charge.SubscriptionId);
                var price = seller.Pricing.Price(charge, subscription?.Id ?? Guid.Empty, subscription?.PromotionDiscount, customer, charges.Prices, tax);
                if (price.IsSuccess)
                {
                    lines.Add(new ProposedLine(customer, subscription, key, price.Value, billed.Contains(key)));
                }
                else
                {
                    unpriced.Add(new UnpricedCharge(customer.Id, charge.SubscriptionId, charge.ChargeType, charge.ChargeStartDate, charge.Subtotal.Amount, charge.Currency, price.Error.Code, price.Error.Message));
                }
            }
        }

        return new ProposedBilling(partner, month, lines, unpriced, charges.Parked);
    }

    /// <summary>The charge keys billed in the month: of the customers named, or of all the partner's when null.</summary>
    /// <remarks>
    /// The partner, which the caller has found, is named, so the partner filter is set aside: with its list of visible
    /// partners beside it, PostgreSQL finds a page's customers among the partner's every line of the month instead of by the
    /// index, and a run's pages read a month growing under them.
    /// </remarks>
    public static Task<List<string>> BilledAsync(CommerceDb db, Guid partnerId, BillingPeriod month, IReadOnlyCollection<Guid>? customerIds, CancellationToken cancellationToken)
    {
        var lines = db.InvoiceLines.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(l => l.PartnerId == partnerId && l.Month == month.Start);
        if (customerIds is not null)
        {
            lines = lines.Where(l => customerIds.Contains(l.CustomerId));
        }

        return lines.Select(l => l.ChargeKey).ToListAsync(cancellationToken);
    }
}

/// <summary>What a seller prices a month with, read once: the partner, its (and its distributor's) margin rules, its tax rates.</summary>
public sealed record SellerPrices(Partner Partner, BillingPeriod Month, CustomerPricing Pricing, IReadOnlyList<TaxRate> TaxRates)
{
    public static async Task<SellerPrices?> LoadAsync(CommerceDb db, Guid partnerId, BillingPeriod month, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == partnerId, cancellationToken);
        return partner is null
            ? null
            : new SellerPrices(partner, month, await CustomerPricing.LoadAsync(db, partner, cancellationToken), await db.TaxRates.Where(r => r.PartnerId == partnerId).ToListAsync(cancellationToken));
    }
}
