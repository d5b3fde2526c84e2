using Csp.Commerce;
using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Domain.Charges;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Billing;

/// <summary>
/// Customer invoicing: billing runs (<see cref="RunBilling"/>), invoices (<see cref="ListInvoices"/>, <see cref="GetInvoice"/>,
/// <see cref="PreviewInvoice"/>, <see cref="IssueInvoice"/>, <see cref="MarkInvoicePaid"/>, <see cref="CreditInvoice"/>) and
/// the margin report (<see cref="GetMargins"/>).
/// </summary>
public static class BillingEndpoints
{
    /// <summary>A partner (the caller or one below it) and a billing month <c>yyyy-MM</c>.</summary>
    public sealed record BillingRunRequest(Guid PartnerId, string Month);

    public sealed record IssueRequest(int DueInDays);

    /// <summary>A one-off item for a customer's invoice of a billing month <c>yyyy-MM</c>, in the customer's invoice currency.</summary>
    public sealed record InvoiceItemRequest(string Month, string Description, int Quantity, decimal UnitPrice, decimal UnitCost);

    public sealed record PaymentRequest(DateOnly PaidOn);

    /// <summary>Every line of the invoice (<paramref name="AllLines"/>), or the lines named.</summary>
    public sealed record CreditRequest(bool AllLines, IReadOnlyList<Guid>? LineIds = null);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/billing-runs", RunAsync)
            .WithTags("Billing")
            .WithSummary("Run billing for a month")
            .WithDescription("Adds every charge of the partner's customers in the month not yet invoiced to each customer's draft invoice, at the customer's price. A second run adds nothing. Charges no rule can price are named in unpriced and left out. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapPost("/billing-runs/preview", PreviewRunAsync)
            .WithTags("Billing")
            .WithSummary("Preview a billing run")
            .WithDescription("What POST /api/billing-runs would add now, writing nothing.");
        api.MapPost("/billing-runs/rerate/preview", (BillingRunRequest request, CommerceDb db, ChargeRules rules, TimeProvider time, CancellationToken cancellationToken) =>
                RerateAsync(request, apply: false, db, rules, time, cancellationToken))
            .WithTags("Billing")
            .WithSummary("Preview a month's re-rating")
            .WithDescription("Every billed line still in force whose charge the rules (or tax rates, or prices) now price differently: old beside new, with the differences per currency. Writes nothing.");
        api.MapPost("/billing-runs/rerate", (BillingRunRequest request, CommerceDb db, ChargeRules rules, TimeProvider time, CancellationToken cancellationToken) =>
                RerateAsync(request, apply: true, db, rules, time, cancellationToken))
            .WithTags("Billing")
            .WithSummary("Apply a month's re-rating")
            .WithDescription("Reverses each line the preview lists (on a credit note for an issued invoice, on the draft for a draft) and bills its charge again at today's price; never edits a line. Applying again changes nothing. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapGet("/billing-runs", ListRunsAsync)
            .WithTags("Billing")
            .WithSummary("List the billing runs")
            .WithDescription("Billing runs, newest first; month=yyyy-MM filters.");
        api.MapGet("/invoices", ListAsync)
            .WithTags("Billing")
            .WithSummary("List invoices")
            .WithDescription("Invoices and credit notes, newest month first, paged. month=yyyy-MM, customerId, status=draft|issued|paid|overdue filter.");
        api.MapGet("/invoices/preview", PreviewAsync)
            .WithTags("Billing")
            .WithSummary("Preview a customer's invoice")
            .WithDescription("customerId and month=yyyy-MM: every charge of the month at the customer's price as the rules make it now, those already invoiced marked, each price explained. Writes nothing.");
        api.MapGet(
                "/invoices/{id:guid}",
                async (Guid id, CommerceDb db, PartnerScope scope, TimeProvider time, CancellationToken cancellationToken) => (await GetInvoice.RunAsync(db, id, scope.PartnerId!.Value, time, cancellationToken)).ToResult())
            .WithTags("Billing")
            .WithSummary("Get an invoice and its lines")
            .WithDescription("Each line with Microsoft's charge it comes from, the price's explanation, and the seller's cost and margin (a reseller sees its own cost, never Microsoft's).");
        api.MapPost(
                "/invoices/{id:guid}/issue",
                async (Guid id, IssueRequest request, CommerceDb db, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
                    (await IssueInvoice.RunAsync(db, id, request.DueInDays, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Billing")
            .WithSummary("Issue a draft invoice or credit note")
            .WithDescription("Gives the draft the issuing partner's next number (no gaps), today's date and a due date dueInDays on, and freezes it. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapPost(
                "/invoices/{id:guid}/pay",
                async (Guid id, PaymentRequest request, CommerceDb db, TimeProvider time, CancellationToken cancellationToken) =>
                    (await MarkInvoicePaid.RunAsync(db, id, request.PaidOn, time, cancellationToken)).ToResult())
            .WithTags("Billing")
            .WithSummary("Mark an invoice paid")
            .WithDescription("Records the day the customer paid an issued invoice. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapPost(
                "/invoices/{id:guid}/credit",
                async (Guid id, CreditRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, CancellationToken cancellationToken) =>
                    request.AllLines == request.LineIds is null
                        ? (await CreditInvoice.RunAsync(db, id, request.LineIds, scope.PartnerId!.Value, time, cancellationToken)).ToResult()
                        : Domain.Error.InvalidParameter("lineIds", "Either allLines is true, or allLines is false and lineIds names the lines to credit.").ToProblem())
            .WithTags("Billing")
            .WithSummary("Credit lines of an issued invoice")
            .WithDescription("A draft credit note reversing every line (allLines: true) or the lines named (allLines: false, lineIds), each referring to its line; a line is credited once. Issue it like an invoice. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapPost("/customers/{id:guid}/invoice-items", AddItemAsync)
            .WithTags("Billing")
            .WithSummary("Add a one-off item to a customer's invoice")
            .WithDescription("Adds quantity × unitPrice (negative for a discount) to the customer's draft invoice of the month, in its invoice currency and taxed as its invoices are, costing unitCost each in the margin report; makes the draft when there is none. Lines are never edited: credit a wrong item. Needs an Idempotency-Key.")
            .RequireIdempotencyKey()
            .RequireRole(AccessRole.Billing);
        api.MapGet("/margins", MarginsAsync)
            .WithTags("Billing")
            .WithSummary("Margin report")
            .WithDescription($"Revenue, cost, margin and margin % from the invoice lines of months from..to (yyyy-MM; to defaults to from; at most {GetMargins.MaxMonths} months), by=customer|reseller|product|month, per currency. Drafts count, so a month is seen before it is issued.");
    }

    private static async Task<Results<Ok<BillingRunView>, ProblemHttpResult>> RunAsync(
        BillingRunRequest request, CommerceDb db, ChargeRules rules, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var month = Query.RequiredMonth(request.Month, "month");
        return month.IsSuccess
            ? (await RunBilling.RunAsync(db, request.PartnerId, month.Value, rules, CurrentCaller.Actor(http), time, cancellationToken)).ToResult()
            : month.Error.ToProblem();
    }

    private static async Task<Results<Ok<AddedItemView>, ProblemHttpResult>> AddItemAsync(
        Guid id, InvoiceItemRequest request, CommerceDb db, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var month = Query.RequiredMonth(request.Month, "month");
        return month.IsSuccess
            ? (await AddInvoiceItem.RunAsync(db, id, month.Value, new InvoiceItem(request.Description, request.Quantity, request.UnitPrice, request.UnitCost), CurrentCaller.Actor(http), time, cancellationToken)).ToResult()
            : month.Error.ToProblem();
    }

    private static async Task<Results<Ok<RerateView>, ProblemHttpResult>> RerateAsync(
        BillingRunRequest request, bool apply, CommerceDb db, ChargeRules rules, TimeProvider time, CancellationToken cancellationToken)
    {
        var month = Query.RequiredMonth(request.Month, "month");
        if (!month.IsSuccess)
        {
            return month.Error.ToProblem();
        }

        return (apply
                ? await RerateMonth.ApplyAsync(db, request.PartnerId, month.Value, rules, time, cancellationToken)
                : await RerateMonth.PreviewAsync(db, request.PartnerId, month.Value, rules, cancellationToken))
            .ToResult();
    }

    private static async Task<Results<Ok<BillingRunView>, ProblemHttpResult>> PreviewRunAsync(BillingRunRequest request, CommerceDb db, ChargeRules rules, CancellationToken cancellationToken)
    {
        var month = Query.RequiredMonth(request.Month, "month");
        return month.IsSuccess
            ? (await RunBilling.PreviewAsync(db, request.PartnerId, month.Value, rules, cancellationToken)).ToResult()
            : month.Error.ToProblem();
    }

    private static async Task<Results<Ok<List<ListBillingRuns.BillingRunEntry>>, ProblemHttpResult>> ListRunsAsync(string? month, CommerceDb db, CancellationToken cancellationToken)
    {
        var period = Query.Month(month, nameof(month));
        return period.IsSuccess
            ? TypedResults.Ok(await ListBillingRuns.RunAsync(db, period.Value, cancellationToken))
            : period.Error.ToProblem();
    }

    private static async Task<Results<Ok<Paged<InvoiceView>>, ProblemHttpResult>> ListAsync(
        string? month, string? customerId, string? status, string? page, string? pageSize, CommerceDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var period = Query.Month(month, nameof(month));
        var customer = Query.Id(customerId, nameof(customerId));
        var state = Query.OneOf(status, nameof(status), "", ListInvoices.Statuses);
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 25, 1, 200);
        if ((period.Error ?? customer.Error ?? state.Error ?? number.Error ?? size.Error) is { } error)
        {
            return error.ToProblem();
        }

        var (wanted, overdueOnly) = ListInvoices.Filter(state.Value);
        return TypedResults.Ok(await ListInvoices.RunAsync(db, period.Value, customer.Value, wanted, overdueOnly, number.Value, size.Value, time, cancellationToken));
    }

    private static async Task<Results<Ok<InvoicePreview>, ProblemHttpResult>> PreviewAsync(string? customerId, string? month, CommerceDb db, ChargeRules rules, CancellationToken cancellationToken)
    {
        var customer = Query.Id(customerId, nameof(customerId));
        var period = Query.RequiredMonth(month, nameof(month));
        if ((customer.Error ?? period.Error) is { } error)
        {
            return error.ToProblem();
        }

        return customer.Value is { } id
            ? (await PreviewInvoice.RunAsync(db, id, period.Value, rules, cancellationToken)).ToResult()
            : Domain.Error.InvalidParameter(nameof(customerId), "Query parameter 'customerId': the customer whose invoice to preview is required.").ToProblem();
    }

    private static async Task<Results<Ok<List<MarginRow>>, ProblemHttpResult>> MarginsAsync(string? from, string? to, string? by, CommerceDb db, PartnerScope scope, CancellationToken cancellationToken)
    {
        var first = Query.RequiredMonth(from, nameof(from));
        var last = Query.Month(to, nameof(to));
        var grouping = Query.Name<MarginGrouping>(by, nameof(by));
        if ((first.Error ?? last.Error ?? grouping.Error) is { } error)
        {
            return error.ToProblem();
        }

        return (await GetMargins.RunAsync(db, scope.PartnerId!.Value, first.Value, last.Value ?? first.Value, grouping.Value ?? MarginGrouping.Customer, cancellationToken)).ToResult();
    }
}
