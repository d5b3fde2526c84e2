using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Csp.Domain;
using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Simulator.Data;

namespace Csp.PartnerCenter.Simulator;

/// <summary>
/// The Azure consumption of Azure plan subscriptions: a seeded generator, so that the same subscription on the same day
/// always used the same. Each subscription runs its own small estate — a few meters in one or two regions and resource
/// groups, tagged — used a little more or less every day; a spike (<c>/_sim/usage</c>) multiplies a day's use.
/// </summary>
/// <remarks>
/// Prices are Microsoft-like pay-as-you-go prices in US dollars, converted at the catalog's market rate; a day's amount
/// is <c>quantity × unit price</c> unrounded (six decimals), as the daily rated usage file carries it. Usage of a day is
/// rated the next day: Microsoft publishes it "after 24 hours".
/// </remarks>
public static class SimulatorUsage
{
    public sealed record Meter(Guid Id, string Category, string SubCategory, string Name, string Unit, decimal UsdPrice, decimal DailyQuantity, string ConsumedService, string ResourceType);

    public static readonly Meter[] Meters =
    [
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e01"), "Virtual Machines", "Dv5 Series", "D2s v5", "1 Hour", 0.096m, 24m, "Microsoft.Compute", "virtualMachines"),
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e02"), "Virtual Machines", "Dv5 Series", "D4s v5", "1 Hour", 0.192m, 20m, "Microsoft.Compute", "virtualMachines"),
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e03"), "Storage", "Standard SSD Managed Disks", "E10 LRS Disk", "1/Month", 9.60m, 0.0333m, "Microsoft.Compute", "disks"),
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e04"), "Storage", "Tiered Block Blob", "Hot LRS Data Stored", "1 GB/Month", 0.0184m, 16.5m, "Microsoft.Storage", "storageAccounts"),
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e05"), "Bandwidth", "Rtn Preference: MGN", "Standard Data Transfer Out", "1 GB", 0.087m, 12m, "Microsoft.Network", "publicIPAddresses"),
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e06"), "SQL Database", "General Purpose - Compute Gen5", "vCore", "1 Hour", 0.2529m, 48m, "Microsoft.Sql", "servers/databases"),
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e07"), "Azure App Service", "Premium v3 Plan", "P1 v3 App", "1 Hour", 0.155m, 24m, "Microsoft.Web", "serverfarms"),
        new(new("5c5a9b9a-3d4e-4b8f-9f1a-0a1b2c3d4e08"), "Log Analytics", "Log Analytics", "Analytics Logs Data Ingestion", "1 GB", 2.76m, 0.8m, "Microsoft.OperationalInsights", "workspaces"),
    ];

    private static readonly string[] Regions = ["westeurope", "northeurope", "eastus", "uksouth"];

    private static readonly string[] Environments = ["prod", "dev", "shared"];

    /// <summary>
    /// What <paramref name="s"/> used on <paramref name="day"/>, as daily rated usage lines; <paramref name="spike"/>
    /// multiplies every quantity.
    /// </summary>
    public static IEnumerable<DailyRatedUsageLine> For(SimSubscription s, SimCustomer customer, Guid partnerId, DateOnly day, decimal spike = 1m)
    {
        var estate = new Random(Seed($"{s.Id}"));
        var today = new Random(Seed($"{s.Id}|{day:yyyy-MM-dd}"));
        var perUsd = SimulatorCatalog.Markets.FirstOrDefault(m => m.Currency == customer.Currency).PerUsd;
        var meters = Meters.OrderBy(_ => estate.Next()).Take(3 + estate.Next(3)).ToList();
        var regions = Regions.OrderBy(_ => estate.Next()).Take(1 + estate.Next(2)).ToArray();
        foreach (var meter in meters)
        {
            var region = regions[estate.Next(regions.Length)];
            var environment = Environments[estate.Next(Environments.Length)];
            var group = $"rg-{environment}-{region}";
            var resource = $"{meter.ResourceType.Split('/')[^1].ToLowerInvariant()}-{environment}-{estate.Next(1, 9)}";
            var quantity = decimal.Round(meter.DailyQuantity * (0.7m + (decimal)today.NextDouble() * 0.6m) * spike, 6);
            var unitPrice = decimal.Round(meter.UsdPrice * (perUsd == 0 ? 1m : perUsd), 6);
            yield return new DailyRatedUsageLine(
                partnerId, customer.Id, customer.CompanyName, s.Id, day, meter.Id, meter.Category, meter.Unit, unitPrice, unitPrice, quantity,
                decimal.Round(quantity * unitPrice, 6), customer.Currency,
                new Dictionary<string, string>
                {
                    ["CustomerDomainName"] = customer.Domain,
                    ["CustomerCountry"] = customer.Country,
                    ["ProductId"] = s.ProductId,
                    ["SkuId"] = s.SkuId,
                    ["AvailabilityId"] = s.AvailabilityId,
                    ["ProductName"] = "Azure plan",
                    ["SkuName"] = "Azure plan",
                    ["PublisherName"] = "Microsoft",
                    ["SubscriptionDescription"] = s.OfferName,
                    ["MeterType"] = meter.Category,
                    ["MeterSubCategory"] = meter.SubCategory,
                    ["MeterName"] = meter.Name,
                    ["MeterRegion"] = region,
                    ["ResourceLocation"] = region,
                    ["ConsumedService"] = meter.ConsumedService,
                    ["ResourceGroup"] = group,
                    ["ResourceURI"] = $"/subscriptions/{EntitlementOf(s)}/resourceGroups/{group}/providers/{meter.ConsumedService}/{meter.ResourceType}/{resource}",
                    ["ChargeType"] = "new",
                    ["UnitType"] = meter.Unit,
                    ["PricingPreTaxTotal"] = decimal.Round(quantity * meter.UsdPrice, 6).ToString(CultureInfo.InvariantCulture),
                    ["PricingCurrency"] = "USD",
                    ["Tags"] = $$"""{"environment":"{{environment}}","costCenter":"cc-{{estate.Next(100, 999)}}"}""",
                    ["PCToBCExchangeRate"] = (perUsd == 0 ? 1m : perUsd).ToString(CultureInfo.InvariantCulture),
                    ["PCToBCExchangeRateDate"] = BillingPeriod.Month(day).Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["EntitlementId"] = EntitlementOf(s).ToString(),
                    ["EntitlementDescription"] = "Azure subscription 1",
                    ["PartnerEarnedCreditPercentage"] = "0",
                    ["CreditPercentage"] = "0",
                    ["CreditType"] = "Credit Not Applied",
                });
        }
    }

    /// <summary>The Azure subscription (entitlement) under the Azure plan: a stable id derived from the plan's.</summary>
    public static Guid EntitlementOf(SimSubscription s) => new(SHA256.HashData(s.Id.ToByteArray())[..16]);

    private static int Seed(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}
