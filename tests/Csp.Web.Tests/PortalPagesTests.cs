using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Csp.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Csp.Web.Tests;

/// <summary>
/// The portal's pages, every one found by the host's own endpoint list: the tenancy matrix (signed out, the sign-in page;
/// a customer's user, 404; another organisation, 404 for what is not its own), hostile route values, query values and
/// form fields (never a 5xx, nothing changed), and a confirmation sent twice done once.
/// </summary>
public abstract partial class PortalPagesTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    /// <summary>Every form the pages post, by page and handler, with the fields it reads (besides Form.Step and Form.Key).</summary>
    private static readonly Dictionary<string, Dictionary<string, string[]>> Forms = new()
    {
        ["/subscriptions/{Id:guid}"] = new()
        {
            ["seats"] = ["Form.Action", "Form.Quantity"],
            ["billing-plan"] = ["Form.Action", "Form.BillingPlan"],
            ["end-of-term"] = ["Form.Action", "Form.Choice"],
            ["suspend"] = ["Form.Action", "Form.Reason"],
            ["reactivate"] = ["Form.Reason"],
            ["cancel"] = ["Form.Reason"],
            ["upgrade"] = ["Form.ToCatalogItemId", "Form.Quantity"],
        },
        ["/customers/{Id:guid}"] = new()
        {
            ["order"] = ["Order.Step", "Order.Key", "Order.CatalogItemId", "Order.Term", "Order.BillingPlan", "Order.Quantity", "Order.FriendlyName"],

            // Sent without a VAT number where reverse charge needs one, and in a currency nobody has a rate for, or
            // without the item's key: refused, so that a value that happens to be valid changes nothing.
            ["tax"] = ["Tax.TaxId", "Tax.ReverseCharge"],
            ["invoice-currency"] = ["Currency.Code"],
            ["invoice-item"] = ["Item.Month", "Item.Description", "Item.Quantity", "Item.UnitPrice", "Item.UnitCost"],
        },
        ["/renewals/est-risk"] = new() { ["preview-bulk"] = ["Form.Choice", "Form.Ids"] },
        ["/settings"] = new()
        {
            ["branding"] = ["Form.DisplayName", "Form.Address", "Form.TaxId", "Form.Colour", "Form.PortalHost", "Form.RemoveLogo"],
            ["api-key"] = ["Key.Step", "Key.Name", "Key.Role", "Key.Id"],
            ["user"] = ["User.Step", "User.DisplayName", "User.TenantId", "User.ObjectId", "User.Role", "User.CustomerId", "User.Id"],
            ["tenant"] = ["Tenant.Step", "Tenant.PartnerId", "Tenant.TenantId"],

            // Sent without the secrets, which no connection set before keeps: refused, whatever else is valid.
            ["partner-center"] = ["Connection.Step", "Connection.BaseAddress", "Connection.Authority", "Connection.TenantId", "Connection.ApplicationId", "Connection.ApplicationSecret", "Connection.RefreshToken"],
        },
        ["/partner-center"] = new() { ["sync"] = [] },
        ["/invoices"] = new() { ["billing-run"] = ["Run.Step", "Run.Key", "Run.Kind", "Run.Month", "Run.PartnerId"] },

        // Sent without their key, so that a value that happens to be valid adds nothing: what is swept is the reading.
        ["/pricing"] = new()
        {
            ["margin-rule"] = ["Rule.Level", "Rule.Target", "Rule.Method", "Rule.Percent", "Rule.FloorPercent", "Rule.FixedMonthlyPrice", "Rule.Currency", "Rule.Promotions", "Rule.CeilingAtList", "Rule.EffectiveFrom"],
            ["tax-rate"] = ["Rate.Country", "Rate.Percent", "Rate.EffectiveFrom"],
            ["exchange-rate"] = ["Exchange.From", "Exchange.To", "Exchange.Rate", "Exchange.EffectiveFrom"],
        },
        ["/invoices/{Id:guid}"] = new() { ["issue"] = ["Form.DueInDays"], ["pay"] = ["Form.PaidOn"], ["credit"] = ["Form.AllLines", "Form.Lines"] },
        ["/requests"] = new() { ["decide"] = ["Decide.Step", "Decide.Id", "Decide.Reason"], ["policy"] = ["Policy.SeatAdditionsAtOnce"] },
        ["/my/subscriptions/{Id:guid}"] = new() { ["request"] = ["Form.Kind", "Form.Quantity", "Form.Note"] },
    };

    /// <summary>Forms a page renders only when its address asks for them: the upgrade's, once Partner Center's targets are shown.</summary>
    private static readonly Dictionary<string, string> FormQuery = new() { ["upgrade"] = "?upgrades=show" };

    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    /// <summary>The sweep sends more requests than a caller's minute allows; the limit is tested on its own (ApiKeyTests).</summary>
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Requests:PerCallerPerMinute"] = "1000000" };

    [Fact]
    public async Task EveryPage_SignedOut_GoesToSignIn_CustomerUser404_AnotherOrganisation404OrNothingOfOurs()
    {
        var mine = await RouteSubjectsAsync();
        var owner = Guid.Parse(mine["partner"]);
        var other = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == PartnerKind.Reseller && p.Id != owner).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(Cancel));
        await using var asOther = new CommerceApp(Database, Time, other);
        var customerUser = await SignedInCustomerUserAsync();

        // A reseller other than the customer user's seller has a white-label portal host of its own.
        await App.WithDbAsync(async db =>
        {
            var seller = await db.Users.Where(u => u.CreatedBy == "demo" && u.CustomerId != null).Select(u => u.PartnerId).SingleAsync(Cancel);
            var elsewhere = await db.Partners.Where(p => p.Id != seller && !db.Brandings.Any(b => b.PartnerId == p.Id)).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(Cancel);
            db.Brandings.Add(new PartnerBranding(elsewhere, "Elsewhere", "", null, "#107C10", null, Time.GetUtcNow(), "test", "elsewhere.localhost"));
            return await db.SaveChangesAsync(Cancel);
        });
        var pages = HostRoutes.Pages(App.Services).ToList();
        Assert.Contains(pages, p => p.Pattern.RawText == "/customers/{Id:guid}");

        foreach (var (pattern, component) in pages)
        {
            var path = Path(pattern, mine);
            var anonymous = await App.CreateAnonymousClient(NoRedirects).GetAsync(path, Cancel);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Redirect, $"{path} signed out: {(int)anonymous.StatusCode}");
            Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString(path)}", anonymous.Headers.Location?.OriginalString);

            if (component.GetCustomAttribute<Portal.CustomerPageAttribute>() is not null)
            {
                // The customer portal: its customer's user only, and at a reseller's portal host only that reseller's customers'.
                var own = await customerUser.GetAsync(path, Cancel);
                Assert.True(own.StatusCode == HttpStatusCode.OK, $"{path} as a customer's user: {(int)own.StatusCode}");
                using var elsewhere = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Host = "elsewhere.localhost" } };
                var atAnotherHost = await customerUser.SendAsync(elsewhere, Cancel);
                Assert.True(atAnotherHost.StatusCode == HttpStatusCode.NotFound, $"{path} at another reseller's portal host: {(int)atAnotherHost.StatusCode}");
                foreach (var (who, client) in new[] { ("its seller's staff", App.CreateClient()), ("another reseller", asOther.CreateClient()) })
                {
                    var staff = await client.GetAsync(path, Cancel);
                    Assert.True(staff.StatusCode == HttpStatusCode.NotFound, $"{path} as {who}: {(int)staff.StatusCode}");
                }

                continue;
            }

            var asCustomer = await customerUser.GetAsync(path, Cancel);
            Assert.True(asCustomer.StatusCode == HttpStatusCode.NotFound, $"{path} as a customer's user: {(int)asCustomer.StatusCode}");

            var ours = await App.CreateClient().GetAsync(path, Cancel);
            Assert.True(ours.StatusCode == (pattern.RawText == "/not-found" ? HttpStatusCode.NotFound : HttpStatusCode.OK), $"{path} as its owner: {(int)ours.StatusCode}");

            var theirs = await asOther.CreateClient().GetAsync(path, Cancel);
            var text = await theirs.Content.ReadAsStringAsync(Cancel);
            if (pattern.Parameters.Count > 0)
            {
                Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"{path} as another reseller: {(int)theirs.StatusCode}");
            }

            Assert.True((int)theirs.StatusCode < 500, $"{path} as another reseller: {(int)theirs.StatusCode}");
            Assert.DoesNotContain(mine["subscription"], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(mine["customer"], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(mine["reconciliation"], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(mine["usageImport"], text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task EveryPage_HostileRouteQueryAndFormValues_NeverA5xx_AndChangeNothing()
    {
        var mine = await RouteSubjectsAsync();
        var failures = new List<string>();
        var swept = 0;
        var client = App.CreateClient(NoRedirects);

        // The key's first use of the day is an access event, and the organisation's branding is made by its first save: both
        // before the count, so that the sweep's own requests add no row (a branding form with ordinary values may be saved).
        (await client.GetAsync("/", Cancel)).EnsureSuccessStatusCode();
        (await client.PostAsync("/settings", new FormUrlEncodedContent(new Dictionary<string, string>(Ordinary("branding", mine)) { ["_handler"] = "branding", ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, "/settings") }), Cancel)).EnsureSuccessStatusCode();

        // The customer portal's pages are swept as its customer's user, signed in (an access event) before the count.
        var customerClient = await SignedInCustomerUserAsync();
        var before = await TableCountsAsync();
        foreach (var (pattern, component) in HostRoutes.Pages(App.Services))
        {
            var path = Path(pattern, mine);
            var pageClient = component.GetCustomAttribute<Portal.CustomerPageAttribute>() is null ? client : customerClient;
            async Task TryAsync(string what, HttpRequestMessage request)
            {
                swept++;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
                timeout.CancelAfter(TimeSpan.FromMinutes(1));
                try
                {
                    using var response = await pageClient.SendAsync(request, timeout.Token);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{request.Method} {path} [{what}]: {(int)response.StatusCode}");
                    }
                }
                catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
                {
                    failures.Add($"{request.Method} {path} [{what}]: no answer within a minute");
                }
            }

            foreach (var parameter in pattern.Parameters)
            {
                foreach (var value in new[] { "42", Guid.NewGuid().ToString(), "00000000-0000-0000-0000-000000000000" })
                {
                    await TryAsync($"{parameter.Name}={value}", new(HttpMethod.Get, HostRoutes.Path(pattern, new Dictionary<string, string> { [parameter.Name] = value })));
                }
            }

            foreach (var name in QueryParameters(component))
            {
                foreach (var value in QueryValues)
                {
                    await TryAsync($"{name}={HostRoutes.Describe(value)}", new(HttpMethod.Get, $"{path}?{name}={Uri.EscapeDataString(value)}"));
                }
            }

            var token = Forms.ContainsKey(pattern.RawText!) ? await AntiforgeryTokenAsync(pageClient, path) : "";
            foreach (var (handler, read) in Forms.GetValueOrDefault(pattern.RawText!, []))
            {
                foreach (var field in read.Append("Form.Step").Append("Form.Key"))
                {
                    foreach (var value in FormValues)
                    {
                        var fields = Ordinary(handler, mine);
                        fields[field] = value;
                        fields["_handler"] = handler;
                        fields["__RequestVerificationToken"] = token;
                        await TryAsync($"{handler}: {field}={HostRoutes.Describe(value)}", new(HttpMethod.Post, path + FormQuery.GetValueOrDefault(handler)) { Content = new FormUrlEncodedContent(fields) });
                    }
                }

                await TryAsync($"{handler}: no antiforgery token", new(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string>(Ordinary(handler, mine)) { ["_handler"] = handler }) });
            }
        }

        Assert.Equal(before, await TableCountsAsync());
        Assert.True(swept > 300, $"{swept} requests swept");
        Assert.True(failures.Count == 0, $"{failures.Count} of {swept} hostile requests misbehaved:\n{string.Join('\n', failures.Take(60))}");
    }

    [Fact]
    public async Task SeatChange_PreviewedThenConfirmedTwice_IsDoneOnce_AndTheSecondAnswerSaysSo()
    {
        var mine = await RouteSubjectsAsync(imports: false);
        var path = $"/subscriptions/{mine["subscription"]}";
        var seats = await SeatsAsync(mine["subscription"]);
        var client = App.CreateClient();

        var preview = await PostFormAsync(client, path, new() { ["_handler"] = "seats", ["Form.Action"] = "seats", ["Form.Step"] = "preview", ["Form.Quantity"] = $"{seats + 1}" });
        Assert.Contains("Allowed.", preview, StringComparison.Ordinal);
        var key = KeyField().Match(preview).Groups[1].Value;
        Assert.NotEmpty(key);
        Assert.Equal(seats, await SeatsAsync(mine["subscription"]));

        var confirm = new Dictionary<string, string> { ["_handler"] = "seats", ["Form.Action"] = "seats", ["Form.Step"] = "confirm", ["Form.Key"] = key, ["Form.Quantity"] = $"{seats + 1}" };
        var first = await PostFormAsync(client, path, confirm);
        var second = await PostFormAsync(client, path, confirm);
        Assert.Contains("done in Partner Center", first, StringComparison.Ordinal);
        Assert.Contains("Already done under this confirmation", second, StringComparison.Ordinal);
        Assert.Equal(seats + 1, await SeatsAsync(mine["subscription"]));
        Assert.Equal(1, await App.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.SubscriptionId == Guid.Parse(mine["subscription"]) && e.IdempotencyKey == key, Cancel)));

        // The same key for another change is refused, and changes nothing.
        var other = await PostFormAsync(client, path, new Dictionary<string, string>(confirm) { ["Form.Quantity"] = $"{seats + 5}" });
        Assert.Contains("This confirmation was given for another change", other, StringComparison.Ordinal);
        Assert.Equal(seats + 1, await SeatsAsync(mine["subscription"]));
    }

    /// <summary>
    /// A sync from the page: explained first (nothing started), then run in the background — the page answers at once and
    /// can be left — and, opened again once it has ended, the page shows what it found.
    /// </summary>
    [Fact]
    public async Task Sync_PreviewedThenConfirmed_RunsInTheBackground_AndThePageShowsWhatItFound()
    {
        var client = App.CreateClient();

        var preview = await PostFormAsync(client, "/partner-center", new() { ["_handler"] = "sync", ["Form.Step"] = "preview" });
        var runsAfterPreview = await App.WithDbAsync(db => db.SyncRuns.CountAsync(Cancel));
        var started = await PostFormAsync(client, "/partner-center", new() { ["_handler"] = "sync", ["Form.Step"] = "confirm" });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (await App.WithDbAsync(db => db.SyncRuns.AnyAsync(r => r.Status == SyncRunStatus.Running, timeout.Token)))
        {
            await Task.Delay(50, timeout.Token);
        }

        var page = await client.GetStringAsync("/partner-center", Cancel);

        Assert.Contains("first sync: it reads every customer and subscription in Partner Center", preview, StringComparison.Ordinal);
        Assert.Contains("Confirm the sync", preview, StringComparison.Ordinal);
        Assert.Equal(0, runsAfterPreview);
        Assert.Contains("Sync started. It goes on if you leave this page.", started, StringComparison.Ordinal);
        Assert.Contains("First import: 0 customers and 0 subscriptions imported, 0 drift.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-sync-run", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrandingLogo_UploadedKeptReplacedAndRemoved_AndABadFileChangesNothing()
    {
        var client = App.CreateClient();
        var partnerId = await App.WithDbAsync(db => db.Partners.Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel));
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        async Task<(HttpStatusCode Status, string Text)> SaveAsync(byte[]? file, string fileName = "logo.png", bool remove = false)
        {
            using var form = new MultipartFormDataContent();
            foreach (var (name, value) in new Dictionary<string, string>(Ordinary("branding", [])) { ["_handler"] = "branding", ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, "/settings") })
            {
                form.Add(new StringContent(value), name);
            }

            if (remove)
            {
                form.Add(new StringContent("true"), "Form.RemoveLogo");
            }

            if (file is not null)
            {
                form.Add(new ByteArrayContent(file), "logo", fileName);
            }

            var response = await client.PostAsync("/settings", form, Cancel);
            return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)));
        }

        Task<byte[]?> LogoAsync() => App.WithDbAsync(db => db.Brandings.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(b => b.PartnerId == partnerId).Select(b => b.LogoPng).FirstOrDefaultAsync(Cancel));

        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(png)).Status);
        Assert.Equal(png, await LogoAsync());

        // A save without a file keeps the logo; a file that is not a PNG, or too large, is refused and changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(null)).Status);
        Assert.Equal(png, await LogoAsync());
        var notPng = await SaveAsync("GIF89a"u8.ToArray(), "logo.gif");
        Assert.Equal(HttpStatusCode.BadRequest, notPng.Status);
        Assert.Contains("logoPng: a PNG image", notPng.Text, StringComparison.Ordinal);
        var large = await SaveAsync([.. png, .. new byte[Csp.Commerce.Billing.SetBranding.MaxLogoBytes]]);
        Assert.Equal(HttpStatusCode.BadRequest, large.Status);
        Assert.Contains("The logo is at most 256 KiB", large.Text, StringComparison.Ordinal);
        Assert.Equal(png, await LogoAsync());

        // Removing it takes it away; a file in the same form wins over the box.
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(null, remove: true)).Status);
        Assert.Null(await LogoAsync());
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(png, remove: true)).Status);
        Assert.Equal(png, await LogoAsync());
    }

    [Fact]
    public async Task PeopleAndKeys_AnAdminGrantsAndRemoves_MakesAndRevokes_AndAReadOnlyKeyChangesNothing()
    {
        var client = App.CreateClient();
        var (partnerId, tenantId) = await App.WithDbAsync(async db =>
        {
            var root = await db.Partners.Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel);
            return (root, await db.PartnerTenants.Where(t => t.PartnerId == root).Select(t => t.TenantId).FirstAsync(Cancel));
        });
        var objectId = Guid.NewGuid();

        var granted = await PostFormAsync(client, "/settings", new() { ["_handler"] = "user", ["User.Step"] = "grant", ["User.DisplayName"] = "Dana Billing", ["User.TenantId"] = $"{tenantId}", ["User.ObjectId"] = $"{objectId}", ["User.Role"] = "billing", ["User.CustomerId"] = "" });
        Assert.Contains("Dana Billing is a user in role Billing", granted, StringComparison.Ordinal);
        var userId = await App.WithDbAsync(db => db.Users.Where(u => u.ObjectId == objectId && u.PartnerId == partnerId && u.Role == AccessRole.Billing).Select(u => u.Id).SingleAsync(Cancel));

        // Removing is explained first and done only on the confirmation.
        var preview = await PostFormAsync(client, "/settings", new() { ["_handler"] = "user", ["User.Step"] = "preview-remove", ["User.Id"] = $"{userId}" });
        Assert.Contains("Remove Dana Billing (Billing)? They can no longer sign in", preview, StringComparison.Ordinal);
        Assert.Null(await App.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.RemovedAt).SingleAsync(Cancel)));
        Assert.Contains("Dana Billing is removed", await PostFormAsync(client, "/settings", new() { ["_handler"] = "user", ["User.Step"] = "remove", ["User.Id"] = $"{userId}" }), StringComparison.Ordinal);
        Assert.NotNull(await App.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.RemovedAt).SingleAsync(Cancel)));

        var made = await PostFormAsync(client, "/settings", new() { ["_handler"] = "api-key", ["Key.Step"] = "create", ["Key.Name"] = "Read-only report", ["Key.Role"] = "readOnly" });
        var key = MadeKey().Match(made).Groups[1].Value;
        Assert.StartsWith(Csp.Commerce.Access.ApiKeyFormat.Start, key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, await client.GetStringAsync("/settings", Cancel), StringComparison.Ordinal);

        // The read-only key reads the page, but sees no people or keys and changes nothing.
        var readOnly = App.CreateAnonymousClient();
        readOnly.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var page = WebUtility.HtmlDecode(await readOnly.GetStringAsync("/settings", Cancel));
        Assert.Contains("Only an admin sees and manages the organisation's API keys.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Read-only report", page, StringComparison.Ordinal);
        var keys = await App.WithDbAsync(db => db.ApiKeys.CountAsync(Cancel));
        var refused = await readOnly.PostAsync("/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "api-key",
            ["Key.Step"] = "create",
            ["Key.Name"] = "Mine now",
            ["Key.Role"] = "admin",
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(readOnly, "/settings"),
        }), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(keys, await App.WithDbAsync(db => db.ApiKeys.CountAsync(Cancel)));

        // Revoked, the key is refused at once.
        var keyId = await App.WithDbAsync(db => db.ApiKeys.Where(k => k.Name == "Read-only report").Select(k => k.Id).SingleAsync(Cancel));
        Assert.Contains("is revoked: calls made with it are refused", await PostFormAsync(client, "/settings", new() { ["_handler"] = "api-key", ["Key.Step"] = "revoke", ["Key.Id"] = $"{keyId}" }), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await readOnly.GetAsync("/api/customers", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Tenants_ABindingIsExplainedFirst_DoneOnlyOnConfirmation_AndTheAccessAuditShowsIt()
    {
        var client = App.CreateClient();
        var (reseller, name) = await App.WithDbAsync(async db =>
        {
            var root = await db.Partners.Where(p => p.ParentPartnerId == null).Select(p => p.Id).SingleAsync(Cancel);
            var below = await db.Partners.Where(p => p.ParentPartnerId == root).OrderBy(p => p.Name).FirstAsync(Cancel);
            return (below.Id, below.Name);
        });
        var tenant = Guid.NewGuid();
        Task<bool> BoundAsync() => App.WithDbAsync(db => db.PartnerTenants.AnyAsync(t => t.TenantId == tenant, Cancel));

        var preview = await PostFormAsync(client, "/settings", new() { ["_handler"] = "tenant", ["Tenant.Step"] = "preview", ["Tenant.PartnerId"] = $"{reseller}", ["Tenant.TenantId"] = $"{tenant}" });
        Assert.Contains($"Bind tenant {tenant} to {name}?", Regex.Replace(preview, "<[^>]+>", ""), StringComparison.Ordinal);
        Assert.False(await BoundAsync());

        var bound = await PostFormAsync(client, "/settings", new() { ["_handler"] = "tenant", ["Tenant.Step"] = "bind", ["Tenant.PartnerId"] = $"{reseller}", ["Tenant.TenantId"] = $"{tenant}" });
        Assert.Contains($"Tenant {tenant} is bound to {name}", bound, StringComparison.Ordinal);
        Assert.True(await BoundAsync());

        // Bound, it is listed (the binding is in the reseller's own audit; the organisation's shows what it did itself, as
        // a key made); a tenant that is not an id is named, and nothing more is bound.
        await PostFormAsync(client, "/settings", new() { ["_handler"] = "api-key", ["Key.Step"] = "create", ["Key.Name"] = "Audited key", ["Key.Role"] = "readOnly" });
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/settings", Cancel));
        Assert.Contains($"<code>{tenant}</code>", page, StringComparison.Ordinal);
        Assert.Matches("<td>KeyCreated</td><td>[^<]*Audited key", page);
        var tenants = await App.WithDbAsync(db => db.PartnerTenants.CountAsync(Cancel));
        var refused = await PostPairsAsync(client, "/settings", [new("_handler", "tenant"), new("Tenant.Step", "bind"), new("Tenant.PartnerId", $"{reseller}"), new("Tenant.TenantId", "my-tenant")]);
        Assert.Contains("Tenant.TenantId", refused, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", refused, StringComparison.Ordinal);
        Assert.Equal(tenants, await App.WithDbAsync(db => db.PartnerTenants.CountAsync(Cancel)));
    }

    [Fact]
    public async Task CustomerPage_PreviewsAMonthsInvoice_ChargeForChargeAsTheApi_AndABadMonthIsNamed()
    {
        var mine = await RouteSubjectsAsync(imports: false);
        var client = App.CreateClient();
        var customer = mine["customer"];

        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/customers/{customer}?preview=2026-11", Cancel));
        using var api = JsonDocument.Parse(await client.GetStringAsync($"/api/invoices/preview?customerId={customer}&month=2026-11", Cancel));
        using var bad = await client.GetAsync($"/customers/{customer}?preview=2026-13", Cancel);

        var lines = api.RootElement.GetProperty("lines").EnumerateArray().ToList();
        Assert.NotEmpty(lines);
        Assert.Contains($"{lines.Count} charges of 2026-11, in {api.RootElement.GetProperty("currency").GetString()}", page, StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Contains(l.GetProperty("explanation").GetString()!, page, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("preview", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync(Cancel)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downloads_TheJournalAndTheShadowInvoice_AreFormsOfTheirPages_AnsweredAsFiles()
    {
        var client = App.CreateClient();

        var invoices = WebUtility.HtmlDecode(await client.GetStringAsync("/invoices", Cancel));
        var reconciliations = WebUtility.HtmlDecode(await client.GetStringAsync("/reconciliations", Cancel));
        using var journal = await client.GetAsync("/api/journal?from=2026-10&to=2026-11&format=xlsx", Cancel);
        using var shadow = await client.GetAsync("/api/shadow-invoice?month=2026-11", Cancel);

        Assert.Contains("action=\"/api/journal\"", invoices, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/shadow-invoice\"", reconciliations, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, journal.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", journal.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, shadow.StatusCode);
        Assert.Contains("PartnerId,CustomerId,", await shadow.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShowsItsStoredFigures_WorkedOutAgainOnRequestAndOnANewDay()
    {
        var client = App.CreateClient();
        var partnerId = await App.WithDbAsync(db => db.Partners.Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel));
        var customers = await App.WithDbAsync(db => db.Customers.CountAsync(Cancel));
        static string Customers(string page) => CustomersFigure().Match(page).Groups[1].Value;

        // The stored row changed behind the page's back: what the page shows then is the row, not a count.
        Task<int> StoredCustomersSayAsync(int count) => App.WithDbAsync(async db =>
        {
            var row = await db.DashboardFigures.SingleAsync(f => f.PartnerId == partnerId, Cancel);
            row.Replace(row.BusinessDay, row.ComputedAt, row.Figures.Replace($"\"customersCount\":{customers},", $"\"customersCount\":{count},", StringComparison.Ordinal));
            return await db.SaveChangesAsync(Cancel);
        });

        // The first view works the figures out and stores them; the next reads the stored row, whatever it says.
        Assert.Equal($"{customers:N0}", Customers(WebUtility.HtmlDecode(await client.GetStringAsync("/", Cancel))));
        var stored = await App.WithDbAsync(db => db.DashboardFigures.SingleAsync(f => f.PartnerId == partnerId, Cancel));
        Assert.Equal(Csp.Domain.BillingClock.MicrosoftDay(Time.GetUtcNow()), stored.BusinessDay);
        await StoredCustomersSayAsync(123456);
        Assert.Equal("123,456", Customers(WebUtility.HtmlDecode(await client.GetStringAsync("/", Cancel))));

        // "Work them out now" replaces them; so does the first view of the next business day.
        Assert.Equal($"{customers:N0}", Customers(await PostFormAsync(client, "/", new() { ["_handler"] = "refresh" })));
        await StoredCustomersSayAsync(123456);
        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal($"{customers:N0}", Customers(WebUtility.HtmlDecode(await client.GetStringAsync("/", Cancel))));
        Assert.Equal(Csp.Domain.BillingClock.MicrosoftDay(Time.GetUtcNow()), await App.WithDbAsync(db => db.DashboardFigures.Where(f => f.PartnerId == partnerId).Select(f => f.BusinessDay).SingleAsync(Cancel)));
        Assert.Single(await App.WithDbAsync(db => db.DashboardFigures.Where(f => f.PartnerId == partnerId).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task CustomerInvoicePdf_ItsOwnIssuedInvoiceOnly_ToItsOwnUsersOnly()
    {
        var client = await SignedInCustomerUserAsync();
        var customerId = await App.WithDbAsync(db => db.Users.Where(u => u.CustomerId != null && u.RemovedAt == null).OrderBy(u => u.Id).Select(u => u.CustomerId!.Value).FirstAsync(Cancel));
        var seller = await App.WithDbAsync(db => db.Customers.Where(c => c.Id == customerId).Select(c => c.PartnerId).SingleAsync(Cancel));
        foreach (var month in new[] { "2026-10", "2026-11" })
        {
            Assert.Equal(HttpStatusCode.OK, (await PostWithKeyAsync(App.CreateClient(), "/api/billing-runs", new { partnerId = seller, month })).StatusCode);
        }

        // Of the seller's drafts, the customer's November invoice and another customer's are issued; October's stays a draft.
        var drafts = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == seller && i.LineCount > 0).Select(i => new { i.Id, i.CustomerId, i.Month }).ToListAsync(Cancel));
        var issued = drafts.First(i => i.CustomerId == customerId && i.Month.Month == 11).Id;
        var othersIssued = drafts.First(i => i.CustomerId != customerId && i.Month.Month == 11).Id;
        var draft = drafts.First(i => i.CustomerId == customerId && i.Month.Month == 10).Id;
        foreach (var id in new[] { issued, othersIssued })
        {
            Assert.Equal(HttpStatusCode.OK, (await PostWithKeyAsync(App.CreateClient(), $"/api/invoices/{id}/issue", new { dueInDays = 30 })).StatusCode);
        }

        // The page links its issued invoices to their PDF, which is the invoice.
        Assert.Contains($"/my/invoices/{issued}/pdf", await client.GetStringAsync("/my", Cancel), StringComparison.Ordinal);
        using var pdf = await client.GetAsync($"/my/invoices/{issued}/pdf", Cancel);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(Cancel))[..5], StringComparison.Ordinal);

        // Another customer's invoice, an id of nothing, and a draft are not there; staff and the signed-out do not get it here.
        foreach (var id in new[] { othersIssued, Guid.NewGuid(), draft })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/my/invoices/{id}/pdf", Cancel)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync($"/my/invoices/{issued}/pdf", Cancel)).StatusCode);
        var signedOut = await App.CreateAnonymousClient(NoRedirects).GetAsync($"/my/invoices/{issued}/pdf", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/signin?returnUrl=", signedOut.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerRequest_WaitsForTheSeller_IsApprovedOnce_OrRefused_OrAppliesAtOnceWithinThePolicy()
    {
        var customer = await SignedInCustomerUserAsync();
        var (customerId, seller) = await App.WithDbAsync(async db =>
        {
            var user = await db.Users.Where(u => u.CreatedBy == "demo" && u.CustomerId != null).Select(u => new { u.CustomerId, u.PartnerId }).SingleAsync(Cancel);
            return (user.CustomerId!.Value, user.PartnerId);
        });
        var midTerm = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime).AddDays(60);
        var target = await App.WithDbAsync(db => db.Subscriptions
            .Where(s => s.CustomerId == customerId && s.Status == Csp.Domain.Subscriptions.SubscriptionStatus.Active && s.Term != null && s.TermEndDate > midTerm)
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.Quantity, s.FriendlyName }).FirstAsync(Cancel));
        var customerName = await App.WithDbAsync(db => db.Customers.Where(c => c.Id == customerId).Select(c => c.Name).SingleAsync(Cancel));
        var path = $"/my/subscriptions/{target.Id}";
        var staff = App.CreateClient();
        Task<List<ChangeRequest>> RequestsAsync() => App.WithDbAsync(db => db.ChangeRequests.Where(r => r.SubscriptionId == target.Id).OrderBy(r => r.Id).ToListAsync(Cancel));

        // Previewed first, then sent: it waits, and sending the same confirmation again is the same request.
        var preview = await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "preview", ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 1}" });
        Assert.Contains("Send the request", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("What Microsoft would charge", preview, StringComparison.Ordinal);
        var key = KeyField().Match(preview).Groups[1].Value;
        var send = new Dictionary<string, string> { ["_handler"] = "request", ["Form.Step"] = "send", ["Form.Key"] = key, ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 1}", ["Form.Note"] = "one more for the new hire" };
        Assert.Contains("It waits for their approval", await PostFormAsync(customer, path, send), StringComparison.Ordinal);
        Assert.Contains("Already sent under this confirmation", await PostFormAsync(customer, path, new(send)), StringComparison.Ordinal);
        var waiting = Assert.Single(await RequestsAsync());
        Assert.Equal(ChangeRequestStatus.Pending, waiting.Status);
        Assert.Equal(target.Quantity, await SeatsAsync($"{target.Id}"));

        // The seller is told among its alerts, and the dashboard's alert leads to the requests page.
        Task<List<Alert>> RequestAlertsAsync() => App.WithDbAsync(db => db.Alerts.Where(a => a.SubscriptionId == target.Id && a.Kind == AlertKind.CustomerRequest).ToListAsync(Cancel));
        var alert = Assert.Single(await RequestAlertsAsync());
        Assert.Equal((seller, $"{customerName} asks for {target.Quantity + 1} seats on {target.FriendlyName}: approve or refuse it under Requests."), (alert.PartnerId, alert.Message));
        Assert.Contains($"<a href=\"/requests\">{WebUtility.HtmlEncode(alert.Message)}</a>", await staff.GetStringAsync("/", Cancel), StringComparison.Ordinal);

        // The seller reviews it (previewed as it would be done now), approves it once: the seats change once.
        Assert.Contains("one more for the new hire", await staff.GetStringAsync("/requests", Cancel), StringComparison.Ordinal);
        var review = await PostFormAsync(staff, "/requests", new() { ["_handler"] = "decide", ["Decide.Step"] = "preview", ["Decide.Id"] = $"{waiting.Id}" });
        Assert.Contains($"Approve: seats → {target.Quantity + 1}", review, StringComparison.Ordinal);
        Assert.Contains("What Microsoft would charge", review, StringComparison.Ordinal);
        Assert.Contains(": Applied.", await PostFormAsync(staff, "/requests", new() { ["_handler"] = "decide", ["Decide.Step"] = "approve", ["Decide.Id"] = $"{waiting.Id}" }), StringComparison.Ordinal);
        var again = await staff.PostAsync("/requests", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "decide",
            ["Decide.Step"] = "approve",
            ["Decide.Id"] = $"{waiting.Id}",
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(staff, "/requests"),
        }), Cancel);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(target.Quantity + 1, await SeatsAsync($"{target.Id}"));
        Assert.Equal(ChangeRequestStatus.Applied, (await RequestsAsync()).Single().Status);

        // A cancellation months into the term is refused by Microsoft's rules at the preview: there is nothing to send.
        var cancel = await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "preview", ["Form.Kind"] = "cancel" });
        Assert.Contains("Not allowed:", cancel, StringComparison.Ordinal);
        Assert.DoesNotContain("Send the request", cancel, StringComparison.Ordinal);

        // A request the seller refuses, with a reason: the customer reads it, and nothing changes.
        var more = await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "preview", ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 10}" });
        await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "send", ["Form.Key"] = KeyField().Match(more).Groups[1].Value, ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 10}" });
        var refused = (await RequestsAsync()).Single(r => r.Quantity == target.Quantity + 10);
        Assert.Equal(ChangeRequestStatus.Pending, refused.Status);
        await PostFormAsync(staff, "/requests", new() { ["_handler"] = "decide", ["Decide.Step"] = "refuse", ["Decide.Id"] = $"{refused.Id}", ["Decide.Reason"] = "ten more seats need a word with your account manager" });
        Assert.Contains("Refused: ten more seats need a word with your account manager", WebUtility.HtmlDecode(await customer.GetStringAsync(path, Cancel)), StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 1, await SeatsAsync($"{target.Id}"));

        // Within the seller's policy, a few seats more apply at once.
        Assert.Equal(3, (await App.WithDbAsync(db => Csp.Commerce.Requests.RequestPolicy.SetAsync(db, seller, 3, Cancel))).Value);
        var small = await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "preview", ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 3}" });
        Assert.Contains("Apply it now", small, StringComparison.Ordinal);
        Assert.Contains("Done: seats →", await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "send", ["Form.Key"] = KeyField().Match(small).Groups[1].Value, ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 3}" }), StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 3, await SeatsAsync($"{target.Id}"));

        Assert.Single(await RequestAlertsAsync());

        // A request whose carrying-out was abandoned (the host stopped mid-way) is taken again once it has been left long enough.
        var late = await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "preview", ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 11}" });
        await PostFormAsync(customer, path, new() { ["_handler"] = "request", ["Form.Step"] = "send", ["Form.Key"] = KeyField().Match(late).Groups[1].Value, ["Form.Kind"] = "seats", ["Form.Quantity"] = $"{target.Quantity + 11}" });
        var abandoned = (await RequestsAsync()).Single(r => r.Quantity == target.Quantity + 11);
        var leftAt = Time.GetUtcNow();
        await App.WithDbAsync(db => db.ChangeRequests.Where(r => r.Id == abandoned.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ChangeRequestStatus.Applying).SetProperty(r => r.DecidedAt, leftAt), Cancel));
        var approve = new Dictionary<string, string> { ["_handler"] = "decide", ["Decide.Step"] = "approve", ["Decide.Id"] = $"{abandoned.Id}" };
        var tooSoon = await PostPairsAsync(staff, "/requests", approve.ToList());
        Assert.DoesNotContain(": Applied.", tooSoon, StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 3, await SeatsAsync($"{target.Id}"));
        Time.Advance(Csp.Commerce.Requests.ChangeRequests.AbandonedAfter + TimeSpan.FromMinutes(1));
        Assert.Contains(": Applied.", await PostFormAsync(staff, "/requests", approve), StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 11, await SeatsAsync($"{target.Id}"));

        // Another customer's subscription is not there for this customer's user.
        var others = await App.WithDbAsync(db => db.Subscriptions.Where(s => s.CustomerId != customerId).Select(s => s.Id).FirstAsync(Cancel));
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/my/subscriptions/{others}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Invoices_BillingRunPreviewedThenRunOnce_DraftIssuedOnce_PaidAndCredited_AndMarginsAgreeWithTheApi()
    {
        var bought = await BuyThroughPlatformAsync(3);
        var seller = bought.PartnerId;
        var client = App.CreateClient();
        Task<(int Invoices, int Lines)> CountsAsync() => App.WithDbAsync(async db => (await db.Invoices.CountAsync(Cancel), await db.InvoiceLines.CountAsync(Cancel)));

        // The run is previewed (nothing written), then confirmed twice under the preview's key: billed once.
        var before = await CountsAsync();
        var run = new Dictionary<string, string> { ["_handler"] = "billing-run", ["Run.Step"] = "preview", ["Run.Month"] = "2026-11", ["Run.PartnerId"] = $"{seller}" };
        var preview = await PostFormAsync(client, "/invoices", run);
        Assert.Contains("Confirm: run billing for 2026-11", preview, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
        var runKey = RunKeyField().Match(preview).Groups[1].Value;
        var confirm = new Dictionary<string, string>(run) { ["Run.Step"] = "confirm", ["Run.Key"] = runKey };
        Assert.Contains("Billed 2026-11:", await PostFormAsync(client, "/invoices", confirm), StringComparison.Ordinal);
        var billed = await CountsAsync();
        Assert.True(billed.Lines > before.Lines);
        Assert.Contains("Already done under this confirmation", await PostFormAsync(client, "/invoices", confirm), StringComparison.Ordinal);
        Assert.Equal(billed, await CountsAsync());
        Assert.Contains("Nothing to add: the month is billed.", await PostFormAsync(client, "/invoices", run), StringComparison.Ordinal);
        Assert.Contains("/invoices/", WebUtility.HtmlDecode(await client.GetStringAsync("/invoices?month=2026-11&status=draft", Cancel)), StringComparison.Ordinal);

        // A draft of the run: issuing is explained first, then done once.
        var draft = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == seller && i.Status == InvoiceStatus.Draft && i.LineCount > 0).OrderBy(i => i.Id).FirstAsync(Cancel));
        var path = $"/invoices/{draft.Id}";
        var issuePreview = await PostFormAsync(client, path, new() { ["_handler"] = "issue", ["Form.Step"] = "preview", ["Form.DueInDays"] = "14" });
        Assert.Contains("it is frozen", issuePreview, StringComparison.Ordinal);
        Assert.Equal(InvoiceStatus.Draft, await StatusAsync(draft.Id));
        var issue = new Dictionary<string, string> { ["_handler"] = "issue", ["Form.Step"] = "confirm", ["Form.Key"] = KeyField().Match(issuePreview).Groups[1].Value, ["Form.DueInDays"] = "14" };
        Assert.Contains("Issued as ", await PostFormAsync(client, path, issue), StringComparison.Ordinal);
        Assert.Contains("Already done under this confirmation", await PostFormAsync(client, path, issue), StringComparison.Ordinal);
        var issued = await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.Id == draft.Id, Cancel));
        Assert.Equal((InvoiceStatus.Issued, issued.IssueDate!.Value.AddDays(14)), (issued.Status, issued.DueDate!.Value));

        // Its files, linked from its page: the PDF and its lines as CSV and as XLSX.
        var invoicePage = WebUtility.HtmlDecode(await client.GetStringAsync(path, Cancel));
        Assert.Contains($"href=\"/api/invoices/{draft.Id}/lines.xlsx\"", invoicePage, StringComparison.Ordinal);
        using var sheet = await client.GetAsync($"/api/invoices/{draft.Id}/lines.xlsx", Cancel);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sheet.Content.Headers.ContentType?.MediaType);

        // A payment on a day before the issue is refused; today's is recorded.
        var page = await PostFormAsync(client, path, new() { ["_handler"] = "pay", ["Form.Step"] = "confirm", ["Form.Key"] = Guid.NewGuid().ToString(), ["Form.PaidOn"] = "2020-01-01" });
        Assert.Contains("paidOn: from the issue date", page, StringComparison.Ordinal);
        Assert.Equal(InvoiceStatus.Issued, await StatusAsync(draft.Id));

        // Two lines ticked are credited on a draft credit note, explained first; the same lines again are refused.
        var ticked = await App.WithDbAsync(db => db.InvoiceLines.Where(l => l.InvoiceId == draft.Id).OrderBy(l => l.Id).Select(l => l.Id).Take(2).ToListAsync(Cancel));
        var credit = new List<KeyValuePair<string, string>> { new("_handler", "credit"), new("Form.Step", "preview"), new("Form.AllLines", "false") };
        credit.AddRange(ticked.Select(id => new KeyValuePair<string, string>("Form.Lines", $"{id}")));
        var creditPreview = await PostPairsAsync(client, path, credit);
        Assert.Contains($"A draft credit note of {ticked.Count} ", creditPreview, StringComparison.Ordinal);
        credit[1] = new("Form.Step", "confirm");
        credit.Add(new("Form.Key", KeyField().Match(creditPreview).Groups[1].Value));
        Assert.Contains("Credit note made as a draft", await PostPairsAsync(client, path, credit), StringComparison.Ordinal);
        var note = await App.WithDbAsync(db => db.Invoices.SingleAsync(i => i.CorrectsInvoiceId == draft.Id, Cancel));
        Assert.Equal((InvoiceKind.CreditNote, InvoiceStatus.Draft, ticked.Count), (note.Kind, note.Status, note.LineCount));
        credit[^1] = new("Form.Key", Guid.NewGuid().ToString());
        Assert.DoesNotContain("Credit note made", await PostPairsAsync(client, path, credit), StringComparison.Ordinal);
        Assert.Single(await App.WithDbAsync(db => db.Invoices.Where(i => i.CorrectsInvoiceId == draft.Id).ToListAsync(Cancel)));
        Assert.Contains(path, WebUtility.HtmlDecode(await client.GetStringAsync($"/invoices/{note.Id}", Cancel)), StringComparison.Ordinal);

        var today = $"{Csp.Domain.BillingClock.MicrosoftToday(Time):yyyy-MM-dd}";
        Assert.Contains("Marked paid on", await PostFormAsync(client, path, new() { ["_handler"] = "pay", ["Form.Step"] = "confirm", ["Form.Key"] = Guid.NewGuid().ToString(), ["Form.PaidOn"] = today }), StringComparison.Ordinal);
        Assert.Equal(InvoiceStatus.Paid, await StatusAsync(draft.Id));

        // The margin report on screen is the API's, row for row.
        var api = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<List<Csp.Commerce.Billing.MarginRow>>(client, "/api/margins?from=2026-11&by=customer", Json, Cancel);
        var margins = WebUtility.HtmlDecode(await client.GetStringAsync("/margins?from=2026-11&to=2026-11&by=customer", Cancel));
        Assert.NotEmpty(api!);
        foreach (var row in api!.Take(50))
        {
            Assert.Contains($"<td class=\"text-right\">{row.Margin.ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))} {row.Currency}</td>", margins, StringComparison.Ordinal);
        }

        var wrong = await client.GetAsync("/margins?from=2026-11&to=2023-01", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("to: a month from", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync(Cancel)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderFromTheCustomerPage_PreviewedThenConfirmedTwice_BuysOnce_ThenUpgradedFromTheSubscriptionPage()
    {
        const string businessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971", businessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0GZQJ";
        var customer = await App.WithDbAsync(db => db.Customers.OrderBy(c => c.Id).FirstAsync(Cancel));
        var client = App.CreateClient();
        var path = $"/customers/{customer.Id}?offer=business";
        Task<List<Csp.Data.Subscription>> BoughtAsync() => App.WithDbAsync(db => db.Subscriptions.Where(s => s.CustomerId == customer.Id && s.FriendlyName == "Front desk").ToListAsync(Cancel));

        // The offers found by name, each with its prices; the order previewed with Microsoft's charges, nothing bought yet.
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(path, Cancel));
        Assert.Contains($"<option value=\"{businessBasic}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft 365 E3", page, StringComparison.Ordinal);
        var order = new Dictionary<string, string>
        {
            ["_handler"] = "order",
            ["Order.Step"] = "preview",
            ["Order.CatalogItemId"] = businessBasic,
            ["Order.Term"] = "P1Y",
            ["Order.BillingPlan"] = "monthly",
            ["Order.Quantity"] = "10",
            ["Order.FriendlyName"] = "Front desk",
        };
        var preview = await PostFormAsync(client, path, order);
        Assert.Contains("What Microsoft would charge", preview, StringComparison.Ordinal);
        Assert.Contains("Confirm: buy it in Partner Center", preview, StringComparison.Ordinal);
        Assert.Empty(await BoughtAsync());

        var confirm = new Dictionary<string, string>(order) { ["Order.Step"] = "confirm", ["Order.Key"] = OrderKeyField().Match(preview).Groups[1].Value };
        Assert.Contains("Bought Front desk (10 seats)", await PostFormAsync(client, path, confirm), StringComparison.Ordinal);
        Assert.Contains("Already done under this confirmation — nothing was bought twice", await PostFormAsync(client, path, confirm), StringComparison.Ordinal);
        var bought = Assert.Single(await BoughtAsync());
        Assert.Equal(("CFQ7TTC0LH18", 10), (bought.ProductId, bought.Quantity));
        var refused = await PostPairsAsync(client, path, new Dictionary<string, string>(order) { ["Order.Quantity"] = "0" }.ToList());
        Assert.Contains("Seats: a whole number from 1", refused, StringComparison.Ordinal);

        // The subscription page asks Partner Center for the upgrades only when asked; the upgrade is previewed, then done once.
        Time.Advance(TimeSpan.FromDays(1));
        var subscriptionPath = $"/subscriptions/{bought.Id}";
        Assert.Contains("See the upgrades Partner Center offers", WebUtility.HtmlDecode(await client.GetStringAsync(subscriptionPath, Cancel)), StringComparison.Ordinal);
        var upgradesPath = $"{subscriptionPath}?upgrades=show";
        Assert.Contains($"<option value=\"{businessStandard}\"", WebUtility.HtmlDecode(await client.GetStringAsync(upgradesPath, Cancel)), StringComparison.Ordinal);
        var upgrade = new Dictionary<string, string> { ["_handler"] = "upgrade", ["Form.Action"] = "upgrade", ["Form.Step"] = "preview", ["Form.ToCatalogItemId"] = businessStandard, ["Form.Quantity"] = "" };
        var upgradePreview = await PostFormAsync(client, upgradesPath, upgrade);
        Assert.Contains("Confirm: upgrade every seat to Microsoft 365 Business Standard", upgradePreview, StringComparison.Ordinal);
        Assert.Equal("CFQ7TTC0LH18", (await BoughtAsync()).Single().ProductId);
        var upgraded = await PostFormAsync(client, upgradesPath, new Dictionary<string, string>(upgrade) { ["Form.Step"] = "confirm", ["Form.Key"] = KeyField().Match(upgradePreview).Groups[1].Value });
        Assert.Contains("done in Partner Center", upgraded, StringComparison.Ordinal);
        var after = await App.WithDbAsync(db => db.Subscriptions.SingleAsync(s => s.Id == bought.Id, Cancel));
        Assert.Equal(("CFQ7TTC0LDPB", 10), (after.ProductId, after.Quantity));

        var badQuery = await client.GetAsync($"{subscriptionPath}?upgrades=all", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
    }

    [Fact]
    public async Task CustomerRequest_ThroughTheApi_SentOnceByTheCustomersUser_ApprovedOnceOrRefusedByTheSeller()
    {
        var customer = await SignedInCustomerUserAsync();
        var customerId = await App.WithDbAsync(db => db.Users.Where(u => u.CreatedBy == "demo" && u.CustomerId != null).Select(u => u.CustomerId!.Value).SingleAsync(Cancel));
        var midTerm = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime).AddDays(60);
        var target = await App.WithDbAsync(db => db.Subscriptions
            .Where(s => s.CustomerId == customerId && s.Status == Csp.Domain.Subscriptions.SubscriptionStatus.Active && s.Term != null && s.TermEndDate > midTerm && s.Quantity < 100)
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.Quantity }).FirstAsync(Cancel));
        var staff = App.CreateClient();
        var body = new { subscriptionId = target.Id, kind = "seats", quantity = target.Quantity + 1, note = "two new starters" };
        static async Task<System.Text.Json.JsonElement> JsonAsync(HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return System.Text.Json.JsonDocument.Parse(text).RootElement;
        }

        // The customer's user previews, then sends under its key: the same key again is the same request.
        var preview = await JsonAsync(await customer.PostAsync($"/api/customers/{customerId}/requests/preview", HostRoutes.JsonBody(System.Text.Json.JsonSerializer.Serialize(body)), Cancel));
        Assert.True(preview.GetProperty("preview").GetProperty("allowed").GetBoolean());
        Assert.False(preview.GetProperty("appliesAtOnce").GetBoolean());
        var key = Guid.NewGuid().ToString();
        var sent = await JsonAsync(await PostWithKeyAsync(customer, $"/api/customers/{customerId}/requests", body, key));
        var again = await PostWithKeyAsync(customer, $"/api/customers/{customerId}/requests", body, key);
        var id = sent.GetProperty("request").GetProperty("id").GetString();
        Assert.Equal("pending", sent.GetProperty("request").GetProperty("status").GetString());
        Assert.Equal(id, (await JsonAsync(again)).GetProperty("request").GetProperty("id").GetString());
        Assert.Single(await App.WithDbAsync(db => db.ChangeRequests.Where(r => r.SubscriptionId == target.Id).ToListAsync(Cancel)));

        // What is wrong with a request is said with its field; the seller's staff do not send requests.
        var zero = await PostWithKeyAsync(customer, $"/api/customers/{customerId}/requests", body with { quantity = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("\"parameter\":\"quantity\"", await zero.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var byStaff = await PostWithKeyAsync(staff, $"/api/customers/{customerId}/requests", body);
        Assert.Equal(HttpStatusCode.Conflict, byStaff.StatusCode);
        Assert.Contains("request.customer_only", await byStaff.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        // The seller lists it, previews the approval, approves it once.
        Assert.Contains(id!, await staff.GetStringAsync("/api/requests", Cancel), StringComparison.Ordinal);
        Assert.True((await JsonAsync(await staff.PostAsync($"/api/requests/{id}/approve/preview", null, Cancel))).GetProperty("preview").GetProperty("allowed").GetBoolean());
        var approved = await JsonAsync(await PostWithKeyAsync(staff, $"/api/requests/{id}/approve", new { }));
        Assert.Equal("applied", approved.GetProperty("status").GetString());
        Assert.Equal(target.Quantity + 1, await SeatsAsync($"{target.Id}"));
        var twice = await PostWithKeyAsync(staff, $"/api/requests/{id}/approve", new { });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("request.decided", await twice.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 1, await SeatsAsync($"{target.Id}"));

        // Another is refused with a reason the customer's user reads in its own list.
        var more = await JsonAsync(await PostWithKeyAsync(customer, $"/api/customers/{customerId}/requests", body with { quantity = target.Quantity + 20 }));
        var moreId = more.GetProperty("request").GetProperty("id").GetString();
        await JsonAsync(await PostWithKeyAsync(staff, $"/api/requests/{moreId}/refuse", new { reason = "twenty more need a word with your account manager" }));
        var mine = await customer.GetStringAsync($"/api/customers/{customerId}/requests", Cancel);
        Assert.Contains("Refused: twenty more need a word with your account manager", mine, StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 1, await SeatsAsync($"{target.Id}"));
    }

    [Fact]
    public async Task Pricing_ARuleAndARateAddedOnceUnderTheirKeys_AndAFormThatIsNotOneChangesNothing()
    {
        var client = App.CreateClient();
        Task<(int Rules, int Rates)> CountsAsync() => App.WithDbAsync(async db => (await db.MarginRules.CountAsync(Cancel), await db.TaxRates.CountAsync(Cancel)));
        var before = await CountsAsync();
        var page = await client.GetStringAsync("/pricing", Cancel);
        var rule = new Dictionary<string, string>
        {
            ["_handler"] = "margin-rule",
            ["Rule.Key"] = RuleKeyField().Match(page).Groups[1].Value,
            ["Rule.Level"] = "Business",
            ["Rule.Method"] = "Markup",
            ["Rule.Percent"] = "17.5",
            ["Rule.Promotions"] = "Keep",
            ["Rule.CeilingAtList"] = "true",
            ["Rule.EffectiveFrom"] = "2026-12-01",
        };
        Assert.Contains("Added: Business, version", await PostFormAsync(client, "/pricing", rule), StringComparison.Ordinal);
        Assert.Contains("Already done under this confirmation", await PostFormAsync(client, "/pricing", new(rule)), StringComparison.Ordinal);
        var rate = new Dictionary<string, string> { ["_handler"] = "tax-rate", ["Rate.Key"] = Guid.NewGuid().ToString(), ["Rate.Country"] = "nl", ["Rate.Percent"] = "21", ["Rate.EffectiveFrom"] = "2027-01-01" };
        Assert.Contains("Added: NL 21 % from", await PostFormAsync(client, "/pricing", rate), StringComparison.Ordinal);
        Assert.Equal((before.Rules + 1, before.Rates + 1), await CountsAsync());
        var added = (await App.WithDbAsync(db => db.MarginRules.ToListAsync(Cancel))).Single(r => r.Percent == 17.5m);
        Assert.Equal((17.5m, true, Csp.Domain.Pricing.PromotionHandling.Keep), (added.Percent, added.CeilingAtList, added.Promotions));

        // Names, not numbers; a number with a point; and the domain's own refusal (a markup without its per cent).
        foreach (var (field, value, says) in new[] { ("Rule.Level", "0", "Level: one of"), ("Rule.Percent", "17,5", "Percent: a number"), ("Rule.Percent", "", "a markup needs a percent") })
        {
            var refused = await PostPairsAsync(client, "/pricing", new Dictionary<string, string>(rule) { [field] = value, ["Rule.Key"] = Guid.NewGuid().ToString() }.ToList());
            Assert.Contains(says, refused, StringComparison.Ordinal);
        }

        Assert.Equal((before.Rules + 1, before.Rates + 1), await CountsAsync());
        Assert.Contains("markup 17.5 % on cost", WebUtility.HtmlDecode(await client.GetStringAsync("/pricing", Cancel)), StringComparison.Ordinal);
    }

    /// <summary>
    /// How a customer is billed, from its page: its VAT number with reverse charge, its invoice currency, and a one-off item
    /// added once under the page's key (a second click adds nothing); bad values refused, naming the field, with nothing changed.
    /// </summary>
    [Fact]
    public async Task CustomerBilling_TaxAndCurrencySaved_AndAOneOffItemAddedOnce_FromTheCustomerPage()
    {
        var bought = await BuyThroughPlatformAsync(2);
        var path = $"/customers/{bought.CustomerId}";
        var client = App.CreateClient();
        Task<int> LinesAsync() => App.WithDbAsync(db => db.InvoiceLines.CountAsync(l => db.Invoices.Any(i => i.Id == l.InvoiceId && i.CustomerId == bought.CustomerId), Cancel));
        var lines = await LinesAsync();

        var taxed = await PostFormAsync(client, path, new() { ["_handler"] = "tax", ["Tax.TaxId"] = "NL123456789B01", ["Tax.ReverseCharge"] = "true" });
        var currency = await PostFormAsync(client, path, new() { ["_handler"] = "invoice-currency", ["Currency.Code"] = "usd" });
        var customer = await App.WithDbAsync(db => db.Customers.SingleAsync(c => c.Id == bought.CustomerId, Cancel));
        var page = await client.GetStringAsync(path, Cancel);
        var item = new Dictionary<string, string>
        {
            ["_handler"] = "invoice-item",
            ["Item.Key"] = ItemKeyField().Match(page).Groups[1].Value,
            ["Item.Month"] = "2026-12",
            ["Item.Description"] = "Onboarding workshop",
            ["Item.Quantity"] = "2",
            ["Item.UnitPrice"] = "450",
            ["Item.UnitCost"] = "300",
        };
        var added = await PostFormAsync(client, path, item);
        var again = await PostFormAsync(client, path, new(item));
        var refused = await PostPairsAsync(client, path, new Dictionary<string, string>(item) { ["Item.Key"] = Guid.NewGuid().ToString(), ["Item.UnitPrice"] = "450,5" }.ToList());
        var badTax = await PostPairsAsync(client, path, new Dictionary<string, string> { ["_handler"] = "tax", ["Tax.TaxId"] = "", ["Tax.ReverseCharge"] = "1" }.ToList());

        Assert.Contains("Saved: VAT number NL123456789B01, reverse charge applies", taxed, StringComparison.Ordinal);
        Assert.Contains("Saved: invoiced in USD", currency, StringComparison.Ordinal);
        Assert.Equal(("NL123456789B01", true, "USD"), (customer.TaxId, customer.ReverseCharge, customer.InvoicedIn));
        Assert.Contains("NL123456789B01 — reverse charge", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("Added to the 2026-12 draft: Onboarding workshop", WebUtility.HtmlDecode(added), StringComparison.Ordinal);
        Assert.Contains("Already done under this confirmation", again, StringComparison.Ordinal);
        Assert.Contains("UnitPrice: an amount such as 450.00", WebUtility.HtmlDecode(refused), StringComparison.Ordinal);
        Assert.Contains("ReverseCharge: ticked (true) or not.", badTax, StringComparison.Ordinal);
        Assert.Equal(lines + 1, await LinesAsync());
        var line = await App.WithDbAsync(db => db.InvoiceLines.Where(l => db.Invoices.Any(i => i.Id == l.InvoiceId && i.CustomerId == bought.CustomerId)).OrderByDescending(l => l.Id).FirstAsync(Cancel));
        Assert.Equal((900m, 0m), (line.Amount, line.Tax));
    }

    /// <summary>
    /// A billed month re-rated from the invoices page after a margin rule changed: previewed old beside new (nothing
    /// written), then confirmed twice under the preview's key — reversed and billed again once; an exchange rate added once.
    /// </summary>
    [Fact]
    public async Task Rerate_AfterARuleChanged_PreviewedThenAppliedOnce_AndAnExchangeRateAddedOnce()
    {
        var bought = await BuyThroughPlatformAsync(3);
        var client = App.CreateClient();
        var run = new Dictionary<string, string> { ["_handler"] = "billing-run", ["Run.Step"] = "preview", ["Run.Month"] = "2026-11", ["Run.PartnerId"] = $"{bought.PartnerId}" };
        var billKey = RunKeyField().Match(await PostFormAsync(client, "/invoices", run)).Groups[1].Value;
        Assert.Contains("Billed 2026-11:", await PostFormAsync(client, "/invoices", new(run) { ["Run.Step"] = "confirm", ["Run.Key"] = billKey }), StringComparison.Ordinal);
        await App.WithDbAsync(async db =>
        {
            var target = bought.CustomerId.ToString();
            var version = 1 + await db.MarginRules.Where(r => r.PartnerId == bought.PartnerId && r.Level == Csp.Domain.Pricing.MarginLevel.Customer && r.Target == target).Select(r => (int?)r.Version).MaxAsync(Cancel) ?? 1;
            db.MarginRules.Add(new MarginRuleVersion(
                Guid.CreateVersion7(Time.GetUtcNow()), bought.PartnerId, Csp.Domain.Pricing.MarginLevel.Customer, target, version, Csp.Domain.Pricing.MarginMethod.Markup, 80m, null, null, null, false,
                Csp.Domain.Pricing.PromotionHandling.PassOn, new DateOnly(2026, 11, 1), Time.GetUtcNow(), "test"));
            return await db.SaveChangesAsync(Cancel);
        });
        Task<(int Invoices, int Lines)> CountsAsync() => App.WithDbAsync(async db => (await db.Invoices.CountAsync(Cancel), await db.InvoiceLines.CountAsync(Cancel)));
        var billed = await CountsAsync();

        var rerate = new Dictionary<string, string>(run) { ["Run.Kind"] = "rerate" };
        var preview = await PostFormAsync(client, "/invoices", rerate);
        var unchanged = await CountsAsync();
        var confirm = new Dictionary<string, string>(rerate) { ["Run.Step"] = "confirm", ["Run.Key"] = RunKeyField().Match(preview).Groups[1].Value };
        var applied = await PostFormAsync(client, "/invoices", confirm);
        var rerated = await CountsAsync();
        var again = await PostFormAsync(client, "/invoices", confirm);
        var nothing = await PostFormAsync(client, "/invoices", rerate);
        var badKind = await PostPairsAsync(client, "/invoices", new Dictionary<string, string>(run) { ["Run.Kind"] = "1" }.ToList());

        var page = await client.GetStringAsync("/pricing", Cancel);
        var rate = new Dictionary<string, string>
        {
            ["_handler"] = "exchange-rate",
            ["Exchange.Key"] = ExchangeKeyField().Match(page).Groups[1].Value,
            ["Exchange.From"] = "usd",
            ["Exchange.To"] = "EUR",
            ["Exchange.Rate"] = "0.9215",
            ["Exchange.EffectiveFrom"] = "2026-12-01",
        };
        var rateAdded = await PostFormAsync(client, "/pricing", rate);
        var rateAgain = await PostFormAsync(client, "/pricing", new(rate));

        Assert.Contains("billed lines are priced differently now", preview, StringComparison.Ordinal);
        Assert.Contains("Confirm: re-rate 2026-11", preview, StringComparison.Ordinal);
        Assert.Equal(billed, unchanged);
        Assert.Contains("Re-rated 2026-11:", applied, StringComparison.Ordinal);
        Assert.True(rerated.Lines > billed.Lines, "the lines were reversed and billed again");
        Assert.Contains("Already done under this confirmation", again, StringComparison.Ordinal);
        Assert.Equal(rerated, await CountsAsync());
        Assert.Contains("Nothing to re-rate", nothing, StringComparison.Ordinal);
        Assert.Contains("Run.Kind must be bill or rerate.", badKind, StringComparison.Ordinal);
        Assert.Contains("Added: 1 USD = 0.9215 EUR from", rateAdded, StringComparison.Ordinal);
        Assert.Contains("Already done under this confirmation", rateAgain, StringComparison.Ordinal);
        Assert.Equal(1, await App.WithDbAsync(db => db.ExchangeRates.CountAsync(r => r.FromCurrency == "USD" && r.ToCurrency == "EUR" && r.EffectiveFrom == new DateOnly(2026, 12, 1), Cancel)));
    }

    /// <summary>Microsoft's price list on screen as the API gives it, its changes between two months, and a bad filter named.</summary>
    [Fact]
    public async Task PriceLists_InForceAndChanges_AsTheApiGivesThem_AndABadFilterIsA400NamingIt()
    {
        var client = App.CreateClient();
        var api = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Csp.Commerce.Paged<Csp.Commerce.Pricing.PriceListRow>>(client, "/api/price-lists?market=NL&pageSize=100", Json, Cancel);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/price-lists?market=NL", Cancel));
        var changes = await client.GetAsync("/price-lists?view=changes&from=2026-11&to=2026-12&market=NL", Cancel);
        var bad = await client.GetAsync("/price-lists?market=Netherlands", Cancel);

        Assert.NotEmpty(api!.Items);
        Assert.Contains($"{api.TotalCount:N0} prices in force", page, StringComparison.Ordinal);
        foreach (var row in api.Items.Take(20))
        {
            Assert.Contains($"{row.ProductId}:{row.SkuId}", page, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, changes.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Query parameter &#x27;market&#x27;", await bad.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewalsMonthAndListViews_HoldEveryDayAsTheCalendarWithItsCosts()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<CommerceDb>();
        services.GetRequiredService<PartnerScope>().Enter(
            await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(p => p.ParentPartnerId == null).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel),
            await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Select(p => new ValueTuple<Guid, Guid?>(p.Id, p.ParentPartnerId)).ToListAsync(Cancel),
            null);
        var lifecycle = services.GetRequiredService<Csp.Commerce.Lifecycle.LifecycleServices>();
        var (from, to) = (new DateOnly(2026, 12, 1), new DateOnly(2027, 2, 28));

        var priced = (await Csp.Commerce.Renewals.ListRenewals.DaysAsync(lifecycle, from, to, new(), Cancel)).Value;
        var month = await Csp.Commerce.Renewals.RenewalsCalendar.MonthAsync(db, lifecycle.Est, lifecycle.Cancellation, from, to, new(), int.MaxValue, Cancel);
        var pages = new List<Csp.Commerce.Renewals.EndOfTermOptions>();
        var total = (await Csp.Commerce.Renewals.RenewalsCalendar.EndingAsync(lifecycle, from, to, new(), 1, 7, Cancel)).TotalCount;
        for (var page = 1; (page - 1) * 7 < total; page++)
        {
            pages.AddRange((await Csp.Commerce.Renewals.RenewalsCalendar.EndingAsync(lifecycle, from, to, new(), page, 7, Cancel)).Items);
        }

        Assert.NotEmpty(priced);
        Assert.Equal(priced.Select(d => (d.Date, d.Ending.Count, d.Renewed.Count)), month.Select(d => (d.Date, d.Ending, d.Renewed)));
        Assert.Equal(
            priced.SelectMany(d => d.Ending.Select(e => (e.SubscriptionId, (Csp.Domain.Subscriptions.EndOfTermOutcome?)e.Outcome, e.DriftsIntoEst))).Order(),
            month.SelectMany(d => d.First.Where(i => i.Outcome is not null).Select(i => (i.SubscriptionId, i.Outcome, i.DriftsIntoEst))).Order());

        // The list's pages of 7, one after another, are the priced calendar's terms, each priced the same, in day order.
        Assert.Equal(total, pages.Count);
        Assert.Equal(priced.SelectMany(d => d.Ending).Select(e => (e.SubscriptionId, e.CurrentFirstYear)).Order(), pages.Select(e => (e.SubscriptionId, e.CurrentFirstYear)).Order());
        Assert.Equal(pages.Select(e => e.TermEndDate).Order(), pages.Select(e => e.TermEndDate));

        // Each path the filter names selects, in the database, the terms the domain's rule puts on that path.
        foreach (var outcome in Enum.GetValues<Csp.Domain.Subscriptions.EndOfTermOutcome>())
        {
            var filter = new Csp.Commerce.Renewals.RenewalFilter(Path: outcome);
            var onPath = priced.SelectMany(d => d.Ending.Where(e => e.Outcome == outcome)).ToList();
            var filtered = await Csp.Commerce.Renewals.RenewalsCalendar.MonthAsync(db, lifecycle.Est, lifecycle.Cancellation, from, to, filter, int.MaxValue, Cancel);
            Assert.Equal(onPath.Select(e => e.SubscriptionId).Order(), filtered.SelectMany(d => d.First).Select(i => i.SubscriptionId).Order());
            Assert.All(filtered, d => Assert.Equal(0, d.Renewed));
            Assert.Equal(onPath.Count, (await Csp.Commerce.Renewals.RenewalsCalendar.EndingAsync(lifecycle, from, to, filter, 1, 7, Cancel)).TotalCount);
        }

        Assert.Contains(priced.SelectMany(d => d.Ending), e => e.Outcome == Csp.Domain.Subscriptions.EndOfTermOutcome.ExtendedServiceTerm);

        // The renewed terms, a page of 5 at a time, are the calendar's, each with its window.
        var renewed = new List<(DateOnly Day, Csp.Commerce.Renewals.CalendarItem Item)>();
        var renewedTotal = (await Csp.Commerce.Renewals.RenewalsCalendar.RenewedAsync(db, lifecycle.Cancellation, from, to, new(), 1, 5, Cancel)).TotalCount;
        for (var page = 1; (page - 1) * 5 < renewedTotal; page++)
        {
            renewed.AddRange((await Csp.Commerce.Renewals.RenewalsCalendar.RenewedAsync(db, lifecycle.Cancellation, from, to, new(), page, 5, Cancel)).Items);
        }

        Assert.Equal(priced.SelectMany(d => d.Renewed.Select(r => (d.Date, r.SubscriptionId, (DateTimeOffset?)r.ReduceOrCancelUntil))).Order(), renewed.Select(r => (r.Day, r.Item.SubscriptionId, r.Item.ReduceOrCancelUntil)).Order());
    }

    /// <summary>Query values that must never cause a 5xx, on every query parameter of every page.</summary>
    private static readonly string[] QueryValues =
        ["", " ", "-1", "0", "99999999999999999999", "abc", "0001-01", "9999-12", "0000-00", "Renew", "2", "\u0000", "a\u0007b", new string('a', 300), new string('x', 100_000)];

    private static readonly string[] FormValues = ["", "-1", "0", "2147483648", "abc", "Renew", "monthly", "\u0000", new string('x', 100_000)];

    private static IEnumerable<string> QueryParameters(Type component) =>
        component.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => p.Attribute!.Name ?? p.Property.Name);

    private static Dictionary<string, string> Ordinary(string handler, Dictionary<string, string> mine) => handler switch
    {
        "preview-bulk" => new() { ["Form.Step"] = "preview", ["Form.Choice"] = "Renew", ["Form.Ids"] = mine["subscription"] },
        "sync" => new() { ["Form.Step"] = "preview" },
        "billing-run" => new() { ["Run.Step"] = "preview", ["Run.Month"] = "2026-11", ["Run.PartnerId"] = mine["partner"] },
        "issue" => new() { ["Form.Step"] = "preview", ["Form.DueInDays"] = "30" },
        "margin-rule" => new() { ["Rule.Level"] = "Business", ["Rule.Method"] = "Markup", ["Rule.Percent"] = "20", ["Rule.Promotions"] = "PassOn", ["Rule.EffectiveFrom"] = "2026-12-01" },
        "tax-rate" => new() { ["Rate.Country"] = "NL", ["Rate.Percent"] = "21", ["Rate.EffectiveFrom"] = "2026-12-01" },
        "exchange-rate" => new() { ["Exchange.From"] = "USD", ["Exchange.To"] = "EUR", ["Exchange.Rate"] = "0.92", ["Exchange.EffectiveFrom"] = "2026-12-01" },
        "tax" => new() { ["Tax.TaxId"] = "", ["Tax.ReverseCharge"] = "true" },
        "invoice-currency" => new() { ["Currency.Code"] = "XTS" },
        "invoice-item" => new() { ["Item.Month"] = "2026-12", ["Item.Description"] = "Sweep", ["Item.Quantity"] = "1", ["Item.UnitPrice"] = "10", ["Item.UnitCost"] = "5" },

        // A payment is recorded as it is sent: the ordinary one is dated before the invoice, refused.
        "pay" => new() { ["Form.Step"] = "confirm", ["Form.Key"] = "sweep-payment", ["Form.PaidOn"] = "2020-01-01" },
        "credit" => new() { ["Form.Step"] = "preview", ["Form.AllLines"] = "true" },
        "order" => new() { ["Order.Step"] = "preview", ["Order.CatalogItemId"] = mine["catalogItem"], ["Order.Term"] = "P1Y", ["Order.BillingPlan"] = "monthly", ["Order.Quantity"] = "2", ["Order.FriendlyName"] = "Sweep" },
        "decide" => new() { ["Decide.Step"] = "preview", ["Decide.Id"] = mine["subscription"], ["Decide.Reason"] = "sweep" },
        "policy" => new() { ["Policy.SeatAdditionsAtOnce"] = "0" },
        "request" => new() { ["Form.Step"] = "preview", ["Form.Kind"] = "seats", ["Form.Quantity"] = "2", ["Form.Note"] = "sweep" },
        "api-key" => new() { ["Key.Step"] = "preview-revoke", ["Key.Name"] = "Sweep", ["Key.Role"] = "billing", ["Key.Id"] = mine["subscription"] },
        "user" => new() { ["User.Step"] = "preview-remove", ["User.DisplayName"] = "Sweep", ["User.TenantId"] = mine["subscription"], ["User.ObjectId"] = mine["subscription"], ["User.Role"] = "billing", ["User.CustomerId"] = "", ["User.Id"] = mine["subscription"] },
        "tenant" => new() { ["Tenant.Step"] = "preview", ["Tenant.PartnerId"] = mine["partner"], ["Tenant.TenantId"] = mine["subscription"] },
        "partner-center" => new()
        {
            ["Connection.Step"] = "save",
            ["Connection.BaseAddress"] = "https://api.partnercenter.microsoft.com",
            ["Connection.Authority"] = "https://login.microsoftonline.com/",
            ["Connection.TenantId"] = mine["subscription"],
            ["Connection.ApplicationId"] = mine["subscription"],
            ["Connection.ApplicationSecret"] = "",
            ["Connection.RefreshToken"] = "",
        },
        "branding" => new() { ["Form.DisplayName"] = "Sweep", ["Form.Address"] = "1 Main Street", ["Form.TaxId"] = "IE1234567X", ["Form.Colour"] = "#0F6CBD", ["Form.PortalHost"] = "" },
        _ => new() { ["Form.Action"] = handler, ["Form.Step"] = "preview", ["Form.Quantity"] = "2", ["Form.BillingPlan"] = "monthly", ["Form.Choice"] = "Renew", ["Form.Reason"] = "sweep", ["Form.ToCatalogItemId"] = mine["catalogItem"] },
    };

    private static string Path(RoutePattern pattern, IReadOnlyDictionary<string, string> subjects) =>
        HostRoutes.Path(pattern, pattern.Parameters.ToDictionary(p => p.Name, p => HostRoutes.Subject(pattern.RawText!, p.Name, subjects)));

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path) =>
        TokenField().Match(await client.GetStringAsync(path, Cancel)).Groups[1].Value;

    private static async Task<string> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, path);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(fields), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {string.Join(" | ", AlertText().Matches(text).Select(m => m.Groups[1].Value))} {text[..Math.Min(200, text.Length)]}");
        return WebUtility.HtmlDecode(text);
    }

    private Task<InvoiceStatus> StatusAsync(Guid id) => App.WithDbAsync(db => db.Invoices.Where(i => i.Id == id).Select(i => i.Status).SingleAsync(Cancel));

    /// <summary>A form whose fields repeat (ticked lines), posted with a fresh antiforgery token.</summary>
    private static async Task<string> PostPairsAsync(HttpClient client, string path, List<KeyValuePair<string, string>> fields)
    {
        var response = await client.PostAsync(path, new FormUrlEncodedContent(fields.Where(f => f.Key != "__RequestVerificationToken").Append(new("__RequestVerificationToken", await AntiforgeryTokenAsync(client, path)))), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {text[..Math.Min(500, text.Length)]}");
        return WebUtility.HtmlDecode(text);
    }

    private Task<int> SeatsAsync(string id) => App.WithDbAsync(db => db.Subscriptions.Where(s => s.Id == Guid.Parse(id)).Select(s => s.Quantity).SingleAsync(Cancel));

    /// <summary>A client signed in, through the demo's sign-in page, as the demo's customer user.</summary>
    private async Task<HttpClient> SignedInCustomerUserAsync()
    {
        var client = App.CreateAnonymousClient();
        var page = await client.GetStringAsync("/signin", Cancel);
        var user = CustomerUserField().Match(page).Groups[1].Value;
        var signIn = await client.PostAsync("/signin/demo", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = TokenField().Match(page).Groups[1].Value, ["user"] = user }), Cancel);
        Assert.True(signIn.IsSuccessStatusCode, $"signing in: {(int)signIn.StatusCode}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<div>Customers</div>\\s*<div class=\"figure-value\">([^<]+)</div>")]
    private static partial Regex CustomersFigure();

    [GeneratedRegex("<code id=\"made-key\"[^>]*>([^<]+)</code>")]
    private static partial Regex MadeKey();

    [GeneratedRegex("name=\"Rule.Key\" value=\"([^\"]+)\"")]
    private static partial Regex RuleKeyField();

    [GeneratedRegex("class=\"mud-alert-message\">([^<]*)")]
    private static partial Regex AlertText();

    [GeneratedRegex("name=\"Order.Key\" value=\"([^\"]+)\"")]
    private static partial Regex OrderKeyField();

    [GeneratedRegex("name=\"Run.Key\" value=\"([^\"]+)\"")]
    private static partial Regex RunKeyField();

    [GeneratedRegex("name=\"Item.Key\" value=\"([^\"]+)\"")]
    private static partial Regex ItemKeyField();

    [GeneratedRegex("name=\"Exchange.Key\" value=\"([^\"]+)\"")]
    private static partial Regex ExchangeKeyField();

    [GeneratedRegex("name=\"Form.Key\" value=\"([^\"]+)\"")]
    private static partial Regex KeyField();

    [GeneratedRegex("a customer&#x27;s user[^<]*<form[^>]*>(?:<input[^>]*>)*?<input type=\"hidden\" name=\"user\" value=\"([^\"]+)\"")]
    private static partial Regex CustomerUserField();
}

public sealed class SqlitePortalPagesTests : PortalPagesTests<SqliteDatabase>;

public sealed class PostgresPortalPagesTests : PortalPagesTests<PostgresDatabase>;
