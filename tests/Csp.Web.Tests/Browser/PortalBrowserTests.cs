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
            .Join(db.Customers, s => s.CustomerId, c => c.Id, (s, c) => new { s.Id, s.FriendlyName, s.Quantity, Customer = c.Name })
            .OrderBy(s => s.Customer).ThenBy(s => s.FriendlyName).FirstAsync(Cancel));
        using var browser = new BrowserSession($"portal-{database.Provider.ToLowerInvariant()}");
        var driver = browser.Driver;
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
        void Check(string step)
        {
            browser.Screenshot(step);
            var violations = browser.SeriousAccessibilityViolations();
            Assert.True(violations.Count == 0, $"{step}: {string.Join(Environment.NewLine, violations)}");
        }

        // Signed out, a page leads to the sign-in page, which comes back to it.
        driver.Navigate().GoToUrl($"{app.Address}/customers");
        wait.Until(d => d.FindElements(By.CssSelector("form[action='/signin/demo']")).Count > 0);
        driver.FindElement(By.XPath("//li[contains(., 'Admin of a partner')]//button")).Click();
        wait.Until(d => d.Url.EndsWith("/customers", StringComparison.Ordinal) && d.FindElements(By.TagName("table")).Count > 0);
        Check("customers");

        driver.FindElement(By.Id("search")).SendKeys(target.Customer);
        driver.FindElement(By.CssSelector("form[role='search'] button[type='submit']")).Click();
        wait.Until(d => d.FindElements(By.XPath("//caption[contains(., 'customers')]")).Count > 0 && d.Url.Contains("search=", StringComparison.Ordinal));
        Check("customers-found");
        driver.FindElement(By.LinkText(target.Customer)).Click();
        wait.Until(d => d.FindElements(By.XPath($"//h4[normalize-space(.)={Literal(target.Customer)}]")).Count > 0);
        Check("customer");

        driver.FindElement(By.XPath($"//a[@href='/subscriptions/{target.Id}']")).Click();
        wait.Until(d => d.FindElements(By.Id("seats-quantity")).Count > 0);
        Check("subscription");

        // Preview: what Microsoft would charge, before any button that acts.
        var seats = driver.FindElement(By.Id("seats-quantity"));
        seats.Clear();
        seats.SendKeys((target.Quantity + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        seats.Submit();
        var confirm = wait.Until(d => d.FindElements(By.XPath("//button[starts-with(normalize-space(.), 'Confirm:')]")).FirstOrDefault());
        Assert.Contains("Allowed.", driver.PageSource, StringComparison.Ordinal);
        Assert.Contains("What Microsoft would charge", driver.PageSource, StringComparison.Ordinal);
        Assert.Equal(target.Quantity, await SeatsAsync(target.Id));
        Check("seats-previewed");

        confirm.Click();
        var done = wait.Until(d => d.FindElements(By.Id("outcome")).FirstOrDefault());
        Assert.Contains("done in Partner Center", done.Text, StringComparison.Ordinal);
        Assert.Equal(target.Quantity + 2, await SeatsAsync(target.Id));
        Check("seats-changed");

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
        Check("seat-reduction-refused");

        // The renewals calendar, as a month and as a list.
        driver.FindElement(By.LinkText("Renewals")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Renewals']")).Count > 0 && d.FindElements(By.CssSelector(".calendar, .mud-alert")).Count > 0);
        Check("renewals-month");
        // Links are followed by Blazor's enhanced navigation, which patches the page in place: wait for the new month's name.
        var shown = driver.FindElement(By.CssSelector("nav[aria-label='Months'] strong")).Text;
        driver.FindElement(By.LinkText("Next month")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("nav[aria-label='Months'] strong")).FirstOrDefault()?.Text is { } month && month != shown);
        driver.FindElement(By.CssSelector("#view option[value='list']")).Click();
        driver.FindElement(By.Id("view")).Submit();
        wait.Until(d => d.Url.Contains("view=list", StringComparison.Ordinal) && d.FindElements(By.CssSelector("table, .mud-alert")).Count > 0);
        Check("renewals-list");

        driver.FindElement(By.LinkText("EST risk")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[contains(., 'Extended Service Term')]")).Count > 0);
        Check("est-risk");

        // Microsoft's file for November, one line short of what the platform expects: uploaded, it shows that line missing.
        var shadow = (await app.CreateClient().GetStringAsync("/api/shadow-invoice?month=2026-11", Cancel)).TrimEnd('\n').Split('\n');
        var file = Path.Combine(Directory.CreateTempSubdirectory("csp-portal-recon-").FullName, "Recon_2026-11.csv");
        await File.WriteAllLinesAsync(file, shadow[..^1], Cancel);
        driver.FindElement(By.LinkText("Reconciliation")).Click();
        wait.Until(d => d.FindElements(By.Id("recon-file")).Count > 0);
        Check("reconciliation-upload");
        driver.FindElement(By.Id("recon-file")).SendKeys(file);
        driver.FindElement(By.CssSelector("form[data-upload] button[type='submit']")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h5[normalize-space(.)='Differences by kind']")).Count > 0);
        Check("reconciliation-result");
        driver.FindElement(By.PartialLinkText("missing (")).Click();
        var missing = wait.Until(d => d.Url.Contains("kind=missing", StringComparison.Ordinal) ? d.FindElements(By.XPath("//tbody/tr[td[1][normalize-space(.)='missing']]")) : null);
        Assert.Contains(Assert.Single(missing!).FindElement(By.TagName("code")).Text, shadow[^1], StringComparison.Ordinal);
        Check("reconciliation-missing");

        driver.FindElement(By.LinkText("Dashboard")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Dashboard']")).Count > 0);
        Check("dashboard");
    }

    private Task<int> SeatsAsync(Guid id) => app.WithDbAsync(db => db.Subscriptions.Where(s => s.Id == id).Select(s => s.Quantity).SingleAsync(Cancel));

    /// <summary>A string as an XPath literal.</summary>
    private static string Literal(string text) => text.Contains('\'', StringComparison.Ordinal) ? $"\"{text}\"" : $"'{text}'";
}

public sealed class SqlitePortalBrowserTests : PortalBrowserTests<SqliteDatabase>;

public sealed class PostgresPortalBrowserTests : PortalBrowserTests<PostgresDatabase>;
