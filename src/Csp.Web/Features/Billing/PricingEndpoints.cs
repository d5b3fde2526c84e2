using Csp.Commerce.Pricing;
using Csp.Data;
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

    /// <summary>Whether the reverse-charge rule applies to a customer, and its VAT number (none when left out).</summary>
    public sealed record CustomerTaxRequest(bool ReverseCharge, string? TaxId = null);

    public static void Map(IEndpointRouteBuilder api)
    {
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
                "/customers/{id:guid}/tax",
                async (Guid id, CustomerTaxRequest request, CommerceDb db, CancellationToken cancellationToken) =>
                    (await SetCustomerTax.RunAsync(db, id, request.TaxId, request.ReverseCharge, cancellationToken)).ToResult())
            .WithTags("Pricing")
            .WithSummary("Set a customer's tax status")
            .WithDescription("The customer's VAT number (taxId, needed for reverse charge; left out for none) and whether the reverse-charge rule applies (its invoices then carry no tax). Applies to drafts made from then on.")
            .RequireRole(AccessRole.Billing);
    }

    private static async Task<Results<Ok<List<MarginRuleView>>, ProblemHttpResult>> ListRulesAsync(string? level, string? target, CommerceDb db, CancellationToken cancellationToken)
    {
        var wanted = Query.Name<MarginLevel>(level, nameof(level));
        return wanted.IsSuccess
            ? TypedResults.Ok(await ListMarginRules.RunAsync(db, wanted.Value, target, cancellationToken))
            : wanted.Error.ToProblem();
    }
}
