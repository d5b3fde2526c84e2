using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Csp.Data;
using Csp.Domain.Subscriptions;
using Csp.Domain.Terms;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>The customer portal's Azure spend: the customer's own Azure plans, at its price, as its invoice prices them.</summary>
public abstract partial class PortalPagesTests<TDatabase>
{
    [Fact]
    public async Task CustomerPortal_ShowsItsAzureSpendAtItsPrice_AsTheInvoicePricesIt_AndTheMonthSoFar()
    {
        var customerUser = await SignedInCustomerUserAsync();
        // The demo's customer user's customer buys no Azure plan: it gets one, as Partner Center's sync would record it.
        var plan = await App.WithDbAsync(async db =>
        {
            var customer = await db.Users.Where(u => u.CreatedBy == "demo" && u.CustomerId != null).Join(db.Customers, u => u.CustomerId, c => c.Id, (u, c) => c).SingleAsync(Cancel);
            var azure = await db.Subscriptions.Where(s => s.Term == null).OrderBy(s => s.Id).FirstAsync(Cancel);
            var started = new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);
            var subscription = new Subscription(
                Guid.NewGuid(), customer.PartnerId, customer.Id, Guid.NewGuid(), azure.ProductId, azure.SkuId, azure.AvailabilityId, "Azure plan",
                null, BillingPlan.Monthly, 1, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 1), null, started, SubscriptionStatus.Active, null, true, 0m, customer.Currency, null, false, azure.OrderId);
            db.Subscriptions.Add(subscription);
            db.SubscriptionEvents.Add(SubscriptionEvent.Purchased(subscription, new Recorded(started, "test", Guid.NewGuid()), "purchased Azure plan", 1));
            await db.SaveChangesAsync(Cancel);
            return new { subscription.CustomerId, subscription.MicrosoftSubscriptionId, customer.CustomerTenantId };
        });
        var client = App.CreateClient();
        Assert.Contains("No Azure usage of yours", WebUtility.HtmlDecode(await customerUser.GetStringAsync("/my", Cancel)), StringComparison.Ordinal);

        // October whole (a month the files reach to its end), November to the 25th: the app's today is 26 November.
        async Task ImportAsync(int month, int days, string name)
        {
            var lines = new List<string> { string.Join(',', DailyRatedUsageFile.Columns) };
            for (var day = 1; day <= days; day++)
            {
                lines.Add(string.Join(',', DailyRatedUsageFile.Columns.Select(c => c switch
                {
                    "CustomerId" => plan.CustomerTenantId.ToString(),
                    "SubscriptionId" => plan.MicrosoftSubscriptionId.ToString(),
                    "UsageDate" => $"{month:00}/{day:00}/2026",
                    "Quantity" => "24",
                    "BillingPreTaxTotal" => (3.25m + day / 100m).ToString(CultureInfo.InvariantCulture),
                    _ => "",
                })));
            }

            using var response = await client.PostAsync($"/api/usage-imports?fileName={name}", new StringContent(string.Join('\n', lines), System.Text.Encoding.UTF8, "text/csv"), Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        }

        await ImportAsync(10, 31, "october.csv");
        await ImportAsync(11, 25, "november.csv");

        // October at the customer's price is what the seller's invoice preview puts on its invoice for the plan.
        var preview = JsonDocument.Parse(await client.GetStringAsync($"/api/invoices/preview?customerId={plan.CustomerId}&month=2026-10", Cancel)).RootElement;
        var invoiced = preview.GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("kind").GetString() == "usage" && l.GetProperty("microsoftSubscriptionId").GetString() == plan.MicrosoftSubscriptionId.ToString())
            .Sum(l => l.GetProperty("amount").GetDecimal());
        Assert.True(invoiced > 0m, preview.ToString());
        var currency = preview.GetProperty("currency").GetString()!;

        var page = WebUtility.HtmlDecode(await customerUser.GetStringAsync("/my", Cancel));
        var viewer = CultureInfo.GetCultureInfo(Regex.Match(page, "<html lang=\"([^\"]+)\"").Groups[1].Value);
        var text = Regex.Replace(Regex.Replace(page, "<[^>]+>", " "), "\\s+", " ");
        Assert.Contains($"2026-10: {string.Create(viewer, $"{invoiced:N2} {currency}")}", text, StringComparison.Ordinal);
        Assert.Contains($"2026-11, so far (usage to {new DateOnly(2026, 11, 25).ToString("d", viewer)}):", text, StringComparison.Ordinal);
        Assert.Contains($"<code>{plan.MicrosoftSubscriptionId}</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft's cost", page, StringComparison.Ordinal);
    }
}
