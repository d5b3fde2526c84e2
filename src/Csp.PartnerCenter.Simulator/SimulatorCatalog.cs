using Csp.Domain;
using Csp.Domain.Terms;

namespace Csp.PartnerCenter.Simulator;

/// <summary>
/// The simulator's slice of Microsoft's new-commerce catalog, which the platform's demo seeds from too: real product
/// names in the catalog id format, list prices per market modelled on Microsoft's US prices (one-month terms cost 20%
/// more, as Microsoft prices them).
/// </summary>
public static class SimulatorCatalog
{
    public sealed record Offer(string ProductId, string SkuId, string AvailabilityId, string Title, string Family, decimal UsdPerMonth, bool ThreeYear, bool MonthlyTerm)
    {
        /// <summary>Billed by consumption (the Azure plan), with no term and no seats.</summary>
        public bool IsUsage => Family == "Azure";

        public string CatalogItemId => $"{ProductId}:{SkuId}:{AvailabilityId}";

        /// <summary>The SKU's <c>maximumQuantity</c>: the most seats one subscription of it may have (one for the Azure plan).</summary>
        public int MaximumQuantity => IsUsage ? 1 : 300;

        public IEnumerable<(Term Term, BillingPlan BillingPlan)> Terms()
        {
            if (IsUsage)
            {
                yield break;
            }

            if (MonthlyTerm)
            {
                yield return (Term.P1M, BillingPlan.Monthly);
            }

            yield return (Term.P1Y, BillingPlan.Monthly);
            yield return (Term.P1Y, BillingPlan.Annual);
            if (ThreeYear)
            {
                yield return (Term.P3Y, BillingPlan.Monthly);
                yield return (Term.P3Y, BillingPlan.Annual);
                yield return (Term.P3Y, BillingPlan.Triennial);
            }
        }
    }

    /// <summary>
    /// A promotion of the simulated catalog, in every market: a share off one SKU's price on one term and billing cycle,
    /// bought from <see cref="From"/> to <see cref="To"/> (both inclusive, UTC days).
    /// </summary>
    public sealed record SimPromotion(string Id, string Name, string ProductId, string SkuId, Term Term, BillingPlan Plan, decimal PercentDiscount, DateOnly From, DateOnly To);

    public static readonly SimPromotion[] Promotions =
    [
        new("CFQ7TTC0LCHC:0002:39NFJQT1Q5KN", "Microsoft 365 Business Premium: 15% off a one-year term billed monthly", "CFQ7TTC0LCHC", "0002", Term.P1Y, BillingPlan.Monthly, 0.15m, new(2025, 1, 1), new(2027, 12, 31)),
        new("CFQ7TTC0LCHC:0002:39NFJQT1Q5KP", "Microsoft 365 Business Premium: 15% off a one-year term paid annually", "CFQ7TTC0LCHC", "0002", Term.P1Y, BillingPlan.Annual, 0.15m, new(2025, 1, 1), new(2027, 12, 31)),
        new("CFQ7TTC0LFLX:0001:39NFJQT1R2AB", "Microsoft 365 E3: 10% off a three-year term billed monthly", "CFQ7TTC0LFLX", "0001", Term.P3Y, BillingPlan.Monthly, 0.10m, new(2025, 1, 1), new(2027, 12, 31)),
        new("CFQ7TTC0MM8R:0002:39NFJQT1R9CD", "Microsoft 365 Copilot: 20% off a one-year term billed monthly", "CFQ7TTC0MM8R", "0002", Term.P1Y, BillingPlan.Monthly, 0.20m, new(2025, 1, 1), new(2027, 12, 31)),
        new("CFQ7TTC0L3PB:0001:39NFJQT1A1AA", "Power BI Pro: 10% off a one-year term billed monthly (ended)", "CFQ7TTC0L3PB", "0001", Term.P1Y, BillingPlan.Monthly, 0.10m, new(2024, 1, 1), new(2025, 12, 31)),
    ];

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

    /// <summary>
    /// The upgrades Microsoft allows (its offer matrix's <c>ProductSkuConversion</c>), by product: from a suite to a
    /// richer one. Anything else is a downgrade or a sideways move, which Partner Center refuses.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> UpgradesTo = new Dictionary<string, string[]>
    {
        ["CFQ7TTC0LH18"] = ["CFQ7TTC0LDPB", "CFQ7TTC0LCHC", "CFQ7TTC0LFLX", "CFQ7TTC0LFLZ"],
        ["CFQ7TTC0LDPB"] = ["CFQ7TTC0LCHC", "CFQ7TTC0LFLX", "CFQ7TTC0LFLZ"],
        ["CFQ7TTC0LCHC"] = ["CFQ7TTC0LFLX", "CFQ7TTC0LFLZ"],
        ["CFQ7TTC0LFLX"] = ["CFQ7TTC0LFLZ"],
        ["CFQ7TTC0LF8R"] = ["CFQ7TTC0LF8Q", "CFQ7TTC0LFLX", "CFQ7TTC0LFLZ"],
        ["CFQ7TTC0LF8Q"] = ["CFQ7TTC0LFLX", "CFQ7TTC0LFLZ"],
        ["CFQ7TTC0LH16"] = ["CFQ7TTC0LDPB", "CFQ7TTC0LCHC"],
    };

    /// <summary>Markets, their currency, and the rate from US dollars the demo price lists use.</summary>
    public static readonly (string Market, string Currency, decimal PerUsd)[] Markets =
    [
        ("US", "USD", 1m), ("CA", "CAD", 1.37m), ("GB", "GBP", 0.79m), ("IE", "EUR", 0.93m), ("DE", "EUR", 0.93m),
        ("FR", "EUR", 0.93m), ("NL", "EUR", 0.93m), ("DK", "DKK", 6.95m), ("AU", "AUD", 1.53m), ("JP", "JPY", 150m),
    ];

    /// <summary>The symbol Microsoft writes beside a currency's code (an availability's <c>defaultCurrency</c>, an order's <c>currencySymbol</c>).</summary>
    public static string CurrencySymbol(string code) => code switch
    {
        "USD" or "CAD" or "AUD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "DKK" => "kr.",
        _ => code,
    };

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
}
