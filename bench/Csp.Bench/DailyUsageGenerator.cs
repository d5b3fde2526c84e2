using System.Globalization;
using System.Text;
using Csp.PartnerCenter.Files;

namespace Csp.Bench;

/// <summary>
/// A seeded daily rated usage file shaped like Partner Center's: Microsoft's 55 columns, a distributor with 20,000
/// customers of two Azure plan subscriptions each, 2,000 meters, 31 days, JSON tags and additional info in quotes.
/// The same seed and size always give the same bytes.
/// </summary>
public static class DailyUsageGenerator
{
    public const int Customers = 20_000;
    private const int Meters = 2_000;

    private static readonly string[] Categories = ["Virtual Machines", "Storage", "Azure App Service", "SQL Database", "Bandwidth", "Azure Monitor", "Azure Cosmos DB", "Azure Kubernetes Service"];
    private static readonly string[] Regions = ["West Europe", "North Europe", "East US", "UK South", "Germany West Central", "Australia East"];
    private static readonly string[] Locations = ["westeurope", "northeurope", "eastus", "uksouth", "germanywestcentral", "australiaeast"];
    private static readonly string[] Countries = ["GB", "DE", "FR", "NL", "US", "AU", "DK", "IE"];

    public static void Write(string path, int rows, int seed = 2026)
    {
        var random = new Random(seed);
        var customers = Enumerable.Range(0, Customers).Select(_ => NewGuid(random)).ToArray();
        var subscriptions = Enumerable.Range(0, Customers * 2).Select(_ => NewGuid(random)).ToArray();
        var meters = Enumerable.Range(0, Meters).Select(i => (Id: NewGuid(random), Category: Categories[i % Categories.Length], Price: Math.Round((decimal)random.NextDouble() * 2.5m + 0.000001m, 6))).ToArray();
        var partner = NewGuid(random);

        using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        file.Write(string.Join(',', DailyRatedUsageFile.Columns));
        file.Write('\n');
        var line = new StringBuilder(1024);
        for (var i = 0; i < rows; i++)
        {
            var c = random.Next(Customers);
            var s = (c * 2) + random.Next(2);
            var m = meters[random.Next(Meters)];
            var day = 1 + random.Next(31);
            var region = random.Next(Regions.Length);
            var quantity = Math.Round((decimal)random.NextDouble() * 48m, 6);
            var total = Math.Round(m.Price * quantity, 6);
            var rg = $"rg-app{c % 37}-{(c % 3 == 0 ? "prod" : "dev")}";

            line.Clear();
            line.Append(partner).Append(",Northwind Cloud Distribution,").Append(customers[c]).Append(",Customer ").Append(c).Append(" Ltd,customer").Append(c).Append(".onmicrosoft.com,")
                .Append(Countries[c % Countries.Length]).Append(",5120745,").Append(4_100_000 + (c % 3)).Append(",G0").Append(16_907_411 + (c % 5)).Append(",DZH318Z0BPS6,0001,DZH318Z0BPKG,Microsoft Azure,Azure plan,Microsoft,,Azure plan,")
                .Append(subscriptions[s]).Append(",03/01/2026,03/31/2026,03/").Append(day.ToString("00", CultureInfo.InvariantCulture)).Append("/2026,Consumption,").Append(m.Category).Append(',')
                .Append(m.Id).Append(",Standard,Meter ").Append(m.Id.ToString()[..8]).Append(',').Append(Regions[region]).Append(",1 Hour,").Append(Locations[region]).Append(",Microsoft.Compute,").Append(rg)
                .Append(",/subscriptions/").Append(subscriptions[s]).Append("/resourceGroups/").Append(rg).Append("/providers/Microsoft.Compute/virtualMachines/vm-").Append(c % 211)
                .Append(",Consumption,").Append(m.Price.ToString(CultureInfo.InvariantCulture)).Append(',').Append(quantity.ToString(CultureInfo.InvariantCulture)).Append(",1 Hour,")
                .Append(total.ToString(CultureInfo.InvariantCulture)).Append(",EUR,").Append(total.ToString(CultureInfo.InvariantCulture)).Append(",EUR,,,")
                .Append("\"{\"\"env\"\":\"\"").Append(c % 3 == 0 ? "prod" : "dev").Append("\"\",\"\"costCenter\"\":\"\"cc-").Append(c % 97).Append("\"\"}\",")
                .Append("\"{\"\"ImageType\"\":\"\"Canonical\"\",\"\"ServiceType\"\":\"\"Standard_D2s_v3\"\",\"\"VMName\"\":\"\"vm-").Append(c % 211).Append("\"\"}\",")
                .Append(m.Price.ToString(CultureInfo.InvariantCulture)).Append(",1,03/01/2026,").Append(subscriptions[s]).Append(",Azure subscription ").Append(s % 2 + 1)
                .Append(",15,0,Credit Not Applied,,,\n");
            file.Write(line);
        }
    }

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
