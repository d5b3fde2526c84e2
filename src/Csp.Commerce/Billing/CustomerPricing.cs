using Csp.Commerce.Pricing;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Billing;
using Csp.Domain.Charges;
using Csp.Domain.Pricing;
using Csp.Domain.Terms;

namespace Csp.Commerce.Billing;

/// <summary>
/// One seller's prices: its margin rules and, for a reseller, its distributor's, read once; each of Microsoft's charge
/// lines priced through them at the customer's price (<see cref="Price"/>). The billing run and the lifecycle previews
/// price with it, so a preview shows what the invoice will say.
/// </summary>
public sealed class CustomerPricing
{
    private readonly Partner seller;
    private readonly IReadOnlyList<(Guid SellerId, IReadOnlyList<MarginRule> Rules)> tiers;

    private CustomerPricing(Partner seller, IReadOnlyList<(Guid, IReadOnlyList<MarginRule>)> tiers)
    {
        this.seller = seller;
        this.tiers = tiers;
    }

    public static async Task<CustomerPricing> LoadAsync(CommerceDb db, Partner seller, CancellationToken cancellationToken)
    {
        Guid[] sellers = seller is { Kind: PartnerKind.Reseller, ParentPartnerId: { } distributor } ? [distributor, seller.Id] : [seller.Id];
        var rules = await ListMarginRules.OfSellersAsync(db, sellers, cancellationToken);
        return new CustomerPricing(seller, sellers.Select(id => (id, rules[id])).ToList());
    }

    /// <summary><paramref name="charge"/> of <paramref name="subscription"/> at <paramref name="customer"/>'s price and taxed by <paramref name="tax"/>, or why it cannot be priced.</summary>
    public Result<InvoiceCharge> Price(ChargeLine charge, Subscription? subscription, Customer customer, PriceList prices, TaxTreatment tax)
    {
        if (charge.Currency != customer.Currency)
        {
            return new Error("pricing.currency_mismatch", $"The charge is in {charge.Currency} and {customer.Name} is invoiced in {customer.Currency}.", ErrorKind.Conflict);
        }

        var item = new PricedItem(seller.Kind == PartnerKind.Reseller ? seller.Id : null, customer.Id, charge.ProductId, charge.SkuId, subscription?.Id ?? Guid.Empty);
        var price = PriceResolver.Resolve(CostOf(charge, subscription, customer, prices), item, charge.ChargeStartDate, tiers);
        return price.IsSuccess ? InvoiceCharge.For(charge, price.Value, tax) : price.Error;
    }

    /// <summary>
    /// What a seat of <paramref name="charge"/> costs for its charge cycle: Microsoft's unit price less the subscription's
    /// promotion where the line carries one, the price before it, and the list price (ERP) for the same term and plan.
    /// </summary>
    private static SeatCost CostOf(ChargeLine charge, Subscription? subscription, Customer customer, PriceList prices)
    {
        var discount = charge.PromotionId is not null && subscription?.PromotionDiscount is { } d ? d : 0m;
        var (term, plan) = ChargeCycle.Of(charge);
        var list = term is { } t ? prices.ListPrice(charge.ProductId, charge.SkuId, customer, t, plan, charge.ChargeStartDate) : null;
        return new SeatCost(charge.UnitPrice * (1 - discount), charge.UnitPrice, list, plan.Months());
    }
}
