using Csp.Data;
using Csp.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Csp.Web.Tests.Browser;

/// <summary>
/// The partner portal in Chromium, on the seeded demo with its in-process simulator: each step as a partner's staff takes
/// it, each page checked by axe-core and photographed.
/// </summary>
public abstract class PortalBrowserTests<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    private readonly TDatabase database = new();

    private readonly FakeTimeProvider time = new(CommerceApp.Now);

    private CommerceApp app = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var directory = await SeededDemo.CopyToAsync(database);
        app = await CommerceApp.WithSimulatorAsync(database, time, dataDirectory: directory, kestrel: true);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Staff_FindACustomer_PreviewAndApplyASeatChange_SeeItRefusedAfterTheWindow_AndOpenTheCalendar()
    {
        // A yearly subscription in service, mid-term: its seats can be added to now.
        var target = await app.WithDbAsync(db => db.Subscriptions
            .Where(s => s.Status == SubscriptionStatus.Active && s.Term != null && s.TermEndDate > DateOnly.FromDateTime(CommerceApp.Now.UtcDateTime).AddDays(60) && s.FriendlyName.StartsWith("Microsoft 365"))
            .Join(db.Customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.Id, s.FriendlyName, s.Quantity, Customer = c.Name, Seller = c.PartnerId })
            .OrderBy(s => s.Customer).ThenBy(s => s.FriendlyName).FirstAsync(Cancel));
        using var browser = new BrowserSession($"portal-{database.Provider.ToLowerInvariant()}");
        var (driver, wait) = (browser.Driver, new WebDriverWait(browser.Driver, TimeSpan.FromSeconds(30)));

        // Signed out, a page leads to the sign-in page, which comes back to it.
        driver.Navigate().GoToUrl($"{app.Address}/customers");
        wait.Until(d => d.FindElements(By.CssSelector("form[action='/signin/demo']")).Count > 0);
        driver.FindElement(By.XPath("//li[contains(., 'Admin of a partner')]//button")).Click();
        wait.Until(d => d.Url.EndsWith("/customers", StringComparison.Ordinal) && d.FindElements(By.TagName("table")).Count > 0);
        browser.Check("customers");

        driver.FindElement(By.Id("search")).SendKeys(target.Customer);
        driver.FindElement(By.CssSelector("form[role='search'] button[type='submit']")).Click();
        wait.Until(d => d.FindElements(By.XPath("//caption[contains(., 'customers')]")).Count > 0 && d.Url.Contains("search=", StringComparison.Ordinal));
        browser.Check("customers-found");
        driver.FindElement(By.LinkText(target.Customer)).Click();
        wait.Until(d => d.FindElements(By.XPath($"//h4[normalize-space(.)={Literal(target.Customer)}]")).Count > 0);
        browser.Check("customer");

        // The customer's month at its price, as the rules make it today, before any run bills it.
        driver.FindElement(By.CssSelector("form[aria-label=\"Preview a month's invoice\"] button[type='submit']")).Click();
        wait.Until(d => d.Url.Contains("preview=", StringComparison.Ordinal) && d.FindElements(By.XPath("//caption[contains(., 'charges of')]")).Count > 0);
        driver.ExecuteScript("arguments[0].scrollIntoView()", driver.FindElement(By.Id("month-preview")));
        browser.Check("customer-month-previewed");

        driver.FindElement(By.XPath($"//a[@href='/subscriptions/{target.Id}']")).Click();
        wait.Until(d => d.FindElements(By.Id("seats-quantity")).Count > 0);
        browser.Check("subscription");

        // Preview: what Microsoft would charge, before any button that acts.
        var seats = driver.FindElement(By.Id("seats-quantity"));
        seats.Clear();
        seats.SendKeys((target.Quantity + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        seats.Submit();
        var confirm = wait.Until(d => d.FindElements(By.XPath("//button[starts-with(normalize-space(.), 'Confirm:')]")).FirstOrDefault());
        Assert.Contains("Allowed.", driver.PageSource, StringComparison.Ordinal);
        Assert.Contains("What Microsoft would charge", driver.PageSource, StringComparison.Ordinal);
        Assert.Equal(target.Quantity, await SeatsAsync(target.Id));
        driver.ExecuteScript("arguments[0].scrollIntoView()", driver.FindElement(By.CssSelector("section[aria-label='Preview']")));
        browser.Check("seats-previewed");

        confirm.Click();
        var done = wait.Until(d => d.FindElements(By.Id("outcome")).FirstOrDefault());
        Assert.Contains("done in Partner Center", done.Text, StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 2, await SeatsAsync(target.Id));
        browser.Check("seats-changed");

        // The upgrades Partner Center offers, asked for from the page.
        driver.FindElement(By.LinkText("See the upgrades Partner Center offers")).Click();
        wait.Until(d => d.FindElements(By.Id("upgrade")).Count > 0);
        browser.Check("subscription-upgrades");

        // Eight days on, the seats added are past Microsoft's 168 hours: the preview refuses to take them back, and says until when it could.
        // The sign-in has expired by then (the cookie lives hours, not days): signing in again comes back to the page.
        time.Advance(TimeSpan.FromDays(8));
        driver.Navigate().GoToUrl($"{app.Address}/subscriptions/{target.Id}");
        wait.Until(d => d.FindElements(By.CssSelector("form[action='/signin/demo']")).Count > 0);
        driver.FindElement(By.XPath("//li[contains(., 'Admin of a partner')]//button")).Click();
        seats = wait.Until(d => d.FindElements(By.Id("seats-quantity")).FirstOrDefault());
        seats!.Clear();
        seats.SendKeys(target.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        seats.Submit();
        var refused = wait.Until(d => d.FindElements(By.XPath("//div[contains(@class, 'mud-alert') and contains(., 'Not allowed')]")).FirstOrDefault());
        Assert.Contains("It was allowed until", refused.Text, StringComparison.Ordinal);
        Assert.Empty(driver.FindElements(By.XPath("//button[starts-with(normalize-space(.), 'Confirm:')]")));
        Assert.Equal(target.Quantity + 2, await SeatsAsync(target.Id));
        driver.ExecuteScript("arguments[0].scrollIntoView()", refused);
        browser.Check("seat-reduction-refused");

        // The renewals calendar, as a month and as a list.
        driver.FindElement(By.LinkText("Renewals")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Renewals']")).Count > 0 && d.FindElements(By.CssSelector(".calendar, .mud-alert")).Count > 0);
        browser.Check("renewals-month");
        // Links are followed by Blazor's enhanced navigation, which patches the page in place: wait for the new month's name.
        var shown = driver.FindElement(By.CssSelector("nav[aria-label='Months'] strong")).Text;
        driver.FindElement(By.LinkText("Next month")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("nav[aria-label='Months'] strong")).FirstOrDefault()?.Text is { } month && month != shown);
        driver.FindElement(By.CssSelector("#view option[value='list']")).Click();
        driver.FindElement(By.Id("view")).Submit();
        wait.Until(d => d.Url.Contains("view=list", StringComparison.Ordinal) && d.FindElements(By.CssSelector("table, .mud-alert")).Count > 0);
        browser.Check("renewals-list");

        driver.FindElement(By.LinkText("EST risk")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[contains(., 'Extended Service Term')]")).Count > 0);
        browser.Check("est-risk");

        // Microsoft's file for November, one line short of what the platform expects: uploaded, it shows that line missing.
        var shadow = (await app.CreateClient().GetStringAsync("/api/shadow-invoice?month=2026-11", Cancel)).TrimEnd('\n').Split('\n');
        var file = Path.Combine(Directory.CreateTempSubdirectory("csp-portal-recon-").FullName, "Recon_2026-11.csv");
        await File.WriteAllLinesAsync(file, shadow[..^1], Cancel);
        driver.FindElement(By.LinkText("Reconciliation")).Click();
        wait.Until(d => d.FindElements(By.Id("recon-file")).Count > 0);
        browser.Check("reconciliation-upload");
        driver.FindElement(By.Id("recon-file")).SendKeys(file);
        driver.FindElement(By.CssSelector("form[data-upload] button[type='submit']")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h5[normalize-space(.)='Differences by kind']")).Count > 0);
        browser.Check("reconciliation-result");
        driver.FindElement(By.PartialLinkText("missing (")).Click();
        var missing = wait.Until(d => d.Url.Contains("kind=missing", StringComparison.Ordinal) ? d.FindElements(By.XPath("//tbody/tr[td[1][normalize-space(.)='missing']]")) : null);
        Assert.Contains(Assert.Single(missing!).FindElement(By.TagName("code")).Text, shadow[^1], StringComparison.Ordinal);
        browser.Check("reconciliation-missing");

        driver.FindElement(By.LinkText("Azure usage")).Click();
        wait.Until(d => d.FindElements(By.Id("usage-file")).Count > 0);
        browser.Check("usage-imports");

        // A sync from the page: explained, confirmed, followed in the background, then what it found.
        driver.FindElement(By.LinkText("Partner Center")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Partner Center']")).Count > 0);
        driver.FindElement(By.XPath("//button[normalize-space(.)='Sync now']")).Click();
        wait.Until(d => d.FindElements(By.Id("sync-explained")).Count > 0);
        browser.Check("partner-center-sync-explained");
        driver.FindElement(By.XPath("//button[normalize-space(.)='Confirm the sync']")).Click();
        var synced = wait.Until(d => d.FindElements(By.XPath("//div[@aria-label='Syncs run, newest first']//tbody/tr[1][td[3][normalize-space(.)='done']]/td[5]")).FirstOrDefault());
        Assert.Matches("^(First import|[0-9,]+ changes applied)", synced!.Text);
        browser.Check("partner-center-synced");

        driver.FindElement(By.LinkText("Settings")).Click();
        wait.Until(d => d.FindElements(By.Id("brand-name")).Count > 0);
        browser.Check("settings");

        // An API key made from the page is shown once; revoking it is explained first, then done.
        driver.FindElement(By.Id("key-name")).SendKeys("Billing export");
        driver.FindElement(By.CssSelector("#key-role option[value='billing']")).Click();
        driver.FindElement(By.XPath("//button[normalize-space(.)='Make the key']")).Click();
        var made = wait.Until(d => d.FindElements(By.Id("made-key")).FirstOrDefault());
        Assert.StartsWith(Csp.Commerce.Access.ApiKeyFormat.Start, made!.Text, StringComparison.Ordinal);
        browser.Check("settings-key-made");
        driver.FindElement(By.CssSelector("button[aria-label='Revoke the key Billing export']")).Click();
        wait.Until(d => d.FindElements(By.XPath("//button[normalize-space(.)='Confirm: revoke “Billing export”']")).Count > 0);
        browser.Check("settings-key-revoke-previewed");
        Assert.Null(await app.WithDbAsync(db => db.ApiKeys.Where(k => k.Name == "Billing export").Select(k => k.RevokedAt).SingleAsync(Cancel)));
        driver.FindElement(By.XPath("//button[normalize-space(.)='Confirm: revoke “Billing export”']")).Click();
        wait.Until(d => d.FindElements(By.Id("key-outcome")).FirstOrDefault()?.Text.Contains("is revoked", StringComparison.Ordinal) == true);
        Assert.NotNull(await app.WithDbAsync(db => db.ApiKeys.Where(k => k.Name == "Billing export").Select(k => k.RevokedAt).SingleAsync(Cancel)));

        driver.FindElement(By.LinkText("Requests")).Click();
        wait.Until(d => d.FindElements(By.Id("policy-seats")).Count > 0);
        browser.Check("requests");

        // November's billing run, previewed then confirmed; one of its drafts with its lines; the margin report with its chart.
        driver.FindElement(By.LinkText("Invoices")).Click();
        wait.Until(d => d.FindElements(By.Id("run-month")).Count > 0 && d.FindElements(By.CssSelector("table, .mud-alert")).Count > 0);
        driver.ExecuteScript("document.getElementById('run-month').value = '2026-11';");
        driver.FindElement(By.CssSelector($"#run-seller option[value='{target.Seller}']")).Click();
        driver.FindElement(By.XPath("//button[normalize-space(.)='Preview the run']")).Click();
        var run = wait.Until(d => d.FindElements(By.XPath("//button[normalize-space(.)='Confirm: run billing for 2026-11']")).FirstOrDefault());
        browser.Check("billing-run-previewed");
        run!.Click();
        wait.Until(d => d.FindElements(By.Id("run-outcome")).FirstOrDefault()?.Text.Contains("Billed 2026-11", StringComparison.Ordinal) == true);
        browser.Check("invoices");
        driver.FindElement(By.CssSelector("table a[href^='/invoices/']")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h5[normalize-space(.)='Lines']")).Count > 0);
        browser.Check("invoice");
        driver.FindElement(By.LinkText("Margins")).Click();
        wait.Until(d => d.FindElements(By.Id("margin-by")).Count > 0 && d.FindElements(By.CssSelector("table, .mud-alert")).Count > 0);
        browser.Check("margins");
        driver.FindElement(By.LinkText("Pricing")).Click();
        wait.Until(d => d.FindElements(By.Id("rule-level")).Count > 0);
        browser.Check("pricing");

        driver.FindElement(By.LinkText("Dashboard")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Dashboard']")).Count > 0);
        browser.Check("dashboard");

        // On a phone's width, every page still fits: wide tables scroll inside their own box, never the page.
        driver.Manage().Window.Size = new System.Drawing.Size(390, 844);
        foreach (var page in new[] { "/", "/customers", $"/subscriptions/{target.Id}", "/renewals", "/renewals/est-risk", "/requests", "/invoices", "/margins", "/pricing", "/price-lists", "/reconciliations", "/usage-imports", "/partner-center", "/settings" })
        {
            driver.Navigate().GoToUrl($"{app.Address}{page}");
            wait.Until(d => d.FindElements(By.TagName("h4")).Count > 0);
            var overflow = (long)driver.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")!;
            var widest = overflow <= 0 ? "" : (string)driver.ExecuteScript(
                "const w = document.documentElement.clientWidth;"
                + " return [...document.querySelectorAll('body *')].filter(x => x.getBoundingClientRect().right > w + 1).slice(0, 12)"
                + ".map(x => x.tagName + '.' + x.className + ' ' + Math.round(x.getBoundingClientRect().right) + ' ' + getComputedStyle(x).overflowX).join(' | ');")!;
            Assert.True(overflow <= 0, $"{page} is {overflow} px wider than a phone's screen; elements past its edge (tag.class right overflow-x): {widest}");
        }

        driver.Navigate().GoToUrl($"{app.Address}/subscriptions/{target.Id}");
        browser.Check("phone-subscription");
    }

    [Fact]
    public async Task CustomerOfAWhiteLabelledReseller_SignsInAtItsHost_SeesItsBrand_AndOnlyItsOwnData()
    {
        var (brand, customer, subscriptions, stranger) = await app.WithDbAsync(async db =>
        {
            var cleo = await db.Users.SingleAsync(u => u.CreatedBy == "demo" && u.CustomerId != null, Cancel);
            var branding = await db.Brandings.SingleAsync(b => b.PartnerId == cleo.PartnerId, Cancel);
            var own = await db.Customers.SingleAsync(c => c.Id == cleo.CustomerId, Cancel);
            var names = await db.Subscriptions.Where(s => s.CustomerId == own.Id).Select(s => s.FriendlyName).ToListAsync(Cancel);
            var other = await db.Customers.Where(c => c.PartnerId == cleo.PartnerId && c.Id != own.Id).OrderBy(c => c.Name).Select(c => c.Name).FirstAsync(Cancel);
            return (branding, own.Name, names, other);
        });
        Assert.NotNull(brand.PortalHost);
        var portal = $"http://{brand.PortalHost}:{new Uri(app.Address).Port}";
        using var browser = new BrowserSession($"white-label-{database.Provider.ToLowerInvariant()}");
        var (driver, wait) = (browser.Driver, new WebDriverWait(browser.Driver, TimeSpan.FromSeconds(30)));

        // The reseller's host: its name on the sign-in page, and of the demo's people only its own.
        driver.Navigate().GoToUrl($"{portal}/my");
        wait.Until(d => d.FindElements(By.CssSelector("form[action='/signin/demo']")).Count > 0);
        Assert.Equal($"{brand.DisplayName} — sign in", driver.FindElement(By.TagName("h1")).Text);
        Assert.DoesNotContain("Admin of a partner", driver.PageSource, StringComparison.Ordinal);
        browser.Check("branded-sign-in");

        driver.FindElement(By.XPath("//li[contains(., \"a customer's user\")]//button")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Your subscriptions']")).Count > 0);
        var header = driver.FindElement(By.CssSelector("header.portal-header"));
        Assert.Contains(brand.DisplayName, header.Text, StringComparison.Ordinal);
        Assert.Contains(customer, header.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("CSP Commerce", header.Text, StringComparison.Ordinal);
        Assert.Equal("rgba(92, 46, 145, 1)", header.GetCssValue("background-color"));
        var rows = driver.FindElements(By.XPath("//h4[normalize-space(.)='Your subscriptions']/following::table[1]/tbody/tr/td[1]")).Select(td => td.Text).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(subscriptions.Order(StringComparer.Ordinal), rows);
        Assert.DoesNotContain(stranger, driver.PageSource, StringComparison.Ordinal);
        browser.Check("customer-portal");

        // A request for one more seat: previewed with the customer's own prices, then sent to the reseller.
        driver.FindElement(By.XPath("//h4[normalize-space(.)='Your subscriptions']/following::table[1]/tbody/tr[1]/td[1]/a")).Click();
        wait.Until(d => d.FindElements(By.Id("request-quantity")).Count > 0);
        var seats = int.Parse(driver.FindElement(By.Id("request-quantity")).GetDomProperty("value")!, System.Globalization.CultureInfo.InvariantCulture);
        driver.FindElement(By.Id("request-quantity")).Clear();
        driver.FindElement(By.Id("request-quantity")).SendKeys($"{seats + 1}");
        driver.FindElement(By.XPath("//form[.//input[@id='request-quantity']]//button[normalize-space(.)='Preview']")).Click();
        wait.Until(d => d.FindElements(By.XPath("//button[normalize-space(.)='Send the request']")).Count > 0);
        Assert.DoesNotContain("What Microsoft would charge", driver.PageSource, StringComparison.Ordinal);
        browser.Check("customer-request-previewed");
        driver.FindElement(By.XPath("//button[normalize-space(.)='Send the request']")).Click();
        wait.Until(d => d.FindElements(By.Id("outcome")).FirstOrDefault()?.Text.Contains("waits for their approval", StringComparison.Ordinal) == true);
        browser.Check("customer-request-sent");
        Assert.Equal(ChangeRequestStatus.Pending, await app.WithDbAsync(db => db.ChangeRequests.Select(r => r.Status).SingleAsync(Cancel)));

        // The partner's pages are not there for a customer's user.
        driver.Navigate().GoToUrl($"{portal}/customers");
        wait.Until(d => d.FindElements(By.XPath("//h1[normalize-space(.)='This page is not here']")).Count > 0);
        Assert.DoesNotContain(stranger, driver.PageSource, StringComparison.Ordinal);
    }

    private Task<int> SeatsAsync(Guid id) => app.WithDbAsync(db => db.Subscriptions.Where(s => s.Id == id).Select(s => s.Quantity).SingleAsync(Cancel));

    /// <summary>A string as an XPath literal.</summary>
    private static string Literal(string text) => text.Contains('\'', StringComparison.Ordinal) ? $"\"{text}\"" : $"'{text}'";
}

public sealed class SqlitePortalBrowserTests : PortalBrowserTests<SqliteDatabase>;

public sealed class PostgresPortalBrowserTests : PortalBrowserTests<PostgresDatabase>;
