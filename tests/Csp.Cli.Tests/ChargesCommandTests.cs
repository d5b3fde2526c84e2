using System.Text.Json;

using static Csp.Cli.Tests.Csp;

namespace Csp.Cli.Tests;

public class ChargesCommandTests
{
    private static string Column(string row, string name) => row.Split(',')[Array.IndexOf(ChargeLineOutput.Columns, name)];

    [Fact]
    public void Preview_March2022Table_FullPrecision_PrintsMicrosoftsSubtotalsInOrder()
    {
        var (exitCode, output, error) = Run("charges", "preview", Scenario("march-2022.json"), "--rounding", "full-precision");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Equal(string.Join(',', ChargeLineOutput.Columns), output[0]);
        Assert.Equal(
            ["120", "-112.25", "168.38", "-150.96", "251.61", "-232.25", "213.67", "-195.87", "170.32", "-85.16", "127.74", "360"],
            output.Skip(1).Select(row => Column(row, "Subtotal")));
        Assert.Equal("renew", Column(output[^1], "ChargeType"));
        Assert.Equal("2022-04-05", Column(output[^1], "OrderDate"));
        Assert.Equal(Column(output[2], "ReferenceId"), Column(output[3], "ReferenceId"));
    }

    [Fact]
    public void Preview_Through_LeavesOutLaterCharges()
    {
        var json = File.ReadAllText(Scenario("march-2022.json")).Replace("2022-04-05", "2022-03-10", StringComparison.Ordinal);

        var (_, output, _) = Run("charges", "preview", TemporaryFile(json, "json"));

        Assert.Equal(6, output.Length);
        Assert.All(output.Skip(1), row => Assert.True(string.CompareOrdinal(Column(row, "OrderDate"), "2022-03-10") <= 0));
    }

    [Fact]
    public void Preview_DefaultRounding_IsMicrosoftsDocumentedFormula()
    {
        var (_, output, _) = Run("charges", "preview", Scenario("march-2022.json"));

        Assert.Equal("-112.20", Column(output[2], "Subtotal"));
    }

