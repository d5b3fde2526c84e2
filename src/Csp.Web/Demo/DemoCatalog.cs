using Csp.Data;
using Csp.Domain;
using static Csp.PartnerCenter.Simulator.SimulatorCatalog;

namespace Csp.Web.Demo;

/// <summary>The demo's catalog and price lists, in the platform's model, from the simulator's catalog.</summary>
internal static class DemoCatalog
{
    public static IEnumerable<object> Entities()
    {
        foreach (var offer in Offers)
        {
            yield return new Product(offer.ProductId, offer.Title, offer.Family, offer.IsUsage ? BillingType.Usage : BillingType.License);
            yield return new Sku(offer.ProductId, offer.SkuId, offer.Title, 1, offer.MaximumQuantity);
            var availability = new Availability(offer.ProductId, offer.SkuId, offer.AvailabilityId, "Commercial");
            foreach (var offered in offer.Terms())
            {
                availability.Offer(offered.Term, offered.BillingPlan);
            }

            yield return availability;
        }
    }

    public static IEnumerable<Price> Prices(Func<Guid> newId)
    {
        foreach (var offer in Offers.Where(o => !o.IsUsage))
        {
            foreach (var (market, currency, _) in Markets)
            {
                foreach (var offered in offer.Terms())
                {
                    foreach (var (from, to) in new[] { (PreviousListFrom, (DateOnly?)CurrentListFrom.AddDays(-1)), (CurrentListFrom, null) })
                    {
                        var unit = UnitPrice(offer, market, offered.Term, offered.BillingPlan, from);
                        yield return new Price(
                            newId(), offer.ProductId, offer.SkuId, offer.AvailabilityId, market, currency, offered.Term,
                            offered.BillingPlan, unit, new Money(unit * 1.2m, Currency.FromCode(currency).Value).Round(Rounding.ListPrice).Amount, from, to);
                    }
                }
            }
        }
    }
}
