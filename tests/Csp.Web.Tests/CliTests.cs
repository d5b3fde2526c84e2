using Csp.Cli;
using Csp.Domain.Subscriptions;
using Csp.PartnerCenter.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Subscription = Csp.Data.Subscription;

namespace Csp.Web.Tests;

/// <summary><c>csp subscriptions …</c> against a running host (in process) and its simulator; SQLite and PostgreSQL.</summary>
public abstract class CliTests<TDatabase> : SimulatorAppTests<TDatabase>
    where TDatabase : TestDatabase, new()
{

    [Fact]
    public async Task List_PrintsEverySubscriptionOfACustomer()
    {
        var s = await BoughtAsync();
        var count = await App.WithDbAsync(db => db.Subscriptions.CountAsync(x => x.CustomerId == s.Subscription.CustomerId, Cancel));

        var (code, output, _) = Csp("subscriptions", "list", "--customer", s.Subscription.CustomerId.ToString());

        Assert.Equal(0, code);
        Assert.Equal("Id,Name,Quantity,Status,Term,TermEndDate,EndOfTerm", output[0]);
        Assert.Equal(count, output.Length - 1);
        Assert.Contains(output, l => l.StartsWith(s.Subscription.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_PrintsTheWindowsAndTheEndOfTermPathsWithTheirCost()
    {
        var s = await BoughtAsync();

        var (code, output, _) = Csp("subscriptions", "show", s.Subscription.Id.ToString());

        Assert.Equal(0, code);
        Assert.StartsWith(s.Subscription.FriendlyName, output[0], StringComparison.Ordinal);
        Assert.Contains(output, l => l.StartsWith("  renew", StringComparison.Ordinal));
        Assert.Contains(output, l => l.StartsWith("  cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangeSeats_WithoutYes_OnlyPreviews_WithYesApplies_AndTheSameKeyDoesNothingTwice()
    {
        var s = await BoughtAsync();
        var id = s.Subscription.Id.ToString();
        var wanted = (s.Subscription.Quantity + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var previewed = Csp("subscriptions", "change-seats", id, "--quantity", wanted);
        var seatsAfterPreview = (await PartnerCenterAsync(s)).Quantity;
        var applied = Csp("subscriptions", "change-seats", id, "--quantity", wanted, "--yes", "--idempotency-key", "cli-test-key");
        var again = Csp("subscriptions", "change-seats", id, "--quantity", wanted, "--yes", "--idempotency-key", "cli-test-key");

        Assert.Equal(0, previewed.ExitCode);
        Assert.Contains(previewed.Output, l => l.Contains("addQuantity", StringComparison.Ordinal));
        Assert.Equal("Not applied: run again with --yes to apply it.", previewed.Output[^1]);
        Assert.Equal(s.Subscription.Quantity, seatsAfterPreview);
        Assert.Equal(0, applied.ExitCode);
        Assert.StartsWith("Done: Partner Center request", applied.Output[^1], StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key cli-test-key", applied.Error, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already done under this key", again.Output[^1], StringComparison.Ordinal);
        Assert.Equal(s.Subscription.Quantity + 2, (await PartnerCenterAsync(s)).Quantity);
    }

    [Fact]
    public async Task Cancel_AfterTheWindow_ExitsOneWithTheRuleAndTheInstant()
    {
        var s = await DemoSubscriptionAsync(x => x.TermStartedAt < CommerceApp.Now.AddDays(-30) && !x.IsTrial);

        var (code, output, error) = Csp("subscriptions", "cancel", s.Subscription.Id.ToString(), "--yes");

        Assert.Equal(1, code);
        Assert.Contains(output, l => l.Contains("allowed until", StringComparison.Ordinal));
        Assert.Contains("subscription.cancellation_window_closed", error, StringComparison.Ordinal);
        Assert.Equal("active", (await PartnerCenterAsync(s)).Status);
    }

    [Fact]
    public async Task SetEndOfTerm_CancelWithYes_SchedulesTheCancelInPartnerCenter()
    {
        var s = await DemoSubscriptionAsync(x => x.EndOfTerm == null && x.AutoRenewEnabled);

        var (code, _, _) = Csp("subscriptions", "set-end-of-term", s.Subscription.Id.ToString(), "--choice", "cancel", "--yes");

        Assert.Equal(0, code);
        Assert.Equal("Cancel", Assert.Single((await PartnerCenterAsync(s)).ScheduledActions!).ActionType);
    }

    [Fact]
    public async Task Preview_WithTwoChanges_IsAUsageError()
    {
        var s = await BoughtAsync();

        var (code, _, error) = Csp("subscriptions", "preview", s.Subscription.Id.ToString(), "--seats", "3", "--cancel");

        Assert.Equal(2, code);
        Assert.Contains("exactly one of --seats, --cancel, --end-of-term", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_OfAnUnknownSubscription_SaysTheHostAnswered404_NotThatItCannotBeReached()
    {
        var (code, _, error) = Csp("subscriptions", "show", Guid.NewGuid().ToString());

        Assert.Equal(1, code);
        Assert.StartsWith("csp: 404 subscription.not_found:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_WithADateTheHostRefuses_SaysTheHostAnswered400()
    {
        var (code, _, error) = Csp("subscriptions", "list", "--renewing-before", "0001-01-01");

        Assert.Equal(1, code);
        Assert.StartsWith("csp: 400 request.invalid_parameter:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ANameWithACommaAQuoteOrAFormula_IsQuotedAndNeutralisedAsCsvShould()
    {
        var s = await BoughtAsync();
        await App.WithDbAsync(db => db.Subscriptions.Where(x => x.Id == s.Subscription.Id).ExecuteUpdateAsync(x => x.SetProperty(y => y.FriendlyName, "=HYPERLINK(\"x\",\"y\"), E3"), Cancel));

        var (code, output, _) = Csp("subscriptions", "list", "--customer", s.Subscription.CustomerId.ToString());

        Assert.Equal(0, code);
        Assert.Contains(output, l => l.StartsWith($"{s.Subscription.Id},\"'=HYPERLINK(\"\"x\"\",\"\"y\"\"), E3\",", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangeSeats_ByOne_SaysThisSeat()
    {
        var s = await BoughtAsync();

        var (_, output, _) = Csp("subscriptions", "change-seats", s.Subscription.Id.ToString(), "--quantity", (s.Subscription.Quantity + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(output, l => l.Contains("After this change, this seat can no longer be reduced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Billing_PreviewThenRunTwice_AddsTheMonthOnce_AndInvoicesExportToFiles()
    {
        var reseller = await App.WithDbAsync(db => db.Partners.Where(p => p.Kind == global::Csp.Data.PartnerKind.Reseller).OrderBy(p => p.Name).Select(p => p.Id).FirstAsync(Cancel));
        var partner = reseller.ToString();

        var preview = Csp("billing", "preview", "--partner", partner, "--month", "2026-11");
        var run = Csp("billing", "run", "--partner", partner, "--month", "2026-11", "--idempotency-key", "cli-billing");
        var again = Csp("billing", "run", "--partner", partner, "--month", "2026-11");
        var invoice = await App.WithDbAsync(db => db.Invoices.Where(i => i.PartnerId == reseller).OrderBy(i => i.Id).FirstAsync(Cancel));
        var pdf = Path.Combine(Path.GetTempPath(), $"csp-{Guid.NewGuid():N}.pdf");
        var exported = Csp("invoices", "export", invoice.Id.ToString(), "--out", pdf);
        var badMonth = Csp("billing", "run", "--partner", partner, "--month", "November");

        Assert.Equal(0, preview.ExitCode);
        Assert.Matches(@"^2026-11: \d+ customers with charges; would add \d+ lines \(0 already billed\), \d+ new draft invoices\.$", preview.Output[0]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(preview.Output[0].Replace("would add", "added", StringComparison.Ordinal), run.Output[0]);
        Assert.Contains("Idempotency-Key cli-billing", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"^2026-11: \d+ customers with charges; added 0 lines \(\d+ already billed\), 0 new draft invoices\.$", again.Output[0]);
        Assert.Equal(0, exported.ExitCode);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(pdf, Cancel))[..4]));
        File.Delete(pdf);
        Assert.Equal(1, badMonth.ExitCode);
        Assert.Contains("request.invalid_parameter", badMonth.Error, StringComparison.Ordinal);
    }

    private (int ExitCode, string[] Output, string Error) Csp(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CspCommand.Run([.. args, "--api", "http://localhost/", "--api-key", App.CallerKey], output, error, App.Server.CreateHandler());
        return (code, output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'), error.ToString());
    }

    /// <summary>A subscription bought for the test through the platform: 5 seats, one year billed monthly, a minute old.</summary>
    private async Task<(Subscription Subscription, string Tenant)> BoughtAsync()
    {
        var s = await BuyThroughPlatformAsync(5);
        return (s, await TenantAsync(s.CustomerId));
    }

    /// <summary>A demo subscription in service with a past no test can buy today (a term begun a month ago, a renewal due), chosen by <paramref name="also"/>.</summary>
    private async Task<(Subscription Subscription, string Tenant)> DemoSubscriptionAsync(Func<Subscription, bool> also) =>
        await App.WithDbAsync(async db =>
        {
            var candidates = await db.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active && s.Term != null && !s.IsTrial).OrderBy(s => s.Id).ToListAsync(Cancel);
            var s = candidates.First(s => also(s) && s.TermEndDate > new DateOnly(2026, 12, 31));
            return (s, (await db.Customers.SingleAsync(c => c.Id == s.CustomerId, Cancel)).CustomerTenantId.ToString());
        });

    private Task<Csp.PartnerCenter.Api.Subscription> PartnerCenterAsync((Subscription Subscription, string Tenant) s) =>
        App.Services.GetRequiredService<PartnerCenterClient>().GetSubscriptionAsync(s.Tenant, s.Subscription.MicrosoftSubscriptionId.ToString(), Cancel);
}

public sealed class SqliteCliTests : CliTests<SqliteDatabase>;

public sealed class PostgresCliTests : CliTests<PostgresDatabase>;
