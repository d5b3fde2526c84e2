using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Csp.PartnerCenter.Api;
using Microsoft.Extensions.Time.Testing;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>The client's Secure Application Model token source against the simulator's stand-in for Entra ID.</summary>
public sealed class SecureApplicationModelTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Application(bool withoutMfa = false) => new()
    {
        ["Simulator:SecureApplicationModel:ApplicationId"] = "3c2a9f5e-0000-4000-8000-000000000001",
        ["Simulator:SecureApplicationModel:ApplicationSecret"] = "app-secret",
        ["Simulator:SecureApplicationModel:RefreshToken"] = "consented-refresh-token",
        ["Simulator:SecureApplicationModel:WithoutMfa"] = withoutMfa ? "true" : "false",
    };

    /// <summary>The client configured for the Secure Application Model, with no development token at all.</summary>
    private static Dictionary<string, string?> Client(Uri simulator) => new()
    {
        ["Token"] = "",
        ["SecureApplicationModel:Authority"] = new Uri(simulator, "/_login/").ToString(),
        ["SecureApplicationModel:TenantId"] = "8f7c2a3e-5b1d-4e9a-9c6f-2d4b8a1e7f30",
        ["SecureApplicationModel:ApplicationId"] = "3c2a9f5e-0000-4000-8000-000000000001",
        ["SecureApplicationModel:ApplicationSecret"] = "app-secret",
        ["SecureApplicationModel:RefreshToken"] = "consented-refresh-token",
    };

    [Fact]
    public async Task Calls_WithTheRefreshTokenOfAnMfaConsent_AreAuthorisedAndStaySoAfterTheTokenExpires()
    {
        var time = new FakeTimeProvider(SimulatedPartnerCenter.DefaultStart);
        await using var pc = new SimulatedPartnerCenter(clientTime: time, settings: Application(), clientSettings: Client);

        var customer = await pc.CustomerAsync();
        await pc.AdvanceAsync(TimeSpan.FromHours(2));
        time.Advance(TimeSpan.FromHours(2));
        var again = await pc.Client.GetCustomerAsync(customer.Id!, Cancel);

        Assert.Equal(customer.Id, again.Id);
    }

    [Fact]
    public async Task Tokens_WithoutTheMfaClaim_AreRefusedByTheClientAndByPartnerCenter()
    {
        await using var pc = new SimulatedPartnerCenter(settings: Application(withoutMfa: true), clientSettings: Client);

        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.GetCustomerAsync(Guid.NewGuid().ToString(), Cancel));
        var token = await (await pc.Control.PostAsync("/_login/8f7c2a3e-5b1d-4e9a-9c6f-2d4b8a1e7f30/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "3c2a9f5e-0000-4000-8000-000000000001",
            ["client_secret"] = "app-secret",
            ["refresh_token"] = "consented-refresh-token",
            ["scope"] = "https://api.partnercenter.microsoft.com/user_impersonation offline_access",
        }), Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/customers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        var answer = await pc.Control.SendAsync(request, Cancel);
        var error = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal((HttpStatusCode.Unauthorized, "mfa_required"), (refused.Status, refused.Code));
        Assert.Equal((HttpStatusCode.Unauthorized, 900419), (answer.StatusCode, error.GetProperty("code").GetInt32()));
        Assert.Contains("invalid_token", answer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRotatedRefreshToken_IsKept_AndTheKeptOneIsUsedBeforeTheConfiguredOne()
    {
        var kept = new RefreshTokensInMemory();
        await using (var pc = new SimulatedPartnerCenter(settings: Application(), clientSettings: Client, refreshTokens: kept))
        {
            await pc.CustomerAsync();
        }

        // Kept behind the call that redeemed it.
        var rotated = await kept.LoadAsync(Cancel);
        for (var waited = 0; rotated is null && waited < 200; waited++)
        {
            await Task.Delay(25, Cancel);
            rotated = await kept.LoadAsync(Cancel);
        }

        // A store holding a token Microsoft never issued is used first, and refused: the kept token comes before the configured one.
        var stale = new RefreshTokensInMemory();
        await stale.SaveAsync("never-issued", Cancel);
        await using var other = new SimulatedPartnerCenter(settings: Application(), clientSettings: Client, refreshTokens: stale);
        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => other.Client.GetCustomerAsync(Guid.NewGuid().ToString(), Cancel));

        Assert.False(string.IsNullOrEmpty(rotated));
        Assert.NotEqual("consented-refresh-token", rotated);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (refused.Status, refused.Code));
    }

    [Fact]
    public async Task RefreshToken_NotTheConsentedOne_IsInvalidGrant()
    {
        await using var pc = new SimulatedPartnerCenter(settings: Application(), clientSettings: simulator => new Dictionary<string, string?>(Client(simulator)) { ["SecureApplicationModel:RefreshToken"] = "stolen" });

        var refused = await Assert.ThrowsAsync<PartnerCenterException>(() => pc.Client.GetCustomerAsync(Guid.NewGuid().ToString(), Cancel));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (refused.Status, refused.Code));
    }

    [Fact]
    public void ARotatedRefreshToken_IsRedeemedOncePerRun_AndStillAfterTheSimulatorRestarts()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Csp.PartnerCenter.Simulator.SimulatorOptions
        {
            SecureApplicationModel = new() { ApplicationId = "3c2a9f5e-0000-4000-8000-000000000001", ApplicationSecret = "app-secret", RefreshToken = "consented-refresh-token" },
        });
        var clock = new Csp.PartnerCenter.Simulator.SimulatorClock(new FakeTimeProvider(SimulatedPartnerCenter.DefaultStart));
        var first = new Csp.PartnerCenter.Simulator.Http.SimulatorTokens(options, clock);
        const string Scope = "https://api.partnercenter.microsoft.com/user_impersonation offline_access";

        var rotated = first.Redeem("3c2a9f5e-0000-4000-8000-000000000001", "app-secret", "consented-refresh-token", Scope)!.Value.RefreshToken;
        var next = first.Redeem("3c2a9f5e-0000-4000-8000-000000000001", "app-secret", rotated, Scope);
        var again = first.Redeem("3c2a9f5e-0000-4000-8000-000000000001", "app-secret", rotated, Scope);
        var forged = first.Redeem("3c2a9f5e-0000-4000-8000-000000000001", "app-secret", $"{rotated[..^1]}{(rotated[^1] == '0' ? '1' : '0')}", Scope);
        var afterRestart = new Csp.PartnerCenter.Simulator.Http.SimulatorTokens(options, clock).Redeem("3c2a9f5e-0000-4000-8000-000000000001", "app-secret", next!.Value.RefreshToken, Scope);

        Assert.NotNull(next);
        Assert.Null(again);
        Assert.Null(forged);
        Assert.NotNull(afterRestart);
    }
}