    [Fact]
    public void Preview_JsonFormat_PrintsOneObjectPerLineWithTheSameFields()
    {
        var (exitCode, output, _) = Run("charges", "preview", Scenario("march-2022.json"), "--format", "json", "--rounding", "full-precision");

        using var first = JsonDocument.Parse(output[1]);
        Assert.Equal(0, exitCode);
        Assert.Equal(12, output.Length);
        Assert.Equal(ChargeLineOutput.Columns, first.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(-112.25m, first.RootElement.GetProperty("Subtotal").GetDecimal());
        Assert.Equal("addQuantity", first.RootElement.GetProperty("ChargeType").GetString());
    }

    // The example shows each event type once and is not one coherent history: it reads, then the engine refuses
    // the upgrade of a subscription cancelled the same day.
    [Fact]
    public void Preview_TheFormatsExample_ReadsEveryEventTypeAndRefusesTheIncoherentHistory()
    {
        var history = ScenarioFile.Read(File.ReadAllText(Scenario("issue-example.json")));

        var (exitCode, output, error) = Run("charges", "preview", Scenario("issue-example.json"));

        Assert.True(history.IsSuccess, history.Error?.Message);
        Assert.Equal(6, history.Value.Events.Count);
        Assert.Equal(2, exitCode);
        Assert.Equal([""], output);
        Assert.Contains("Event 2 (2022-03-09, upgrade on s1)", error, StringComparison.Ordinal);
        Assert.Contains("[subscription.not_active]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_AReductionAfterTheWindow_IsOneLineNamingTheEventRuleAndLimit()
    {
        var json = File.ReadAllText(Scenario("march-2022.json")).Replace("\"quantity\": 23", "\"quantity\": 2", StringComparison.Ordinal);

        var (exitCode, _, error) = Run("charges", "preview", TemporaryFile(json, "json"));

        Assert.Equal(2, exitCode);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("Event 2 (2022-03-12, changeQuantity", error, StringComparison.Ordinal);
        Assert.Contains("subscription.seat_reduction_window_closed", error, StringComparison.Ordinal);
        Assert.Contains("allowed until 2022-03-12 00:00:00 UTC", error, StringComparison.Ordinal);
    }

    // "Align subscription end dates": a year aligned to the calendar month, billed monthly — July 15–31 charged for its 17
    // days of 31, then calendar months, renewing July 1 for a whole year — and a year paid annually made coterminous
    // with a subscription ending October 1, charged once for its 93 days of 365.
    [Fact]
    public void Preview_CustomTermEndDates_ProrateTheFirstTermAndRenewWhole()
    {
        var (exitCode, output, error) = Run("charges", "preview", Scenario("align-end-dates.json"), "--rounding", "full-precision");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        var calendar = output.Skip(1).Where(row => Column(row, "SubscriptionId") == "calendar").ToList();
        Assert.Equal(("new", "2022-07-15", "2022-07-31", "2023-06-30", "65.80"), Fields(calendar[0]));
        Assert.Equal(("cycleCharge", "2022-08-01", "2022-08-31", "2023-06-30", "120.00"), Fields(calendar[1]));
        Assert.Equal(("renew", "2023-07-01", "2023-07-31", "2024-06-30", "120.00"), Fields(calendar[^1]));
        var coterminous = output.Skip(1).Where(row => Column(row, "SubscriptionId") == "coterminous").ToList();
        Assert.Equal(("new", "2022-07-01", "2022-10-01", "2022-10-01", "336.32"), Fields(coterminous[0]));
        Assert.Equal("", Column(coterminous[0], "BillingFrequency"));
        Assert.Equal(("renew", "2022-10-02", "2023-10-01", "2023-10-01", "1320.00"), Fields(coterminous[1]));

        static (string, string, string, string, string) Fields(string row) =>
            (Column(row, "ChargeType"), Column(row, "ChargeStartDate"), Column(row, "ChargeEndDate"), Column(row, "SubscriptionEndDate"), Column(row, "Subtotal"));
    }

    // Microsoft's sample invoice line for Power BI Premium Per User with a 10% promotion.
    [Fact]
    public void Preview_Promotion_PrintsTheListPriceTheDiscountedPriceAndThePromotionThenRenewsAtTheListPrice()
    {
        var (exitCode, output, _) = Run("charges", "preview", Scenario("promotion.json"));

        Assert.Equal(0, exitCode);
        Assert.Equal(("16", "14.40", "720.00"), (Column(output[1], "UnitPrice"), Column(output[1], "EffectiveUnitPrice"), Column(output[1], "Subtotal")));
        Assert.Equal("78bcf906-b945-4210-8818-cfb93caf12a1", Column(output[1], "PromotionId"));
        Assert.Equal(("renew", "16", "800", ""), (Column(output[^1], "ChargeType"), Column(output[^1], "EffectiveUnitPrice"), Column(output[^1], "Subtotal"), Column(output[^1], "PromotionId")));
    }

    [Theory]
    [InlineData("\"promotionDiscount\": 0.10", "\"promotionDiscount\": 10", "$.subscriptions[0].promotionDiscount")]
    [InlineData("\"promotionDiscount\": 0.10", "\"promotionDiscount\": \"10%\"", "$.subscriptions[0].promotionDiscount")]
    [InlineData("\"start\": \"2021-05-20\"", "\"start\": \"2021-05-20\", \"customTermEndDate\": \"2021-13-01\"", "$.subscriptions[0].customTermEndDate")]
    public void Preview_BadPromotionOrEndDate_NamesTheJsonPathAndExits2(string find, string replace, string path)
    {
        var json = File.ReadAllText(Scenario("promotion.json")).Replace(find, replace, StringComparison.Ordinal);

        var (exitCode, _, error) = Run("charges", "preview", TemporaryFile(json, "json"));

        Assert.Equal(2, exitCode);
        Assert.Contains(path + ":", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_CustomTermEndDateBeyondTheTerm_IsRefusedWithItsCode()
    {
        var json = File.ReadAllText(Scenario("align-end-dates.json")).Replace("\"2023-06-30\"", "\"2023-07-15\"", StringComparison.Ordinal);

        var (exitCode, _, error) = Run("charges", "preview", TemporaryFile(json, "json"));

        Assert.Equal(2, exitCode);
        Assert.Contains("charges.invalid_term_end", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"quantity\": 15", "\"quantity\": \"15\"", "$.events[0].quantity")]
    [InlineData("\"unitPrice\": 12,", "\"unitPrice\": 12, \"colour\": \"red\",", "$.subscriptions[0].colour")]
    [InlineData("\"term\": \"P1M\",", "", "$.subscriptions[0].term")]
    [InlineData("\"start\": \"2022-03-05\"", "\"start\": \"2022-02-30\"", "$.subscriptions[0].start")]
    [InlineData("\"type\": \"changeQuantity\", \"quantity\": 15", "\"type\": \"resize\", \"quantity\": 15", "$.events[0].type")]
    [InlineData("\"currency\": \"EUR\"", "\"currency\": \"EURO\"", "$.currency")]
    public void Preview_MalformedScenario_NamesTheJsonPathAndExits2(string find, string replace, string path)
    {
        var json = File.ReadAllText(Scenario("march-2022.json")).Replace(find, replace, StringComparison.Ordinal);

        var (exitCode, _, error) = Run("charges", "preview", TemporaryFile(json, "json"));

        Assert.Equal(2, exitCode);
        Assert.Contains(path + ":", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_NotJson_NamesTheLine()
    {
        var (exitCode, _, error) = Run("charges", "preview", TemporaryFile("{\n  \"currency\": \"EUR\",\n  \"through\": ]", "json"));

        Assert.Equal(2, exitCode);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_MissingFile_Exits2()
    {
        var (exitCode, _, error) = Run("charges", "preview", "/nonexistent/scenario.json");

        Assert.Equal(2, exitCode);
        Assert.Contains("scenario.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_UnknownRounding_NamesTheOption()
    {
        var (exitCode, _, error) = Run("charges", "preview", Scenario("march-2022.json"), "--rounding", "bankers");

        Assert.Equal(2, exitCode);
        Assert.Contains("--rounding", error, StringComparison.Ordinal);
    }
}
