using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Csp.Web.Tests.Browser;

/// <summary>The sign-in page in a real browser: the host on Kestrel over loopback, Chromium signing in as the demo's people.</summary>
public abstract class SignInBrowserTests<TDatabase>
    where TDatabase : TestDatabase, new()
{
    [Fact]
    public async Task SignIn_AsDemoPeople_InChromium_ShowsWhoIsSignedIn_AndLeadsEachToWhatTheyMaySee()
    {
        await using var database = new TDatabase();
        await using var app = new CommerceApp(database, new FakeTimeProvider(CommerceApp.Now));
        app.UseKestrel();
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        using var browser = new BrowserSession($"sign-in-{database.Provider.ToLowerInvariant()}");
        var wait = new WebDriverWait(browser.Driver, TimeSpan.FromSeconds(30));

        browser.Driver.Navigate().GoToUrl($"{address}/signin");
        browser.Screenshot("sign-in");
        Assert.Empty(browser.SeriousAccessibilityViolations());
        var button = browser.Driver.FindElements(By.CssSelector("form[action='/signin/demo'] button")).First();
        var person = button.Text["Sign in as ".Length..];

        // A partner's person lands on the portal's dashboard, named in its header.
        button.Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Dashboard']")).Count > 0);
        browser.Screenshot("signed-in");
        Assert.Contains(person, browser.Driver.FindElement(By.CssSelector("form.portal-user")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.SeriousAccessibilityViolations());

        // The cookie the browser now holds is the caller: the API answers it with the person's customers.
        browser.Driver.Navigate().GoToUrl($"{address}/api/customers");
        var json = wait.Until(d => d.FindElements(By.TagName("pre")).FirstOrDefault()?.Text is { Length: > 0 } text ? text : null);
        browser.Screenshot("customers");
        using (var customers = JsonDocument.Parse(json))
        {
            Assert.NotEmpty(customers.RootElement.GetProperty("items").EnumerateArray());
        }

        browser.Driver.Navigate().GoToUrl($"{address}/signin");
        browser.Driver.FindElement(By.XPath("//form[@action='/signout']/button")).Click();
        wait.Until(d => d.FindElements(By.XPath("//form[@action='/signout']")).Count == 0 && d.FindElements(By.CssSelector("form[action='/signin/demo']")).Count > 0);
        browser.Screenshot("signed-out");
        browser.Driver.Navigate().GoToUrl($"{address}/api/customers");
        Assert.Contains("401", browser.Driver.PageSource, StringComparison.Ordinal);

        // A customer's user, signed in the same way, is shown its own customer, and the partner's list answers it 404.
        browser.Driver.Navigate().GoToUrl($"{address}/signin");
        var customerUser = browser.Driver.FindElement(By.XPath("//li[contains(., \"a customer's user\")]"));
        var customerName = customerUser.Text.Split(" — ")[0].Split(", ", 2)[1];
        customerUser.FindElement(By.TagName("button")).Click();
        wait.Until(d => d.FindElements(By.XPath("//h4[normalize-space(.)='Your subscriptions']")).Count > 0);
        browser.Driver.Navigate().GoToUrl($"{address}/signin");
        wait.Until(d => d.FindElements(By.XPath("//p[starts-with(normalize-space(.), 'Signed in as')]")).Count > 0);
        Assert.Empty(browser.Driver.FindElements(By.LinkText("customers")));
        browser.Driver.FindElement(By.LinkText("your organisation")).Click();
        var own = wait.Until(d => d.FindElements(By.TagName("pre")).FirstOrDefault()?.Text is { Length: > 0 } text ? text : null);
        browser.Screenshot("customer-user-own-customer");
        using (var ownCustomer = JsonDocument.Parse(own))
        {
            Assert.Equal(customerName, ownCustomer.RootElement.GetProperty("name").GetString());
        }

        browser.Driver.Navigate().GoToUrl($"{address}/api/customers");
        Assert.Contains("404", browser.Driver.PageSource, StringComparison.Ordinal);
    }
}

public sealed class SqliteSignInBrowserTests : SignInBrowserTests<SqliteDatabase>;

public sealed class PostgresSignInBrowserTests : SignInBrowserTests<PostgresDatabase>;
