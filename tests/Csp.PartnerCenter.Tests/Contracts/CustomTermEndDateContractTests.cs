using System.Text.Json;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Tests.Simulator;

namespace Csp.PartnerCenter.Tests.Contracts;

/// <summary>
/// Custom term end dates against Microsoft's custom-term-end-dates sample: the client reads its days, written without an
/// offset, as UTC days; the simulator answers with every documented name, a calendar month's end and the days the
/// customer's subscriptions end.
/// </summary>
public sealed class CustomTermEndDateContractTests
{
    private const string Sample = "custom-term-end-dates.response.json";

    private static readonly string[] Kinds = ["calendarMonthAligned", "subscriptionAligned"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Client_ReadsMicrosoftsEndDates_AsUtcDays()
    {
        var dates = MicrosoftSample.Read(Sample).Body.Deserialize(PartnerCenterJson.Default.ResourcePageCustomTermEndDate)!.Items;

        Assert.Equal(
            [("calendarMonthAligned", new DateTimeOffset(2023, 7, 31, 0, 0, 0, TimeSpan.Zero), 0), ("subscriptionAligned", new DateTimeOffset(2023, 8, 1, 0, 0, 0, TimeSpan.Zero), 2)],
            dates.Select(d => (d.AllowedCustomTermEndDateType, d.AllowedCustomTermEndDate, d.CotermSubscriptionIds?.Count ?? 0)));
        Assert.All(dates, d => Assert.Equal(TimeSpan.Zero, d.AllowedCustomTermEndDate.Offset));
    }

    [Fact]
    public async Task Simulator_EndDates_HaveEveryNameOfMicrosoftsSample()
    {
        await using var pc = new SimulatedPartnerCenter();
        var customer = await pc.CustomerAsync("US");
        var subscription = await pc.SubscribeAsync(customer);

        var answer = await pc.GetJsonAsync($"v1/customers/{customer.Id}/subscriptions/customTermEndDates?term_duration=P1Y");

        // Microsoft's items differ by type (a subscription-aligned date names its subscriptions): each is held to its own kind.
        var documented = MicrosoftSample.Read(Sample).Body.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("allowedCustomTermEndDateType").GetString()!);
        Assert.Empty(JsonShape.Missing(MicrosoftSample.Read(Sample).Body, answer));
        Assert.All(answer.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.Empty(JsonShape.Missing(documented[i.GetProperty("allowedCustomTermEndDateType").GetString()!], i));
            Assert.Empty(JsonShape.Extra(documented[i.GetProperty("allowedCustomTermEndDateType").GetString()!], i));
        });
        Assert.Equal(Kinds, answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("allowedCustomTermEndDateType").GetString()).Distinct().Order());
        Assert.Contains(subscription.Id, answer.GetProperty("items").EnumerateArray().SelectMany(i => i.TryGetProperty("cotermSubscriptionIds", out var ids) ? ids.EnumerateArray().Select(id => id.GetString()) : []));
    }
}
