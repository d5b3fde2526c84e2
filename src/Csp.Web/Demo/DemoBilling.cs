using Csp.Commerce.Billing;
using Csp.Commerce.Pricing;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.Domain.Pricing;
using Csp.Domain.Terms;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Demo;

/// <summary>
/// The demo's customer billing, made once, right after the demo's data: margin rules at every level and with every method
/// (the distributor's for its resellers' cost, each reseller's for its customers' price), tax rates by country and one
/// reverse-charge customer, last month's invoices issued and this month's left as drafts (one with a one-off item) — all through the same use cases
/// as the API, as the demo distributor.
/// </summary>
public static class DemoBilling
{
    public const string Actor = "demo";

    public static async Task SeedAsync(IServiceProvider services, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var rules = scope.ServiceProvider.GetRequiredService<ChargeRules>();

        // Seeding looks across every partner, before any caller exists.
        var partners = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        if (partners.SingleOrDefault(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor) is not { } distributor)
        {
            return;
        }

        scope.ServiceProvider.GetRequiredService<PartnerScope>().Enter(distributor.Id, partners.Select(p => (p.Id, p.ParentPartnerId)));
        var resellers = partners.Where(p => p.ParentPartnerId == distributor.Id).ToDictionary(p => p.Country);
        var today = BillingClock.PartnerDay(time.GetUtcNow(), distributor.BillingTimeZone);
        var thisMonth = BillingPeriod.Month(today);
        var from = thisMonth.Start.AddMonths(-12);

        async Task Rule(Partner owner, MarginLevel level, string? target, MarginMethod method, decimal? percent = null, Money? fixedPrice = null, decimal? floor = null, bool ceiling = false, PromotionHandling promotions = PromotionHandling.PassOn)
        {
            var made = await CreateMarginRule.RunAsync(
                db, owner.Id, new NewMarginRule(level, method, ceiling, promotions, from, target, percent, fixedPrice?.Amount, fixedPrice?.Currency.Code, floor), Actor, time, cancellationToken);
            _ = made.IsSuccess ? made.Value : throw new InvalidOperationException($"The demo's {level} rule of {owner.Name}: {made.Error.Message}");
        }

        var (contoso, fabrikam, adatum) = (resellers["GB"], resellers["US"], resellers["DE"]);
        var contosoCustomer = await db.Customers.Where(c => c.PartnerId == contoso.Id).OrderBy(c => c.Name).FirstAsync(cancellationToken);
        var fixedSubscription = await db.Subscriptions
            .Where(s => s.PartnerId == contoso.Id && s.CustomerId != contosoCustomer.Id && s.Term == Term.P1Y && s.BillingPlan == BillingPlan.Monthly && s.PromotionId == null && !s.IsTrial)
            .OrderBy(s => s.StartDate).ThenBy(s => s.Id).FirstAsync(cancellationToken);

        // The distributor: 8 % on Microsoft's cost, 6 % for its largest reseller.
        await Rule(distributor, MarginLevel.Business, null, MarginMethod.Markup, 8m);
        await Rule(distributor, MarginLevel.Reseller, fabrikam.Id.ToString(), MarginMethod.Markup, 6m);

        // Each reseller its own way: markups, a list discount on a SKU, a customer's deal, a subscription at a fixed price.
        await Rule(contoso, MarginLevel.Business, null, MarginMethod.Markup, 20m, floor: 5m, ceiling: true);
        await Rule(contoso, MarginLevel.Customer, contosoCustomer.Id.ToString(), MarginMethod.Markup, 12m, floor: 5m);
        await Rule(contoso, MarginLevel.Sku, "CFQ7TTC0LDPB:0001", MarginMethod.ListDiscount, 5m, floor: 5m);
        await Rule(contoso, MarginLevel.Subscription, fixedSubscription.Id.ToString(), MarginMethod.FixedPrice, fixedPrice: new Money(fixedSubscription.UnitPrice * 1.25m, Currency.FromCode(fixedSubscription.Currency).Value).Round(Rounding.ListPrice));
        await Rule(fabrikam, MarginLevel.Business, null, MarginMethod.Markup, 22m, promotions: PromotionHandling.Keep);
        await Rule(adatum, MarginLevel.Business, null, MarginMethod.Markup, 18m);
        await Rule(adatum, MarginLevel.Product, "CFQ7TTC0MM8R", MarginMethod.Markup, 10m, promotions: PromotionHandling.Keep);

        foreach (var (owner, country, percent) in new[]
        {
            (contoso, "GB", 20m), (contoso, "IE", 23m), (contoso, "NL", 21m), (adatum, "DE", 19m), (adatum, "FR", 20m), (adatum, "DK", 25m), (adatum, "JP", 10m),
            (fabrikam, "CA", 5m), (fabrikam, "AU", 10m),
        })
        {
            _ = (await SetTaxRate.RunAsync(db, owner.Id, country, percent, from, Actor, time, cancellationToken)).Value;
        }

        var french = await db.Customers.Where(c => c.PartnerId == adatum.Id && c.Country == "FR").OrderBy(c => c.Name).FirstAsync(cancellationToken);
        _ = (await SetCustomerTax.RunAsync(db, french.Id, "FR40303265045", reverseCharge: true, cancellationToken)).Value;

        // Last month billed and issued; this month billed and left to review.
        var lastMonth = BillingPeriod.Month(thisMonth.Start.AddMonths(-1));
        foreach (var reseller in new[] { adatum, contoso, fabrikam })
        {
            _ = (await RunBilling.RunAsync(db, reseller.Id, lastMonth, rules, Actor, time, cancellationToken)).Value;
            var drafts = await db.Invoices.Where(i => i.PartnerId == reseller.Id && i.Month == lastMonth.Start && i.Status == InvoiceStatus.Draft).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken);
            foreach (var draft in drafts)
            {
                _ = (await IssueInvoice.RunAsync(db, draft, 30, Actor, time, cancellationToken)).Value;
            }

            _ = (await RunBilling.RunAsync(db, reseller.Id, thisMonth, rules, Actor, time, cancellationToken)).Value;
        }

        // A one-off item beside this month's charges: a service the reseller sells on its own account.
        _ = (await AddInvoiceItem.RunAsync(db, contosoCustomer.Id, thisMonth, new InvoiceItem("Microsoft 365 onboarding workshop (half day)", 1, 450m, 300m), Actor, time, cancellationToken)).Value;
    }
}
