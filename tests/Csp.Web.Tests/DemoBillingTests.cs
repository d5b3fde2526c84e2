using Csp.Data;
using Csp.Domain.Charges;
using Csp.Domain.Pricing;
using Csp.PartnerCenter.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Csp.Web.Tests;

/// <summary>
/// The demo's billing as a newcomer finds it (DemoBilling, on a database seeded from empty): margin rules at every level,
/// last month's invoices issued and numbered, this month's drafts, nothing unpriced, and every line one of the charges the
/// shadow invoice expects from Microsoft. On SQLite and PostgreSQL.
/// </summary>
public abstract class DemoBillingTests<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    private readonly TDatabase database = new();

    private readonly string directory = Directory.CreateTempSubdirectory("csp-demo-billing-").FullName;

    private CommerceApp app = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        app = await CommerceApp.WithSimulatorAsync(database, new FakeTimeProvider(CommerceApp.Now), dataDirectory: directory);

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
        DataFolder.Delete(directory);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Demo_HasRulesAtEveryLevel_LastMonthIssued_ThisMonthDrafts_EveryLineAMicrosoftCharge()
    {
        var (rules, invoices, lines, runs) = await app.WithDbAsync(async db => (
            await db.MarginRules.ToListAsync(Cancel),
            await db.Invoices.ToListAsync(Cancel),
            await db.InvoiceLines.ToListAsync(Cancel),
            await db.BillingRuns.ToListAsync(Cancel)));

        Assert.Equal(Enum.GetValues<MarginLevel>().Order(), rules.Select(r => r.Level).Distinct().Order());
        Assert.Equal([MarginMethod.Markup, MarginMethod.ListDiscount, MarginMethod.FixedPrice], rules.Select(r => r.Method).Distinct().Order());
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r => Assert.Equal((0, 0), (r.Unpriced, r.Parked)));
        var october = invoices.Where(i => i.Month == new DateOnly(2026, 10, 1)).ToList();
        var november = invoices.Where(i => i.Month == new DateOnly(2026, 11, 1)).ToList();
        Assert.NotEmpty(october);
        Assert.NotEmpty(november);
        Assert.Equal(invoices.Count, october.Count + november.Count);
        Assert.All(october, i => Assert.Equal(InvoiceStatus.Issued, i.Status));
        Assert.All(november, i => Assert.Equal(InvoiceStatus.Draft, i.Status));
        foreach (var issued in october.GroupBy(i => i.PartnerId))
        {
            Assert.Equal(Enumerable.Range(1, issued.Count()).Select(n => (long?)n), issued.Select(i => i.SequenceNumber).Order());
        }

        Assert.Contains(invoices, i => i.ReverseCharge && i.Tax == 0m);
        Assert.Contains(invoices, i => i.TaxPercent == 20m && i.Tax > 0m);
        Assert.Contains(lines, l => l.DistributorExplanation!.StartsWith("Reseller rule", StringComparison.Ordinal));
        foreach (var level in new[] { "Business rule", "Customer rule", "Sku rule", "Subscription rule", "Product rule" })
        {
            Assert.Contains(lines, l => l.Explanation.StartsWith(level, StringComparison.Ordinal));
        }

        // Every licence line is a charge of Microsoft's; beside them, this month, the demo's one-off item.
        var item = Assert.Single(lines, l => l.Kind == InvoiceLineKind.Item);
        Assert.Equal((new DateOnly(2026, 11, 1), 450m, 300m), (item.Month, item.Amount, item.Cost));
        foreach (var month in new[] { "2026-10", "2026-11" })
        {
            var shadow = InvoiceReconFile.Read(new StringReader(await app.CreateClient().GetStringAsync($"/api/shadow-invoice?month={month}", Cancel)), "shadow.csv").ToList();
            Assert.Equal(
                shadow.Select(l => (l.SubscriptionId, l.ChargeType, l.ChargeStartDate, l.Subtotal)).Order(),
                lines.Where(l => $"{l.Month:yyyy-MM}" == month && l.Kind == InvoiceLineKind.Licence).Select(l => (l.MicrosoftSubscriptionId, l.ChargeType.ToMicrosoft(), l.ChargeStartDate, l.MicrosoftSubtotal)).Order());
        }
    }
}

public sealed class SqliteDemoBillingTests : DemoBillingTests<SqliteDatabase>;

public sealed class PostgresDemoBillingTests : DemoBillingTests<PostgresDatabase>;
