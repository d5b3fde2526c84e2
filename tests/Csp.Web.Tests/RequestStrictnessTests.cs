using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Csp.Commerce.Lifecycle;
using Csp.Web.Http;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Tests;

/// <summary>
/// Request bodies are read strictly: an enum by its name only, a number as a number, each field once and known, nothing
/// required left out — a 400 naming the field, and nothing asked of Partner Center nor written.
/// </summary>
public abstract class RequestStrictnessTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    [Theory]
    [InlineData("{\"decision\":\"cancel\"}", "$.decision")]
    [InlineData("{}", "$.choice")]
    [InlineData("{\"choice\":7}", "$.choice")]
    [InlineData("{\"choice\":-1}", "$.choice")]
    [InlineData("{\"choice\":\"0\"}", "$.choice")]
    [InlineData("{\"choice\":\"cancel,renew\"}", "$.choice")]
    [InlineData("{\"choice\":null}", "$.choice")]
    [InlineData("{\"choice\":\"cancel\",\"choice\":\"renew\"}", "$.choice")]
    [InlineData("{\"choice\":\"renew\",\"renewal\":{\"quantity\":\"12\"}}", "$.renewal.quantity")]
    public async Task EndOfTerm_WithoutAValidChoice_Is400NamingTheFieldAndChangesNothing(string body, string field)
    {
        var s = await BuyThroughPlatformAsync(3);
        var before = await Client.GetSubscriptionAsync(await TenantAsync(s.CustomerId), s.MicrosoftSubscriptionId.ToString(), Cancel);

        var response = await PostJsonAsync($"/api/subscriptions/{s.Id}/end-of-term", body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var after = await Client.GetSubscriptionAsync(await TenantAsync(s.CustomerId), s.MicrosoftSubscriptionId.ToString(), Cancel);
        var audited = await App.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.SubscriptionId == s.Id && a.Action != OrderSubscription.Action, Cancel));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("request.malformed", field), (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString()));
        Assert.Contains(field, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(before.Attributes.Etag, after.Attributes.Etag);
        Assert.Equal(0, audited);
    }

    [Fact]
    public async Task EndOfTerm_ChoiceByName_IsReadWhateverItsCase()
    {
        var s = await BuyThroughPlatformAsync(3);

        var response = await PostJsonAsync($"/api/subscriptions/{s.Id}/end-of-term/preview", "{\"choice\":\"Cancel\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("set_end_of_term", (await response.Content.ReadFromJsonAsync<ActionPreview>(Json, Cancel))!.Action);
    }

    [Theory]
    [InlineData("{\"filter\":{\"estRiskOnly\":true}}", "$.choice")]
    [InlineData("{\"choice\":1,\"filter\":{\"estRiskOnly\":true}}", "$.choice")]
    [InlineData("{\"choice\":\"cancel\"}", "$.filter")]
    public async Task BulkEndOfTermPreview_WithoutAValidChoice_Is400(string body, string field)
    {
        var response = await PostJsonAsync("/api/renewals/end-of-term/preview", body, key: "");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("seats", "{\"quantity\":\"12\"}", "$.quantity")]
    [InlineData("seats", "{\"quantity\":12,\"quantity\":13}", "$.quantity")]
    [InlineData("seats", "{\"quantity\":12.5}", "$.quantity")]
    [InlineData("seats", "{\"quantity\":99999999999}", "$.quantity")]
    [InlineData("seats", "{\"seats\":12}", "$.seats")]
    [InlineData("seats", "", "$")]
    [InlineData("seats", "null", "$")]
    [InlineData("seats/preview", "null", "$")]
    [InlineData("upgrade", "", "$")]
    [InlineData("upgrade/preview", "null", "$")]
    [InlineData("billing-plan", "null", "$")]
    [InlineData("billing-plan/preview", "", "$")]
    [InlineData("billing-plan", "{\"billingPlan\":null}", "$.billingPlan")]
    public async Task Action_WithAMalformedBody_Is400NamingTheFieldNot500(string action, string body, string field)
    {
        var s = await BuyThroughPlatformAsync(3);

        var response = await PostJsonAsync($"/api/subscriptions/{s.Id}/{action}", body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("request.malformed", field), (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString()));
        Assert.DoesNotContain("Implicit body", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Csp.", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdempotencyKey_TheSameBodyWrittenWithOtherSpacingAndOrder_IsTheSameRequestAndReplayed()
    {
        var s = await BuyThroughPlatformAsync(3);
        var key = Guid.NewGuid().ToString();

        var first = await PostJsonAsync($"/api/subscriptions/{s.Id}/end-of-term", "{\"choice\":\"cancel\"}", key);
        var second = await PostJsonAsync($"/api/subscriptions/{s.Id}/end-of-term", "{ \"choice\" :\n  \"cancel\" }", key);
        var other = await PostJsonAsync($"/api/subscriptions/{s.Id}/end-of-term", "{\"choice\":\"est\"}", key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(second.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
    }

    [Fact]
    public async Task ChangeSeats_AboveTheSkusMaximum_Is400BeforePartnerCenterIsAsked()
    {
        var s = await BuyThroughPlatformAsync(3);
        var tenant = await TenantAsync(s.CustomerId);
        var before = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);

        var huge = await PostAsync($"/api/subscriptions/{s.Id}/seats", new { quantity = int.MaxValue });
        var preview = await PostAsync($"/api/subscriptions/{s.Id}/seats/preview", new { quantity = 301 });
        var renewal = await PostAsync($"/api/subscriptions/{s.Id}/end-of-term", new { choice = "renew", renewal = new { quantity = 100_000 } });
        var problem = await huge.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var after = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);
        var held = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(x => x.Id == s.Id, Cancel));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (huge.StatusCode, preview.StatusCode, renewal.StatusCode));
        Assert.Equal(("request.invalid_parameter", "quantity"), (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString()));
        Assert.Contains("from 1 to 300", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(before.Attributes.Etag, after.Attributes.Etag);
        Assert.Equal(3, held.Quantity);
    }

    [Fact]
    public async Task PartnerCenter_AboveTheSkusMaximum_RefusesTheSeats()
    {
        var s = await BuyThroughPlatformAsync(3);
        var tenant = await TenantAsync(s.CustomerId);
        var current = await Client.GetSubscriptionAsync(tenant, s.MicrosoftSubscriptionId.ToString(), Cancel);

        var refused = await Assert.ThrowsAsync<Csp.PartnerCenter.Api.PartnerCenterException>(() => Client.PatchSubscriptionAsync(tenant, current with { Quantity = 301 }, Guid.NewGuid(), Cancel));

        Assert.Equal((HttpStatusCode.Forbidden, "800067"), (refused.Status, refused.Error.Code));
    }

    /// <summary>A POST of <paramref name="body"/> exactly as written, as JSON, under a new Idempotency-Key (none when <paramref name="key"/> is empty).</summary>
    private Task<HttpResponseMessage> PostJsonAsync(string path, string body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key != "")
        {
            request.Headers.Add(Idempotency.Header, key ?? Guid.NewGuid().ToString());
        }

        return App.CreateClient().SendAsync(request, Cancel);
    }
}

public sealed class SqliteRequestStrictnessTests : RequestStrictnessTests<SqliteDatabase>;

public sealed class PostgresRequestStrictnessTests : RequestStrictnessTests<PostgresDatabase>;
