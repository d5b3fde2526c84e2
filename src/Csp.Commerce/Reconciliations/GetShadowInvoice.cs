using Csp.Data;
using Csp.Domain;
using Csp.Domain.Charges;

namespace Csp.Commerce.Reconciliations;

/// <summary>
/// The shadow invoice: what the platform expects Microsoft to post in a billing month, line for line as Microsoft's
/// invoice reconciliation file has them, with the subscriptions whose history the charge engine refused parked.
/// </summary>
public static class GetShadowInvoice
{
    /// <param name="monthParameter">The input that names the month, for a refusal.</param>
    public static async Task<Result<ExpectedMonth>> RunAsync(
        CommerceDb db, BillingPeriod month, string monthParameter, ChargeRules rules, TimeProvider time, CancellationToken cancellationToken) =>
        await ExpectedCharges.OutsideAsync(db, month, time, monthParameter, cancellationToken) is { } outside
            ? outside
            : await ExpectedCharges.ForMonthAsync(db, month, rules, cancellationToken);
}
