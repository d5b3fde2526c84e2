using System.Net;
using Csp.Data;
using Csp.PartnerCenter.Api;
using Csp.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>The settings page's Partner Center connection, against the simulator's stand-in for Entra ID.</summary>
public abstract partial class PortalPagesTests<TDatabase>
{
    private const string ApplicationId = "3c2a9f5e-0000-4000-8000-000000000001";
    private const string ApplicationSecret = "application-secret-never-shown";
    private const string ConsentedRefreshToken = "consented-refresh-token-never-shown";

    /// <summary>
    /// The simulator knows the application; the host's own token is one it refuses, so that only a connection set on the
    /// page gets Partner Center's answer.
    /// </summary>
    private static readonly Dictionary<string, string> SimulatedApplication = new()
    {
        ["Simulator:SecureApplicationModel:ApplicationId"] = ApplicationId,
        ["Simulator:SecureApplicationModel:ApplicationSecret"] = ApplicationSecret,
        ["Simulator:SecureApplicationModel:RefreshToken"] = ConsentedRefreshToken,
        ["PartnerCenter:Token"] = "not-a-token-partner-center-knows",
        ["Requests:PerCallerPerMinute"] = "1000000",
    };

    [Fact]
    public async Task PartnerCenterConnection_IsCheckedBeforeItIsKept_UsedFromTheNextCall_NeverShown_AndForgotten()
    {
        await using var app = await CommerceApp.WithSimulatorAsync(Database, Time, settings: SimulatedApplication);
        var client = app.CreateClient();
        var customerTenant = await app.WithDbAsync(db => db.Customers.IgnoreQueryFilters([CommerceDb.PartnerFilter]).OrderBy(c => c.Name).Select(c => c.CustomerTenantId).FirstAsync(Cancel));
        var secretsBefore = await app.WithDbAsync(db => db.StoredSecrets.Select(s => s.Name).ToListAsync(Cancel));
        Dictionary<string, string> Connection(string secret, string refreshToken, string tenant = "8f7c2a3e-5b1d-4e9a-9c6f-2d4b8a1e7f30") => new()
        {
            ["_handler"] = "partner-center",
            ["Connection.Step"] = "save",
            ["Connection.BaseAddress"] = app.SimulatorUrl!,
            ["Connection.Authority"] = $"{app.SimulatorUrl}/_login/",
            ["Connection.TenantId"] = tenant,
            ["Connection.ApplicationId"] = ApplicationId,
            ["Connection.ApplicationSecret"] = secret,
            ["Connection.RefreshToken"] = refreshToken,
        };

        // A new client for every call, as every use case is given one: Partner Center's status, or null for an answer.
        async Task<HttpStatusCode?> CallAsync()
        {
            try
            {
                await app.Services.GetRequiredService<PartnerCenterClient>().GetCustomerAsync(customerTenant.ToString(), Cancel);
                return null;
            }
            catch (PartnerCenterException e)
            {
                return e.Status;
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync());

        // A wrong secret, or a tenant that is not an id: refused with the reason, nothing kept, the host's token still used.
        var wrong = await PostPairsAsync(client, "/settings", [.. Connection("not-the-secret", ConsentedRefreshToken)]);
        Assert.Contains("AADSTS70000: The refresh token or the application's credentials are not valid. Nothing was saved.", wrong, StringComparison.Ordinal);
        var notAnId = await PostPairsAsync(client, "/settings", [.. Connection(ApplicationSecret, ConsentedRefreshToken, tenant: "contoso")]);
        Assert.Contains("tenantId is the partner's Microsoft Entra tenant id", notAnId, StringComparison.Ordinal);

        // An Entra ID that does not answer, or an address that is not a token endpoint: said so, nothing kept.
        var unreachable = await PostPairsAsync(client, "/settings", [.. new Dictionary<string, string>(Connection(ApplicationSecret, ConsentedRefreshToken)) { ["Connection.Authority"] = "http://127.0.0.1:1/" }]);
        Assert.Contains("The token endpoint at http://127.0.0.1:1/ did not answer", unreachable, StringComparison.Ordinal);
        var notATokenEndpoint = await PostPairsAsync(client, "/settings", [.. new Dictionary<string, string>(Connection(ApplicationSecret, ConsentedRefreshToken)) { ["Connection.Authority"] = $"{app.SimulatorUrl}/" }]);
        Assert.Contains("The token endpoint refused the refresh token", notATokenEndpoint, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved.", notATokenEndpoint, StringComparison.Ordinal);
        Assert.Equal(secretsBefore, await app.WithDbAsync(db => db.StoredSecrets.Select(s => s.Name).ToListAsync(Cancel)));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync());

        // Another host of the same database, running already.
        await using var otherHost = new CommerceApp(Database, Time) { Settings = SimulatedApplication };
        var otherConnection = otherHost.Services.GetRequiredService<PartnerCenterConnection>();
        Assert.Null(otherConnection.Current);

        // Accepted by Entra ID, with MFA: kept encrypted, and the next call is answered.
        var saved = await PostFormAsync(client, "/settings", Connection(ApplicationSecret, ConsentedRefreshToken));
        Assert.Contains("Entra ID accepted the application and the refresh token, with MFA", saved, StringComparison.Ordinal);
        Assert.Null(await CallAsync());

        // The other host reads it again within a minute.
        Time.Advance(TimeSpan.FromMinutes(1));
        for (var waited = 0; otherConnection.Current is null && waited < 200; waited++)
        {
            await Task.Delay(25, Cancel);
        }

        Assert.Equal(ApplicationId, otherConnection.Current?.ApplicationId);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/settings", Cancel));
        Assert.Contains("on this page", page, StringComparison.Ordinal);
        Assert.Contains($"application <code>{ApplicationId}</code>", page, StringComparison.Ordinal);
        Assert.Matches("<td>PartnerCenterConnectionSet</td><td>[^<]*as application " + ApplicationId, page);
        var stored = await app.WithDbAsync(db => db.StoredSecrets.Select(s => s.ProtectedValue).ToListAsync(Cancel));
        foreach (var text in stored.Append(page).Append(saved))
        {
            Assert.DoesNotContain(ApplicationSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("refresh-token-never-shown", text, StringComparison.Ordinal);
        }

        // Saved again with the secrets left empty, the kept ones are used (the refresh token Entra ID rotated to).
        var kept = await PostFormAsync(client, "/settings", Connection("", ""));
        Assert.Contains("Entra ID accepted", kept, StringComparison.Ordinal);
        Assert.NotEqual(ConsentedRefreshToken, await app.Services.GetRequiredService<RefreshTokenStore>().LoadAsync(Cancel));

        // A sync redeems the refresh token inside its transaction: the rotated one is kept behind the call, never waited
        // for (on SQLite the sync's transaction holds the database the store writes to).
        var sync = await client.PostAsync("/api/partner-center/sync", null, Cancel);
        Assert.True(sync.StatusCode == HttpStatusCode.OK, await sync.Content.ReadAsStringAsync(Cancel));
        Assert.Null(await CallAsync());

        // A reseller's admin neither sees the form nor may send it.
        var reseller = await app.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel));
        await using (var asReseller = new CommerceApp(Database, Time, reseller) { Settings = SimulatedApplication })
        {
            var theirs = asReseller.CreateClient();
            Assert.Contains("is set by an admin of its one distributor", WebUtility.HtmlDecode(await theirs.GetStringAsync("/settings", Cancel)), StringComparison.Ordinal);
            var refused = await theirs.PostAsync("/settings", new FormUrlEncodedContent(new Dictionary<string, string>(Connection("", "")) { ["Connection.Step"] = "forget", ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(theirs, "/settings") }), Cancel);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.NotNull(app.Services.GetRequiredService<PartnerCenterConnection>().Current);

        // Forgetting is explained first, and done on the confirmation: the host's configuration is used again.
        var preview = await PostFormAsync(client, "/settings", new() { ["_handler"] = "partner-center", ["Connection.Step"] = "preview-forget" });
        Assert.Contains("Forget the connection set here on", preview, StringComparison.Ordinal);
        Assert.Null(await CallAsync());
        var forgotten = await PostFormAsync(client, "/settings", new() { ["_handler"] = "partner-center", ["Connection.Step"] = "forget" });
        Assert.Contains("The connection set here is forgotten", forgotten, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync());
        Assert.Equal(secretsBefore, await app.WithDbAsync(db => db.StoredSecrets.Select(s => s.Name).ToListAsync(Cancel)));
        Assert.Contains("in the host's configuration", WebUtility.HtmlDecode(await client.GetStringAsync("/settings", Cancel)), StringComparison.Ordinal);

        // With a second partner at the top, the host's one connection is no longer one partner's to set.
        await app.WithDbAsync(db =>
        {
            db.Partners.Add(new Partner(Guid.NewGuid(), "Another direct-bill partner", PartnerKind.DirectBill, null, "IE", "EUR", "Europe/Dublin", Time.GetUtcNow()));
            return db.SaveChangesAsync(Cancel);
        });
        var twoAtTheTop = await client.PostAsync("/settings", new FormUrlEncodedContent(new Dictionary<string, string>(Connection(ApplicationSecret, ConsentedRefreshToken)) { ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, "/settings") }), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, twoAtTheTop.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync());
    }
}
