using System.Globalization;
using System.Text;
using Csp.Commerce.Reconciliations;
using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;
using Csp.PartnerCenter.Files;
using Csp.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Features.Reconciliations;

/// <summary>The shadow invoice's route: <see cref="GetShadowInvoice"/> written as Microsoft's reconciliation file (CSV).</summary>
public static class ShadowInvoiceEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/shadow-invoice", HandleAsync)
            .WithTags("Reconciliation")
            .WithSummary("Get the shadow invoice")
            .WithDescription("The charges the platform expects Microsoft to post in month=yyyy-MM, as Microsoft's invoice reconciliation file (CSV). Subscriptions whose history the charge engine refuses are left out and named in the X-Parked-Subscriptions header.");

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> HandleAsync(
        string? month, CommerceDb db, ChargeRules rules, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        var period = Query.Month(month, nameof(month));
        if (!period.IsSuccess)
        {
            return period.Error.ToProblem();
        }

        if (period.Value is not { } billingMonth)
        {
            return new Error(Query.InvalidParameter, "Query parameter 'month': a billing month yyyy-MM is required.", ErrorKind.Invalid, nameof(month)).ToProblem();
        }

        var shadow = await GetShadowInvoice.RunAsync(db, billingMonth, nameof(month), rules, time, cancellationToken);
        if (!shadow.IsSuccess)
        {
            return shadow.Error.ToProblem();
        }

        var expected = shadow.Value;
        response.Headers["X-Parked-Subscriptions"] = expected.Parked.Count.ToString(CultureInfo.InvariantCulture);
        var text = new StringWriter();
        InvoiceReconFile.Write(expected.Lines, text, forSpreadsheets: true);
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv", $"shadow-invoice-{billingMonth.Start:yyyy-MM}.csv");
    }
}
