using Csp.Commerce.Billing;
using Csp.Data;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Billing;

/// <summary>
/// What a partner sends and files: its branding (<see cref="GetBranding"/>, <see cref="SetBranding"/>), an invoice as PDF
/// (<see cref="InvoicePdf"/>) and its lines as CSV or XLSX (<see cref="InvoiceSheets"/>), and the accounting journal
/// (<see cref="ExportJournal"/>).
/// </summary>
public static class InvoiceExportEndpoints
{
    /// <summary>The name and address lines invoices print, a VAT number, a colour <c>#RRGGBB</c> and a PNG logo (base64); both optional.</summary>
    public sealed record BrandingRequest(string DisplayName, IReadOnlyList<string> AddressLines, string PrimaryColour, string? TaxId = null, byte[]? LogoPng = null, string? PortalHost = null);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/branding", async (CommerceDb db, PartnerScope scope, CancellationToken cancellationToken) => TypedResults.Ok(await GetBranding.RunAsync(db, scope.PartnerId!.Value, cancellationToken)))
            .WithTags("Billing")
            .WithSummary("The organisation's branding")
            .WithDescription("The name, address, VAT number, colour and whether there is a logo, as the organisation's invoices show them.");
        api.MapPost(
                "/branding",
                async (BrandingRequest request, CommerceDb db, PartnerScope scope, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
                    (await SetBranding.RunAsync(db, scope.PartnerId!.Value, request.DisplayName, request.AddressLines, request.TaxId, request.PrimaryColour, request.LogoPng, request.PortalHost, CurrentCaller.Actor(http), time, cancellationToken)).ToResult())
            .WithTags("Billing")
            .WithSummary("Set the organisation's branding")
            .WithDescription($"displayName, addressLines (at most {SetBranding.MaxAddressLines}), primaryColour #RRGGBB, taxId, logoPng (a PNG of at most {SetBranding.MaxLogoBytes / 1024} KiB, base64; left out for none) and portalHost, the host name of the white-label customer portal (left out for none). Setting the same again changes nothing.")
            .RequireRole(AccessRole.Admin);
        api.MapGet("/invoices/{id:guid}/pdf", async (Guid id, CommerceDb db, CancellationToken cancellationToken) => await FileAsync(db, id, "pdf", "application/pdf", InvoicePdf.Render, cancellationToken))
            .WithTags("Billing")
            .WithSummary("An invoice as PDF")
            .WithDescription("The invoice or credit note in the issuing partner's branding, every line with Microsoft's charge type and reference; a draft says so.");
        api.MapGet("/invoices/{id:guid}/lines.csv", async (Guid id, CommerceDb db, CancellationToken cancellationToken) => await FileAsync(db, id, "csv", "text/csv", InvoiceSheets.Csv, cancellationToken))
            .WithTags("Billing")
            .WithSummary("An invoice's lines as CSV");
        api.MapGet(
                "/invoices/{id:guid}/lines.xlsx",
                async (Guid id, CommerceDb db, CancellationToken cancellationToken) => await FileAsync(db, id, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", InvoiceSheets.Xlsx, cancellationToken))
            .WithTags("Billing")
            .WithSummary("An invoice's lines as XLSX");
        api.MapGet("/journal", JournalAsync)
            .WithTags("Billing")
            .WithSummary("The accounting journal")
            .WithDescription("Revenue, cost, tax and margin per month, customer, product and currency from issued invoices and credit notes (never drafts), months from..to (yyyy-MM; to defaults to from), format=csv|xlsx (csv by default).");
    }

    /// <summary>
    /// The customer portal's copy of an issued invoice, for the customer's own users: the page's admission (the sign-in,
    /// the customer, the reseller's host) holds it, and the database, scoped to the customer, finds only its invoices. A
    /// draft is the partner's until it is issued: to the customer it is not there.
    /// </summary>
    public static void MapCustomerPortal(IEndpointRouteBuilder app) =>
        app.MapGet(
                "/my/invoices/{id:guid}/pdf",
                async Task<IResult> (Guid id, CommerceDb db, CancellationToken cancellationToken) =>
                    await InvoiceDocument.LoadAsync(db, id, cancellationToken) is { IsSuccess: true } document && document.Value.Invoice.Status != InvoiceStatus.Draft
                        ? TypedResults.File(InvoicePdf.Render(document.Value), "application/pdf", document.Value.FileName("pdf"))
                        : new RazorComponentResult<Portal.NotFoundDocument> { StatusCode = StatusCodes.Status404NotFound })
            .WithMetadata(new Portal.CustomerPageAttribute())
            .ExcludeFromDescription();

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> FileAsync(
        CommerceDb db, Guid id, string extension, string contentType, Func<InvoiceDocument, byte[]> render, CancellationToken cancellationToken)
    {
        var document = await InvoiceDocument.LoadAsync(db, id, cancellationToken);
        return document.IsSuccess
            ? TypedResults.File(render(document.Value), contentType, document.Value.FileName(extension))
            : document.Error.ToProblem();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> JournalAsync(string? from, string? to, string? format, CommerceDb db, PartnerScope scope, CancellationToken cancellationToken)
    {
        var first = Query.RequiredMonth(from, nameof(from));
        var last = Query.Month(to, nameof(to));
        var kind = Query.OneOf(format, nameof(format), "csv", "csv", "xlsx");
        if ((first.Error ?? last.Error ?? kind.Error) is { } error)
        {
            return error.ToProblem();
        }

        var journal = await ExportJournal.RunAsync(db, scope.PartnerId!.Value, first.Value, last.Value ?? first.Value, cancellationToken);
        if (!journal.IsSuccess)
        {
            return journal.Error.ToProblem();
        }

        var name = $"journal-{first.Value.Start:yyyy-MM}-{(last.Value ?? first.Value).Start:yyyy-MM}";
        return kind.Value == "xlsx"
            ? TypedResults.File(ExportJournal.Xlsx(journal.Value), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx")
            : TypedResults.File(ExportJournal.Csv(journal.Value), "text/csv", name + ".csv");
    }
}
