using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Csp.Domain;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Files;
using Csp.PartnerCenter.Simulator.Http;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Microsoft's new-commerce license-based price list (docs/microsoft/files.md):
/// <c>GET /v1.0/sales/pricesheets(Market='DE',PricesheetView='updatedlicensebased')/$value</c> with
/// <c>timeline=current</c> (this month's list, the default), <c>history</c> with <c>month=yyyyMM</c>, or <c>future</c>
/// (next month's list, 404 when no change is expected, as Microsoft answers). Each row says how it differs from the month
/// before: <c>ADD</c>, <c>CHG</c>, <c>DEL</c> (the row that left, with its last price) or <c>UNC</c>.
/// </summary>
public static partial class PriceSheets
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/v1.0/sales/{*sheet}", Handle);

    [GeneratedRegex(@"^pricesheets\(Market='(?<market>[A-Za-z]{2})',PricesheetView='(?<view>[A-Za-z_]+)'\)/\$value$")]
    private static partial Regex Sheet();

    private static IResult Handle(string sheet, string? timeline, string? month, SimulatorClock clock)
    {
        var match = Sheet().Match(sheet);
        if (!match.Success)
        {
            return MicrosoftErrors.NotFound($"Resource /v1.0/sales/{sheet}");
        }

        var market = match.Groups["market"].Value.ToUpperInvariant();
        if (!SimulatorCatalog.Markets.Any(m => m.Market == market))
        {
            return MicrosoftErrors.Error(StatusCodes.Status400BadRequest, 800070, $"Market {market} is not supported.");
        }

        if (!match.Groups["view"].Value.Equals("updatedlicensebased", StringComparison.OrdinalIgnoreCase))
        {
            return MicrosoftErrors.InvalidInput("The simulator serves the new-commerce license-based view, updatedlicensebased.");
        }

        var thisMonth = BillingPeriod.Month(BillingClock.MicrosoftDay(clock.GetUtcNow()));
        BillingPeriod listMonth;
        switch (timeline?.ToLowerInvariant() ?? "current")
        {
            case "current":
                listMonth = thisMonth;
                break;
            case "future":
                listMonth = BillingPeriod.Month(thisMonth.End.AddDays(1));
                break;
            case "history" when month is { Length: 6 } && DateOnly.TryParseExact(month + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) && first <= thisMonth.Start:
                listMonth = BillingPeriod.Month(first);
                break;
            default:
                return MicrosoftErrors.InvalidInput("timeline is current, future, or history with month=yyyyMM (not after this month).");
        }

        var entries = Changes(List(market, listMonth.Start), List(market, listMonth.Start.AddMonths(-1)));
        if (timeline == "future" && entries.All(e => e.ChangeIndicator == "UNC"))
        {
            return MicrosoftErrors.NotFound($"A future price list for {market}: no changes are expected");
        }

        var text = new StringWriter();
        PriceListFile.Write(entries, text);
        return Results.Text(text.ToString(), "text/csv", Encoding.UTF8);
    }

    /// <summary>The license-based list in force on <paramref name="on"/> in one market.</summary>
    public static List<PriceListEntry> List(string market, DateOnly on)
    {
        var (_, currency, _) = SimulatorCatalog.Markets.Single(m => m.Market == market);
        var (from, to) = on < SimulatorCatalog.CurrentListFrom
            ? (SimulatorCatalog.PreviousListFrom, (DateOnly?)SimulatorCatalog.CurrentListFrom.AddDays(-1))
            : (SimulatorCatalog.CurrentListFrom, null);
        return SimulatorCatalog.Offers.Where(o => !o.IsUsage).SelectMany(offer => offer.Terms().Select(t =>
        {
            var unit = SimulatorCatalog.UnitPrice(offer, market, t.Term, t.BillingPlan, on);
            return new PriceListEntry(
                0, offer.Title, offer.ProductId, offer.SkuId, offer.Title, "Microsoft Corporation", "", t.Term.ToIso(), t.BillingPlan.ToString(), market, currency, unit,
                new Money(unit * 1.2m, Currency.FromCode(currency).Value).Round(Rounding.ListPrice).Amount, from, to, "License", "Commercial");
        })).ToList();
    }

    /// <summary><paramref name="now"/>'s rows marked against <paramref name="before"/>, and the rows that left marked DEL.</summary>
    public static List<PriceListEntry> Changes(List<PriceListEntry> now, List<PriceListEntry> before)
    {
        static (string, string, string, string) Key(PriceListEntry e) => (e.ProductId, e.SkuId, e.TermDuration, e.BillingPlan);
        var previous = before.ToDictionary(Key);
        var current = now.Select(Key).ToHashSet();
        return
        [
            .. now.Select(e => e with { ChangeIndicator = !previous.TryGetValue(Key(e), out var was) ? "ADD" : was.UnitPrice != e.UnitPrice ? "CHG" : "UNC" }),
            .. before.Where(e => !current.Contains(Key(e))).Select(e => e with { ChangeIndicator = "DEL" }),
        ];
    }
}
