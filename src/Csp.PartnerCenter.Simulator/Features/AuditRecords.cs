using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Csp.Domain;
using Csp.PartnerCenter.Simulator.Data;
using Csp.PartnerCenter.Simulator.Http;
using Csp.PartnerCenter.Simulator.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// <c>/v1/auditrecords</c>: the operations on the partner's account between two dates (by default the last 30 days,
/// never more than 90 days back), oldest first, in pages with a continuation token — and, for the other features, the
/// way to write one.
/// </summary>
public static class AuditRecords
{
    /// <summary>The application id Microsoft shows for the partner's own API calls, and for a user in the portal.</summary>
    public const string ThroughApi = "Partner Center API";

    public const string InPortal = "Partner Center portal";

    private const int MaxDaysBack = 90;

    public static void Map(IEndpointRouteBuilder v1) => v1.MapGet("/auditrecords", ListAsync);

    /// <summary>Records an operation on <paramref name="customer"/>; saved with the change it describes.</summary>
    public static void Add<T>(
        SimulatorDb db, SimCustomer customer, string resourceType, string operationType, DateTimeOffset at, T? oldValue, T? newValue, JsonTypeInfo<T> type,
        Guid? subscriptionId = null, string applicationId = ThroughApi) =>
        db.AuditRecords.Add(new SimAuditRecord
        {
            CustomerId = customer.Id,
            CustomerName = customer.CompanyName,
            SubscriptionId = subscriptionId,
            ResourceType = resourceType,
            OperationType = operationType,
            OperationDate = at,
            ApplicationId = applicationId,
            UserPrincipalName = applicationId == ThroughApi ? "app@partner.onmicrosoft.com" : "admin@partner.onmicrosoft.com",
            ResourceOldValue = oldValue is null ? null : JsonSerializer.Serialize(oldValue, type),
            ResourceNewValue = newValue is null ? null : JsonSerializer.Serialize(newValue, type),
            OriginalCorrelationId = applicationId == ThroughApi ? db.CorrelationId : null,
        });

    private static async Task<IResult> ListAsync(
        string? startDate, string? endDate, int? size, string? seekOperation, string? filter, HttpRequest request, SimulatorDb db, SimulatorClock clock, IOptions<SimulatorOptions> options,
        CancellationToken cancellationToken)
    {
        var today = BillingClock.MicrosoftDay(clock.GetUtcNow());
        if (!TryDate(startDate, today.AddDays(-30), out var from) || !TryDate(endDate, today, out var to))
        {
            return MicrosoftErrors.InvalidInput("startDate and endDate are dates, yyyy-MM-dd.");
        }

        if (from < today.AddDays(-MaxDaysBack))
        {
            return MicrosoftErrors.InvalidInput($"startDate can be at most {MaxDaysBack} days before today.");
        }

        if (!ContinuationToken.TrySkip(seekOperation, request, out var skip))
        {
            return MicrosoftErrors.InvalidInput("seekOperation=Next needs the MS-ContinuationToken of the previous page.");
        }

        var pageSize = Math.Clamp(size ?? 500, 1, 500);
        var start = BillingClock.StartOfDay(from);
        var end = BillingClock.StartOfDay(to.AddDays(1));
        var inRange = db.AuditRecords.Where(r => r.OperationDate >= start && r.OperationDate < end);
        if (filter is not null)
        {
            if (Filtered(inRange, filter) is not { } filtered)
            {
                return MicrosoftErrors.InvalidInput("filter is {\"Field\":\"CompanyName\",\"Value\":\"…\",\"Operator\":\"substring\"}, or CustomerId or ResourceType with the operator equals.");
            }

            inRange = filtered;
        }

        var total = await inRange.CountAsync(cancellationToken);
        var page = await inRange.OrderBy(r => r.Id).Skip(skip).Take(pageSize).ToListAsync(cancellationToken);
        var partner = options.Value.PartnerTenantId.ToString();
        var query = string.Create(CultureInfo.InvariantCulture, $"/auditrecords?startDate={from:yyyy-MM-dd}&endDate={to:yyyy-MM-dd}&size={pageSize}{(filter is null ? "" : $"&filter={Uri.EscapeDataString(filter)}")}");
        var next = skip + page.Count < total
            ? new LinkResource($"/v1{query}&seekOperation=Next", "GET", [new LinkHeaderResource("MS-ContinuationToken", ContinuationToken.Write(skip + pageSize))])
            : null;
        return TypedResults.Json(
            new AuditRecordPage(total, page.Select(r => View(r, partner)).ToList(), new AuditRecordPageLinks(LinkResource.Get(query), next), new AttributesResource(null, "Collection")),
            SimulatorJson.Default.AuditRecordPage);
    }

    /// <summary>
    /// The records the documented filter keeps: a substring of the customer's company name, a customer id, or a resource
    /// type, the value's case ignored; null when the filter is none of those.
    /// </summary>
    private static IQueryable<SimAuditRecord>? Filtered(IQueryable<SimAuditRecord> records, string text)
    {
        AuditRecordFilter? filter;
        try
        {
            filter = JsonSerializer.Deserialize(text, SimulatorJson.Default.AuditRecordFilter);
        }
        catch (JsonException)
        {
            return null;
        }

        var value = filter?.Value?.ToLowerInvariant();
        return (filter?.Field?.ToLowerInvariant(), filter?.Operator?.ToLowerInvariant(), value) switch
        {
            (_, _, null) => null,
            ("companyname", "substring", var part) => records.Where(r => r.CustomerName != null && EF.Functions.Like(r.CustomerName, $"%{Escaped(part)}%", "\\")),
            ("customerid", "equals", var id) => Guid.TryParse(id, out var customerId) ? records.Where(r => r.CustomerId == customerId) : records.Where(r => false),
            ("resourcetype", "equals", var type) => records.Where(r => r.ResourceType == type),
            _ => null,
        };
    }

    /// <summary>A value for LIKE that matches itself only: its wildcards escaped (SQLite's LIKE ignores the case of ASCII letters).</summary>
    private static string Escaped(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (string.IsNullOrEmpty(text))
        {
            date = fallback;
            return true;
        }

        // Microsoft documents yyyy-mm-dd, and its own sample sends "6/1/2017 12:00:00 AM".
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            date = BillingClock.MicrosoftDay(instant);
            return true;
        }

        date = default;
        return false;
    }

    private static AuditRecordResource View(SimAuditRecord r, string partnerId) => new(
        partnerId, r.CustomerId?.ToString(), r.CustomerName, r.UserPrincipalName, r.ApplicationId, r.ResourceType, r.ResourceOldValue, r.ResourceNewValue,
        r.OperationType, r.OperationDate, "succeeded",
        r.SubscriptionId is { } id ? [new AuditDetailResource("SubscriptionId", id.ToString())] : [],
        r.OriginalCorrelationId,
        new AttributesResource(null, "AuditRecord"));
}
