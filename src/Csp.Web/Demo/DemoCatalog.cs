using Csp.Data;
using Csp.Domain;
using Csp.Domain.Terms;

namespace Csp.Web.Demo;

/// <summary>
/// The demo's slice of Microsoft's new-commerce catalog: real product names in the catalog id format, list
/// prices per market modelled on Microsoft's US prices (one-month terms cost 20% more, as Microsoft prices them).
/// </summary>
internal static class DemoCatalog
{
    internal sealed record Offer(string ProductId, string SkuId, string AvailabilityId, string Title, string Family, decimal UsdPerMonth, bool ThreeYear, bool MonthlyTerm)
    {
        public BillingType BillingType => Family == "Azure" ? BillingType.Usage : BillingType.License;

        public IEnumerable<OfferedTerm> Terms()
        {
            if (BillingType == BillingType.Usage)
            {
                yield break;
            }

            if (MonthlyTerm)
            {
                yield return new(Term.P1M, BillingPlan.Monthly);
            }

            yield return new(Term.P1Y, BillingPlan.Monthly);
            yield return new(Term.P1Y, BillingPlan.Annual);
            if (ThreeYear)
            {
                yield return new(Term.P3Y, BillingPlan.Monthly);
                yield return new(Term.P3Y, BillingPlan.Annual);
                yield return new(Term.P3Y, BillingPlan.Triennial);
            }
        }
    }

    public static readonly Offer[] Offers =
    [
        new("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "Microsoft 365 Business Basic", "Microsoft 365", 6.00m, false, true),
        new("CFQ7TTC0LDPB", "0001", "CFQ7TTC0GZQJ", "Microsoft 365 Business Standard", "Microsoft 365", 12.50m, false, true),
        new("CFQ7TTC0LCHC", "0002", "CFQ7TTC0K8H1", "Microsoft 365 Business Premium", "Microsoft 365", 22.00m, false, true),
        new("CFQ7TTC0LFLX", "0001", "CFQ7TTC0K5DQ", "Microsoft 365 E3", "Microsoft 365", 36.00m, true, true),
        new("CFQ7TTC0LFLZ", "0002", "CFQ7TTC0K5GF", "Microsoft 365 E5", "Microsoft 365", 57.00m, true, true),
        new("CFQ7TTC0LF8R", "0001", "CFQ7TTC0K4ZR", "Office 365 E1", "Microsoft 365", 10.00m, false, true),
        new("CFQ7TTC0LF8Q", "0001", "CFQ7TTC0K4ZN", "Office 365 E3", "Microsoft 365", 23.00m, false, true),
        new("CFQ7TTC0LH16", "0001", "CFQ7TTC0K5F1", "Exchange Online (Plan 1)", "Microsoft 365", 4.00m, false, true),
        new("CFQ7TTC0RL1G", "0001", "CFQ7TTC0RMB1", "Microsoft Teams Essentials", "Microsoft 365", 4.00m, false, true),
        new("CFQ7TTC0MM8R", "0002", "CFQ7TTC0MM9M", "Microsoft 365 Copilot", "Microsoft 365", 30.00m, true, true),
        new("CFQ7TTC0L3PB", "0001", "CFQ7TTC0KXG6", "Power BI Pro", "Power Platform", 14.00m, false, true),
        new("CFQ7TTC0LH3N", "0001", "CFQ7TTC0K0KH", "Dynamics 365 Business Central Essentials", "Dynamics 365", 80.00m, true, true),
        new("CFQ7TTC0LHSV", "0001", "CFQ7TTC0JP4Q", "Dynamics 365 Sales Enterprise", "Dynamics 365", 105.00m, true, false),
        new("CFQ7TTC0LHXK", "0001", "CFQ7TTC0J3NV", "Dynamics 365 Customer Service Professional", "Dynamics 365", 50.00m, true, false),
        new("DZH318Z0BPS6", "0001", "DZH318Z0BPKG", "Azure plan", "Azure", 0m, false, false),
    ];

    /// <summary>Markets, their currency, and the rate from US dollars the demo price lists use.</summary>
    public static readonly (string Market, string Currency, decimal PerUsd)[] Markets =
    [
        ("US", "USD", 1m), ("CA", "CAD", 1.37m), ("GB", "GBP", 0.79m), ("IE", "EUR", 0.93m), ("DE", "EUR", 0.93m),
        ("FR", "EUR", 0.93m), ("NL", "EUR", 0.93m), ("DK", "DKK", 6.95m), ("AU", "AUD", 1.53m), ("JP", "JPY", 150m),
    ];

    /// <summary>The current price list's first day; the previous list, 5% cheaper, ran the year before it.</summary>
    public static readonly DateOnly CurrentListFrom = new(2026, 4, 1);

    public static readonly DateOnly PreviousListFrom = new(2025, 4, 1);

    /// <summary>Microsoft's price per seat per charge cycle for one market, term and plan, on the list in force on <paramref name="on"/>.</summary>
    public static decimal UnitPrice(Offer offer, string market, Term term, BillingPlan plan, DateOnly on)
    {
        var (_, currencyCode, perUsd) = Markets.Single(m => m.Market == market);
        var monthly = offer.UsdPerMonth * (term == Term.P1M ? 1.2m : 1m) * (on < CurrentListFrom ? 0.95m : 1m);
        var perCycle = monthly * plan.Months() * perUsd;
        return new Money(perCycle, Currency.FromCode(currencyCode).Value).Round(Rounding.ListPrice).Amount;
    }

    public static IEnumerable<object> Entities()
    {
        foreach (var offer in Offers)
        {
            yield return new Product(offer.ProductId, offer.Title, offer.Family, offer.BillingType);
            yield return new Sku(offer.ProductId, offer.SkuId, offer.Title, 1, offer.BillingType == BillingType.Usage ? 1 : 300);
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
        foreach (var offer in Offers.Where(o => o.BillingType == BillingType.License))
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
