using System.Text.Json;
using OpenQA.Selenium.Chrome;

namespace Csp.Web.Tests.Browser;

/// <summary>
/// Debian's Chromium, headless at 1280 × 900, driven through Debian's chromedriver by Selenium WebDriver (a browser that
/// downloads itself cannot run here). Screenshots go to <c>screenshots/&lt;test&gt;/</c> beside the test assembly; axe-core,
/// installed from npm by <c>./test.sh</c>, is loaded into the page to check it.
/// </summary>
public sealed class BrowserSession : IDisposable
{
    private readonly string screenshots;
    private int shot;

    public BrowserSession(string test)
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriverPath))
        {
            throw new InvalidOperationException(
                $"Chromium ({Chromium}) or its driver ({ChromeDriverPath}) is missing. Run ./test.sh, which installs Debian's chromium and chromium-driver, or set CSP_TEST_CHROMIUM and CSP_TEST_CHROMEDRIVER.");
        }

        var options = new ChromeOptions { BinaryLocation = Chromium };

        // No sandbox: the tests may run as root, where Chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-GB");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots", test);
        Directory.CreateDirectory(screenshots);
    }

    public static string Chromium => Environment.GetEnvironmentVariable("CSP_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    public static string ChromeDriverPath => Environment.GetEnvironmentVariable("CSP_TEST_CHROMEDRIVER") ?? "/usr/bin/chromedriver";

    /// <summary>axe-core's script, as <c>./test.sh</c> installs it from npm.</summary>
    public static string AxeScript => Environment.GetEnvironmentVariable("CSP_TEST_AXE") is { } path && File.Exists(path)
        ? path
        : throw new InvalidOperationException("axe-core is missing: run ./test.sh, which installs it from npm, or set CSP_TEST_AXE to its axe.min.js.");

    public ChromeDriver Driver { get; }

    /// <summary>Writes the page as it is now to <c>NN-<paramref name="step"/>.png</c>, and returns the file's path.</summary>
    public string Screenshot(string step)
    {
        var path = Path.Combine(screenshots, $"{++shot:00}-{step}.png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Photographs the page as step <paramref name="step"/>, and holds it to axe-core: no serious or critical violation.</summary>
    public void Check(string step)
    {
        Screenshot(step);
        var violations = SeriousAccessibilityViolations();
        Assert.True(violations.Count == 0, $"{step}: {string.Join(Environment.NewLine, violations)}");
    }

    /// <summary>The page's accessibility violations of serious or critical impact by axe-core, each as "rule: help (where)".</summary>
    public IReadOnlyList<string> SeriousAccessibilityViolations()
    {
        Driver.ExecuteScript(File.ReadAllText(AxeScript));
        var answer = Driver.ExecuteAsyncScript(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations)))
              .catch(e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }])));
            """) as string ?? throw new InvalidOperationException("axe-core answered nothing.");
        using var violations = JsonDocument.Parse(answer);
        return violations.RootElement.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} ({string.Join("; ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("target").ToString()))})")
            .ToList();
    }

    public void Dispose() => Driver.Quit();
}
