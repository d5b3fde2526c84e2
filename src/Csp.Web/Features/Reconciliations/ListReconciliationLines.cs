using System.Globalization;
using System.Text;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Features.Reconciliations;

/// <summary>A reconciliation's differences, paged and filtered by kind, or all of them as CSV.</summary>
public static class ListReconciliationLines
{
    private static readonly string[] Kinds = Enum.GetValues<DiscrepancyKind>().Select(k => k.ToName()).ToArray();

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/reconciliations/{id:guid}/lines", HandleAsync)
            .WithTags("Reconciliation")
            .WithSummary("List a reconciliation's differences")
            .WithDescription("kind=missing|unexpected|quantity|unitPrice|dates|promotion|rounding|currency filters; paged.");
        api.MapGet("/reconciliations/{id:guid}/lines.csv", ExportAsync)
            .WithTags("Reconciliation")
            .WithSummary("Export a reconciliation's differences as CSV");
    }

    public static async Task<Results<Ok<Paged<DifferenceView>>, ProblemHttpResult>> HandleAsync(
        Guid id, string? kind, string? page, string? pageSize, CommerceDb db, CancellationToken cancellationToken)
    {
        var number = Query.WholeNumber(page, nameof(page), 1, 1, Query.MaxPage);
        var size = Query.WholeNumber(pageSize, nameof(pageSize), 100, 1, 1000);
        var filter = Filter(kind);
        if ((number.Error ?? size.Error ?? filter.Error) is { } error)
        {
            return error.ToProblem();
        }

        if (!await db.Reconciliations.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return ErrorResults.NotFound("reconciliation", id);
        }

        var query = Differences(db, id, filter.Value);
        var total = await query.CountAsync(cancellationToken);
        var items = await ReconciliationViews.Differences(query.Skip((number.Value - 1) * size.Value).Take(size.Value)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<DifferenceView>(items, number.Value, size.Value, total));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(Guid id, string? kind, CommerceDb db, CancellationToken cancellationToken)
    {
        var filter = Filter(kind);
        if (!filter.IsSuccess)
        {
            return filter.Error.ToProblem();
        }

        if (!await db.Reconciliations.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return ErrorResults.NotFound("reconciliation", id);
        }

        var csv = new StringBuilder("Kind,FileLine,SubscriptionId,ChargeType,ChargeStartDate,ChargeEndDate,ExpectedQuantity,BilledQuantity,ExpectedSubtotal,BilledSubtotal,Currency,Detail\n");
        await foreach (var d in ReconciliationViews.Differences(Differences(db, id, filter.Value)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            csv.AppendLine(string.Join(',', new object?[]
            {
                d.Kind.ToName(), d.FileLine, d.SubscriptionId, d.ChargeType, d.ChargeStartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                d.ChargeEndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.ExpectedQuantity, d.BilledQuantity, d.ExpectedSubtotal, d.BilledSubtotal, d.Currency, d.Detail,
            }.Select(v => CsvField.ForSpreadsheet(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""))));
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"reconciliation-{id}.csv");
    }

    private static IQueryable<ReconciliationDifference> Differences(CommerceDb db, Guid id, DiscrepancyKind? kind) =>
        db.ReconciliationDifferences.Where(d => d.ReconciliationId == id && (kind == null || d.Kind == kind)).OrderBy(d => d.Id);

    private static Csp.Domain.Result<DiscrepancyKind?> Filter(string? kind)
    {
        var name = Query.OneOf(kind, nameof(kind), "", Kinds);
        return !name.IsSuccess ? name.Error : name.Value.Length == 0 ? (DiscrepancyKind?)null : Enum.Parse<DiscrepancyKind>(name.Value, ignoreCase: true);
    }
}
