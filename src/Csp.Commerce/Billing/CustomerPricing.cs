using Csp.Commerce.Lifecycle;
using Csp.Commerce.Pricing;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Billing;
using Csp.Domain.Charges;
using Csp.Domain.Pricing;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

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
    private readonly IReadOnlyList<ExchangeRate> rates;

    private CustomerPricing(Partner seller, IReadOnlyList<(Guid, IReadOnlyList<MarginRule>)> tiers, IReadOnlyList<ExchangeRate> rates)
    {
        this.seller = seller;
        this.tiers = tiers;
        this.rates = rates;
    }

    /// <remarks>A charge in another currency than the customer's is converted at the seller's own rates (it invoices).</remarks>
    public static async Task<CustomerPricing> LoadAsync(CommerceDb db, Partner seller, CancellationToken cancellationToken)
    {
        Guid[] sellers = seller is { Kind: PartnerKind.Reseller, ParentPartnerId: { } distributor } ? [distributor, seller.Id] : [seller.Id];
        var rules = await ListMarginRules.OfSellersAsync(db, sellers, cancellationToken);
        var rates = (await db.ExchangeRates.Where(r => r.PartnerId == seller.Id).ToListAsync(cancellationToken)).Select(r => r.ToRate()).ToList();
        return new CustomerPricing(seller, sellers.Select(id => (id, rules[id])).ToList(), rates);
    }

    /// <summary>
    /// <paramref name="charge"/> of the subscription <paramref name="subscriptionId"/> (its promotion's discount
    /// <paramref name="promotionDiscount"/>, a fraction) at <paramref name="customer"/>'s price and taxed by
    /// <paramref name="tax"/>, or why it cannot be priced.
    /// </summary>
    public Result<InvoiceCharge> Price(ChargeLine charge, Guid subscriptionId, decimal? promotionDiscount, Customer customer, PriceList prices, TaxTreatment tax) =>
        PriceAt(charge, subscriptionId, customer, tax, conversion => CostOf(charge, promotionDiscount, customer, prices, conversion));

    /// <summary>A month of an Azure plan's usage (<see cref="UsageCharge.Of"/>) at <paramref name="customer"/>'s price: its cost marked up.</summary>
    public Result<InvoiceCharge> PriceUsage(ChargeLine usage, Guid subscriptionId, Customer customer, TaxTreatment tax)
    {
        var priced = PriceAt(usage, subscriptionId, customer, tax, conversion => SeatCost.Without(conversion?.Convert(usage.UnitPrice) ?? usage.UnitPrice, null, 1));
        return priced.IsSuccess && UsageCharge.Problem(priced.Value.Price) is { } problem ? new Error("pricing.usage_fixed_price", problem, ErrorKind.Conflict) : priced;
    }

    private Result<InvoiceCharge> PriceAt(ChargeLine charge, Guid subscriptionId, Customer customer, TaxTreatment tax, Func<ExchangeRate?, SeatCost> costOf)
    {
        var conversion = (ExchangeRate?)null;
        if (charge.Currency != customer.InvoicedIn)
        {
            var to = Currency.FromCode(customer.InvoicedIn);
            conversion = to.IsSuccess ? ExchangeRate.On(rates, charge.Subtotal.Currency, to.Value, charge.OrderDate) : null;
            if (conversion is null)
            {
                return new Error(
                    "pricing.no_exchange_rate",
                    $"The charge is in {charge.Currency} and {customer.Name} is invoiced in {customer.InvoicedIn}, and there is no {charge.Currency}→{customer.InvoicedIn} rate dated on or before {charge.OrderDate:yyyy-MM-dd}.",
                    ErrorKind.Conflict);
            }
        }

        var item = new PricedItem(seller.Kind == PartnerKind.Reseller ? seller.Id : null, customer.Id, charge.ProductId, charge.SkuId, subscriptionId);
        var price = PriceResolver.Resolve(costOf(conversion), item, charge.ChargeStartDate, tiers);
        return price.IsSuccess ? InvoiceCharge.For(charge, price.Value, tax, conversion) : price.Error;
    }

    /// <summary>
    /// Microsoft's <paramref name="lines"/> at the customer's price (before tax), as the invoice will have them, and a warning
    /// for each the seller's rules cannot price; Microsoft's own lines when there is no pricing.
    /// </summary>
    /// <param name="promotionOf">The subscription a line names (by Microsoft's id): its id and its promotion's discount.</param>
    public static (List<PreviewLine> Lines, List<string> Unpriced) Preview(
        CustomerPricing? pricing, Customer customer, PriceList prices, Func<string, (Guid Id, decimal? Discount)> promotionOf, IEnumerable<ChargeLine> lines)
    {
        if (pricing is null)
        {
            return (lines.Select(SubscriptionActions.Line).ToList(), []);
        }

        var priced = new List<PreviewLine>();
        var unpriced = new List<string>();
        foreach (var l in lines)
        {
            var (id, discount) = promotionOf(l.SubscriptionId);
            var price = pricing.Price(l, id, discount, customer, prices, TaxTreatment.None);
            if (price.IsSuccess)
            {
                priced.Add(new(l.ChargeType.ToMicrosoft(), l.ChargeStartDate, l.ChargeEndDate, l.Quantity, l.BillableQuantity, price.Value.UnitPrice.Amount, price.Value.EffectiveUnitPrice, price.Value.Amount.Amount, price.Value.Amount.Currency.Code));
            }
            else
            {
                unpriced.Add($"The customer's price of the {l.ChargeType.ToMicrosoft()} line from {l.ChargeStartDate:yyyy-MM-dd} cannot be worked out: {price.Error.Message}");
            }
        }

        return (priced, unpriced);
    }

    /// <summary>
    /// What a seat of <paramref name="charge"/> costs for its charge cycle, in the customer's currency (converted by
    /// <paramref name="conversion"/> when Microsoft charged in another): Microsoft's unit price less the promotion's
    /// discount where the line carries one, the price before it, and the list price (ERP) for the same term and plan.
    /// </summary>
    private static SeatCost CostOf(ChargeLine charge, decimal? promotionDiscount, Customer customer, PriceList prices, ExchangeRate? conversion)
    {
        var discount = charge.PromotionId is not null && promotionDiscount is { } d ? d : 0m;
        var (term, plan) = ChargeCycle.Of(charge);
        var list = term is { } t ? prices.ListPrice(charge.ProductId, charge.SkuId, customer, t, plan, charge.ChargeStartDate) : null;
        if (conversion is not null && list is { } inMicrosofts)
        {
            list = inMicrosofts.Currency == conversion.From ? conversion.Convert(inMicrosofts) : null;
        }

        var unitPrice = conversion?.Convert(charge.UnitPrice) ?? charge.UnitPrice;
        return new SeatCost(unitPrice * (1 - discount), unitPrice, list, plan.Months());
    }
}
