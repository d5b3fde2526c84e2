using Csp.Commerce;
using Csp.Commerce.Pricing;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Pricing;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Billing;

/// <summary>
/// What the partner charges: its margin rules (<see cref="CreateMarginRule"/>, <see cref="ListMarginRules"/>), its tax rates
/// (<see cref="SetTaxRate"/>, <see cref="ListTaxRates"/>) and its customers' tax status (<see cref="SetCustomerTax"/>).
/// </summary>
public static class PricingEndpoints
{
    /// <summary>A tax rate for customers in <paramref name="Country"/> (ISO 3166-1 alpha-2) from a day.</summary>
    public sealed record TaxRateRequest(string Country, decimal Percent, DateOnly EffectiveFrom);

    /// <summary>
    /// Exchange rates to add, all or none: one entered, or many imported (a month of a central bank's rates);
    /// <paramref name="Source"/> names where they came from (<c>entered</c> when left out).
    /// </summary>
    public sealed record ExchangeRatesRequest(IReadOnlyList<NewExchangeRate> Rates, string? Source = null);

    /// <summary>The currency a customer's invoices are in (ISO 4217); Microsoft's returns it to Microsoft's.</summary>
    public sealed record InvoiceCurrencyRequest(string Currency);

    /// <summary>Whether the reverse-charge rule applies to a customer, and its VAT number (none when left out).</summary>
    public sealed record CustomerTaxRequest(bool ReverseCharge, string? TaxId = null);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/price-lists", PricesAsync)
            .WithTags("Pricing")
            .WithSummary("Microsoft's price list in force")
            .WithDescription("Microsoft's licence prices in force on the first day of month=yyyy-MM (this month by default), per seat per charge cycle with the list price (ERP); market, currency and productId filter; paged.");
        api.MapGet("/price-lists/changes", ChangesAsync)
            .WithTags("Pricing")
            .WithSummary("Microsoft's price changes between two months")
            .WithDescription("Per SKU, market, currency, term and plan: new, removed, up or down from the first day of from=yyyy-MM to that of to=yyyy-MM, with the amount and per cent; market and currency filter; paged.");
        api.MapGet("/margin-rules", ListRulesAsync)
            .WithTags("Pricing")
            .WithSummary("List the margin rules")
            .WithDescription("Every version of the partner's margin rules and those of the partners below it. level=business|reseller|customer|product|sku|subscription and target filter.");
        api.MapPost(
                "/margin-rules",
                async (NewMarginRule request, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
                    (await CreateMarginRule.RunAsync(db, scope.PartnerId!.Value, request, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Pricing")
            .WithSummary("Add a margin rule version")
            .WithDescription("A new version of one of the partner's own margin rules: level and target (what it applies to), method markup|listDiscount|fixedPrice|inherit with percent or fixedMonthlyPrice and currency, floorPercent over cost, ceilingAtList, promotions passOn|keep, effectiveFrom. The most specific level wins: subscription, sku, product, customer, reseller, business. Nothing is edited; inherit ends a rule. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapGet(
                "/exchange-rates",
                async (string? from, string? to, CommerceDb db, CancellationToken cancellationToken) => (await ListExchangeRates.RunAsync(db, from, to, cancellationToken)).ToResult())
            .WithTags("Pricing")
            .WithSummary("List the exchange rates")
            .WithDescription("The partner's dated exchange rates and those of the partners below it, newest first per pair; from and to (ISO 4217) filter.");
        api.MapPost(
                "/exchange-rates",
                async (ExchangeRatesRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
                    (await AddExchangeRates.RunAsync(db, scope.PartnerId!.Value, request.Rates, request.Source, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Pricing")
            .WithSummary("Add exchange rates")
            .WithDescription("Dated rates, all or none (up to 2,000): from, to (ISO 4217), rate (1 from = rate to, up to 10 decimals), effectiveFrom. A charge of Microsoft's in another currency than the customer's is converted at the latest rate dated on or before its order date, and the line keeps the rate and its date. Never edited: the same pair and date twice is refused. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapGet("/tax-rates", async (CommerceDb db, CancellationToken cancellationToken) => TypedResults.Ok(await ListTaxRates.RunAsync(db, cancellationToken)))
            .WithTags("Pricing")
            .WithSummary("List the tax rates");
        api.MapPost(
                "/tax-rates",
                async (TaxRateRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
                    (await SetTaxRate.RunAsync(db, scope.PartnerId!.Value, request.Country, request.Percent, request.EffectiveFrom, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Pricing")
            .WithSummary("Add a tax rate")
            .WithDescription("The partner's tax rate in per cent for its customers in a country, from a day; a later rate replaces it. Rates are never edited. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapPost(
                "/customers/{id:guid}/invoice-currency",
                async (Guid id, InvoiceCurrencyRequest request, CommerceDb db, CancellationToken cancellationToken) =>
                    (await SetInvoiceCurrency.RunAsync(db, id, request.Currency, cancellationToken)).ToResult())
            .WithTags("Pricing")
            .WithSummary("Set the currency a customer is invoiced in")
            .WithDescription("Microsoft's currency (the customer's market's) unless another is set; charges are then converted at the partner's exchange rate in force on each charge's order date (POST /api/exchange-rates). Lines already billed keep their currency.")
            .RequireRole(AccessRole.Billing);
        api.MapPost(
                "/customers/{id:guid}/tax",
                async (Guid id, CustomerTaxRequest request, CommerceDb db, CancellationToken cancellationToken) =>
                    (await SetCustomerTax.RunAsync(db, id, request.TaxId, request.ReverseCharge, cancellationToken)).ToResult())
            .WithTags("Pricing")
            .WithSummary("Set a customer's tax status")
            .WithDescription("The customer's VAT number (taxId, needed for reverse charge; left out for none) and whether the reverse-charge rule applies (its invoices then carry no tax). Applies to drafts made from then on.")
            .RequireRole(AccessRole.Billing);
    }

    private static async Task<Results<Ok<Paged<PriceListRow>>, ProblemHttpResult>> PricesAsync(
        string? month, string? market, string? currency, string? productId, string? page, string? pageSize, CommerceDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var period = Query.Month(month, nameof(month));
        var (inMarket, inCurrency) = (Query.Code(market, nameof(market), 2), Query.Code(currency, nameof(currency), 3));
        var product = Query.ProductId(productId, nameof(productId));
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 100, 1, 1000);
        return (period.Error ?? inMarket.Error ?? inCurrency.Error ?? product.Error ?? number.Error ?? size.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(await PriceLists.InForceAsync(
                db, period.Value ?? BillingPeriod.Month(BillingClock.MicrosoftToday(time)), inMarket.Value, inCurrency.Value, product.Value, number.Value, size.Value, cancellationToken));
    }

    private static async Task<Results<Ok<Paged<PriceChange>>, ProblemHttpResult>> ChangesAsync(
        string? from, string? to, string? market, string? currency, string? page, string? pageSize, CommerceDb db, CancellationToken cancellationToken)
    {
        var first = Query.RequiredMonth(from, nameof(from));
        var last = Query.RequiredMonth(to, nameof(to));
        var (inMarket, inCurrency) = (Query.Code(market, nameof(market), 2), Query.Code(currency, nameof(currency), 3));
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 100, 1, 1000);
        return (first.Error ?? last.Error ?? inMarket.Error ?? inCurrency.Error ?? number.Error ?? size.Error) is { } error
            ? error.ToProblem()
            : (await PriceLists.ChangesAsync(db, first.Value, last.Value, inMarket.Value, inCurrency.Value, number.Value, size.Value, cancellationToken)).ToResult();
    }

    private static async Task<Results<Ok<List<MarginRuleView>>, ProblemHttpResult>> ListRulesAsync(string? level, string? target, CommerceDb db, CancellationToken cancellationToken)
    {
        var wanted = Query.Name<MarginLevel>(level, nameof(level));
        return wanted.IsSuccess
            ? TypedResults.Ok(await ListMarginRules.RunAsync(db, wanted.Value, target, cancellationToken))
            : wanted.Error.ToProblem();
    }
}
