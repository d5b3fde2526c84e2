using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Csp.Domain.Reconciliation;
using Csp.PartnerCenter.Files;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Csp.PartnerCenter.Api;

/// <summary>
/// The platform's only way to Partner Center: typed calls over Microsoft's REST surface, the same against Microsoft and
/// against the simulator.
/// </summary>
/// <remarks>
/// Reads meeting transient failures are retried by the resilience pipeline (exponential backoff with jitter); a
/// throttled call, read or write, waits Microsoft's <c>Retry-After</c> on the client's <see cref="TimeProvider"/>.
/// Writes are never retried blindly: each write is one operation with one <c>MS-RequestId</c>, which the caller owns
/// and the client sends again unchanged when an attempt times out, loses its connection, is throttled or meets a server
/// error — so Partner Center carries the operation out once however many times it is sent (docs/microsoft/api-platform.md).
/// Business refusals surface at once as <see cref="PartnerCenterException"/> with Microsoft's code.
/// </remarks>
public sealed class PartnerCenterClient(HttpClient http, TimeProvider time, IOptionsMonitor<PartnerCenterOptions> options)
{
    private static readonly PartnerCenterJson Json = PartnerCenterJson.Default;

    public Task<Customer> GetCustomerAsync(string customerId, CancellationToken cancellationToken) =>
        GetAsync($"v1/customers/{customerId}", Json.Customer, cancellationToken);

    /// <summary>Every customer, page after page, following Microsoft's continuation tokens.</summary>
    public IAsyncEnumerable<Customer> ListCustomersAsync(int pageSize, CancellationToken cancellationToken) =>
        PagesAsync(string.Create(CultureInfo.InvariantCulture, $"v1/customers?size={pageSize}"), Json.ResourcePageCustomer, cancellationToken);

    /// <summary>
    /// The customer's acceptances of the Microsoft Customer Agreement (get-confirmation-of-customer-agreement): the type is
    /// named, since without it Microsoft answers the legacy Microsoft Cloud Agreements only.
    /// </summary>
    public async Task<IReadOnlyList<Agreement>> ListAgreementsAsync(string customerId, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/customers/{customerId}/agreements?agreementType={Agreement.MicrosoftCustomerAgreement}", Json.ResourcePageAgreement, cancellationToken)).Items;

    public async Task<IReadOnlyList<Product>> ListProductsAsync(string country, string targetView, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/products?country={country}&targetView={targetView}", Json.ResourcePageProduct, cancellationToken)).Items;

    public async Task<IReadOnlyList<Sku>> ListSkusAsync(string productId, string country, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/products/{productId}/skus?country={country}", Json.ResourcePageSku, cancellationToken)).Items;

    public async Task<IReadOnlyList<Availability>> ListAvailabilitiesAsync(string productId, string skuId, string country, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/products/{productId}/skus/{skuId}/availabilities?country={country}", Json.ResourcePageAvailability, cancellationToken)).Items;

    public async Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string customerId, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/customers/{customerId}/subscriptions", Json.ResourcePageSubscription, cancellationToken)).Items;

    /// <summary>
    /// The end dates a new subscription of <paramref name="termDuration"/> may have for the customer: the end of a calendar
    /// month, or the end date of one of its subscriptions (coterminosity).
    /// </summary>
    public async Task<IReadOnlyList<CustomTermEndDate>> ListCustomTermEndDatesAsync(string customerId, string termDuration, DateOnly? termStartDate, CancellationToken cancellationToken) =>
        (await GetAsync(
            string.Create(CultureInfo.InvariantCulture, $"v1/customers/{customerId}/subscriptions/customTermEndDates?term_duration={termDuration}{(termStartDate is { } start ? $"&term_start_date={start:yyyy-MM-dd}" : "")}"),
            Json.ResourcePageCustomTermEndDate,
            cancellationToken)).Items;

    /// <summary>
    /// A promotion by its id for the customer's <paramref name="country"/>, whatever its dates ("Get promotion by ID": made
    /// for reconciliation, to read a promotion's discount after it has ended).
    /// </summary>
    public Task<Promotion> GetPromotionAsync(string promotionId, string country, CancellationToken cancellationToken) =>
        GetAsync($"v1/productpromotions/{Uri.EscapeDataString(promotionId)}?country={Uri.EscapeDataString(country)}", Json.Promotion, cancellationToken);

    /// <summary>The promotions that can be bought now in <paramref name="country"/> for the <paramref name="segment"/> (<c>commercial</c>).</summary>
    public async Task<IReadOnlyList<Promotion>> ListPromotionsAsync(string country, string segment, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/productpromotions?country={Uri.EscapeDataString(country)}&segment={Uri.EscapeDataString(segment)}", Json.ResourcePagePromotion, cancellationToken)).Items;

    /// <summary>A subscription, with its current ETag in <c>attributes.etag</c> for the next PATCH.</summary>
    public Task<Subscription> GetSubscriptionAsync(string customerId, string subscriptionId, CancellationToken cancellationToken) =>
        GetAsync($"v1/customers/{customerId}/subscriptions/{subscriptionId}", Json.Subscription, cancellationToken);

    public async Task<IReadOnlyList<Order>> ListOrdersAsync(string customerId, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/customers/{customerId}/orders", Json.ResourcePageOrder, cancellationToken)).Items;

    public Task<Customer> CreateCustomerAsync(Customer customer, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Post, "v1/customers", JsonContent.Create(customer, Json.Customer), null, requestId, Json.Customer, cancellationToken);

    public Task<Agreement> AcceptAgreementAsync(string customerId, Agreement agreement, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Post, $"v1/customers/{customerId}/agreements", JsonContent.Create(agreement, Json.Agreement), null, requestId, Json.Agreement, cancellationToken);

    public Task<Cart> CreateCartAsync(string customerId, Cart cart, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Post, $"v1/customers/{customerId}/carts", JsonContent.Create(cart, Json.Cart), null, requestId, Json.Cart, cancellationToken);

    public Task<Cart> UpdateCartAsync(string customerId, Cart cart, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Put, $"v1/customers/{customerId}/carts/{cart.Id}", JsonContent.Create(cart, Json.Cart), null, requestId, Json.Cart, cancellationToken);

    public Task<CartCheckoutResult> CheckoutAsync(string customerId, string cartId, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Post, $"v1/customers/{customerId}/carts/{cartId}/checkout", null, null, requestId, Json.CartCheckoutResult, cancellationToken);

    /// <summary>Changes a subscription: the whole resource as it should be, sent with its <c>attributes.etag</c> as <c>If-Match</c>.</summary>
    public Task<Subscription> PatchSubscriptionAsync(string customerId, Subscription wanted, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Patch, $"v1/customers/{customerId}/subscriptions/{wanted.Id}", JsonContent.Create(wanted, Json.Subscription), wanted.Attributes.Etag, requestId, Json.Subscription, cancellationToken);

    /// <summary>The products a subscription can be upgraded to now (<c>eligibilityType=immediate</c>), eligible or not.</summary>
    public async Task<IReadOnlyList<TransitionEligibility>> ListTransitionEligibilitiesAsync(string customerId, string subscriptionId, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/customers/{customerId}/subscriptions/{subscriptionId}/transitionEligibilities?eligibilityType=immediate", Json.ResourcePageTransitionEligibility, cancellationToken)).Items;

    /// <summary>The subscription's transitions, each with the events Partner Center processed for it.</summary>
    public async Task<IReadOnlyList<Transition>> ListTransitionsAsync(string customerId, string subscriptionId, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/customers/{customerId}/subscriptions/{subscriptionId}/transitions", Json.TransitionHistory, cancellationToken)).All;

    /// <summary>Upgrades seats of a subscription: in full (it keeps its id), into a new subscription, or onto an existing one.</summary>
    public Task<Transition> TransitionAsync(string customerId, string subscriptionId, Transition transition, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Post, $"v1/customers/{customerId}/subscriptions/{subscriptionId}/transitions", JsonContent.Create(transition, Json.Transition), null, requestId, Json.Transition, cancellationToken);

    /// <summary>
    /// The operations on the partner's account from <paramref name="startDate"/> (at most 90 days back) to
    /// <paramref name="endDate"/> (today when null), oldest first, page after page.
    /// </summary>
    public IAsyncEnumerable<AuditRecord> ListAuditRecordsAsync(DateOnly startDate, DateOnly? endDate, CancellationToken cancellationToken) =>
        ListAuditRecordsAsync(startDate, endDate, null, cancellationToken);

    /// <summary>The partner's audit records from <paramref name="startDate"/>, only those <paramref name="filter"/> keeps (Microsoft's <c>filter</c>, encoded).</summary>
    public IAsyncEnumerable<AuditRecord> ListAuditRecordsAsync(DateOnly startDate, DateOnly? endDate, AuditRecordFilter? filter, CancellationToken cancellationToken) =>
        PagesAsync(
            string.Create(
                CultureInfo.InvariantCulture,
                $"v1/auditrecords?startDate={startDate:yyyy-MM-dd}{(endDate is { } end ? $"&endDate={end:yyyy-MM-dd}" : "")}&size=500{(filter is null ? "" : $"&filter={Uri.EscapeDataString(filter.ToJson())}")}"),
            Json.ResourcePageAuditRecord,
            cancellationToken);

    /// <summary>The partner's invoices: one per billing month and currency.</summary>
    public async Task<IReadOnlyList<Invoice>> ListInvoicesAsync(CancellationToken cancellationToken) =>
        (await GetAsync("v1/invoices", Json.ResourcePageInvoice, cancellationToken)).Items;

    /// <summary>
    /// An invoice's reconciliation line items through the v1 API, page after page
    /// (<c>provider=onetime&amp;invoicelineitemtype=billinglineitems</c>), read as lines of the reconciliation file: a
    /// value that is not what Microsoft's format says fails with the item's place and the attribute.
    /// </summary>
    public async IAsyncEnumerable<ReconLine> ListInvoiceLineItemsAsync(string invoiceId, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        long number = 1;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, continuation is null
                ? $"v1/invoices/{invoiceId}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size={pageSize}"
                : $"v1/invoices/{invoiceId}/lineitems/OneTime/BillingLineItems?size={pageSize}&seekOperation=Next");
            if (continuation is not null)
            {
                request.Headers.Add("MS-ContinuationToken", continuation);
            }

            using var page = await SendAsync(request, async response =>
            {
                await EnsureSuccessAsync(response, cancellationToken);
                return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            }, cancellationToken);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                yield return BillingExportFile.ReadReconLine(item, ++number, $"invoice {invoiceId} line items");
            }

            continuation = page.RootElement.TryGetProperty("links", out var links) && links.TryGetProperty("next", out var next)
                ? next.GetProperty("headers").EnumerateArray().Where(h => h.GetProperty("key").GetString() == "MS-ContinuationToken").Select(h => h.GetProperty("value").GetString()).FirstOrDefault()
                : null;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// Exports an invoice's reconciliation line items through the asynchronous billing API and reads them: the export is
    /// requested (one operation, one <paramref name="requestId"/>), its operation polled on the client's clock as
    /// <c>Retry-After</c> says, and the manifest's blobs read one after the other.
    /// </summary>
    public async IAsyncEnumerable<ReconLine> ExportInvoiceReconciliationAsync(string invoiceId, Guid requestId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var manifest = await ExportAsync("reconciliation/billed/export", new BillingExportRequest(invoiceId), requestId, cancellationToken);
        foreach (var blob in manifest.Blobs)
        {
            await using var content = await ReadBlobAsync(manifest, blob, cancellationToken);
            foreach (var line in BillingExportFile.ReadReconLines(content, blob.Name))
            {
                yield return line;
            }
        }
    }

    /// <summary>The daily rated usage an invoice billed (Azure plan), through the asynchronous billing API.</summary>
    public IAsyncEnumerable<DailyUsage> ExportBilledUsageAsync(string invoiceId, Guid requestId, CancellationToken cancellationToken) =>
        UsageAsync("usage/billed/export", new BillingExportRequest(invoiceId), requestId, cancellationToken);

    /// <summary>
    /// Daily rated usage not yet invoiced in <paramref name="currencyCode"/>: <paramref name="billingPeriod"/>
    /// <c>current</c> (this month so far) or <c>last</c>.
    /// </summary>
    public IAsyncEnumerable<DailyUsage> ExportUnbilledUsageAsync(string currencyCode, string billingPeriod, Guid requestId, CancellationToken cancellationToken) =>
        UsageAsync("usage/unbilled/export", new BillingExportRequest(null, CurrencyCode: currencyCode, BillingPeriod: billingPeriod), requestId, cancellationToken);

    private async IAsyncEnumerable<DailyUsage> UsageAsync(string dataset, BillingExportRequest export, Guid requestId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var manifest = await ExportAsync(dataset, export, requestId, cancellationToken);
        foreach (var blob in manifest.Blobs)
        {
            await using var content = await ReadBlobAsync(manifest, blob, cancellationToken);
            foreach (var usage in BillingExportFile.ReadUsage(content, blob.Name))
            {
                yield return usage;
            }
        }
    }

    /// <summary>
    /// The new-commerce license-based price list of <paramref name="market"/>: <paramref name="timeline"/> <c>current</c>,
    /// <c>future</c> (next month's; null when Microsoft expects no change) or <c>history</c> for <paramref name="month"/>.
    /// </summary>
    public Task<IReadOnlyList<PriceListEntry>?> GetPriceSheetAsync(string market, string timeline, DateOnly? month, CancellationToken cancellationToken)
    {
        var query = month is { } m ? string.Create(CultureInfo.InvariantCulture, $"&month={m:yyyyMM}") : "";
        var address = new Uri(options.CurrentValue.PartnerApiBaseAddress ?? http.BaseAddress!, $"v1.0/sales/pricesheets(Market='{market}',PricesheetView='updatedlicensebased')/$value?timeline={timeline}{query}");
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, address), async response =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound && timeline == "future")
            {
                return null;
            }

            await EnsureSuccessAsync(response, cancellationToken);
            using var text = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            return (IReadOnlyList<PriceListEntry>?)PriceListFile.Read(text, $"price sheet {market} {timeline}").ToList();
        }, cancellationToken);
    }

    /// <summary>Starts an export and waits for it to succeed: its manifest, or its failure as <see cref="PartnerCenterException"/>.</summary>
    private async Task<BillingManifest> ExportAsync(string dataset, BillingExportRequest export, Guid requestId, CancellationToken cancellationToken)
    {
        var location = await WriteAsync(
            HttpMethod.Post, Graph($"v1.0/reports/partners/billing/{dataset}"), JsonContent.Create(export, Json.BillingExportRequest), null, requestId,
            async response =>
            {
                await EnsureSuccessAsync(response, cancellationToken);
                return response.Headers.Location ?? throw new PartnerCenterException(response.StatusCode, new ApiError("no_location", "The export was accepted without the Location of its operation."));
            },
            cancellationToken);
        while (true)
        {
            var (operation, retryAfter) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, location), async response =>
                (await ReadAsync(response, Json.BillingOperation, cancellationToken), response.Headers.RetryAfter?.Delta), cancellationToken);
            switch (operation.Status)
            {
                case "succeeded" when operation.ResourceLocation is { } manifest:
                    return manifest;
                case "succeeded" when operation.ResourceLocationLink is { } link:
                    return await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(location, link)), response => ReadAsync(response, Json.BillingManifest, cancellationToken), cancellationToken);
                case "failed":
                    throw new PartnerCenterException(HttpStatusCode.OK, new ApiError(operation.Error?.Code ?? "export_failed", operation.Error?.Message ?? $"Billing export {operation.Id} failed."));
                default:
                    await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(10), time, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>One blob of an export: <c>rootDirectory/name?sasToken</c>, the whole file in memory (it is compressed).</summary>
    private Task<Stream> ReadBlobAsync(BillingManifest manifest, BillingBlob blob, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri($"{manifest.RootDirectory.TrimEnd('/')}/{blob.Name}?{manifest.SasToken}")), async response =>
        {
            await EnsureSuccessAsync(response, cancellationToken);
            var copy = new MemoryStream();
            await response.Content.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            return (Stream)copy;
        }, cancellationToken);

    /// <summary>An address on Microsoft Graph, where the asynchronous billing API lives.</summary>
    private Uri Graph(string path) => new(options.CurrentValue.GraphBaseAddress ?? http.BaseAddress!, path);

    /// <summary>Every item of a collection, page after page, following Microsoft's continuation tokens.</summary>
    private async IAsyncEnumerable<T> PagesAsync<T>(string firstPage, JsonTypeInfo<ResourcePage<T>> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, firstPage);
        while (true)
        {
            var page = await SendAsync(request, type, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.Links?.Next is not { } next || next.Headers?.FirstOrDefault(h => h.Key == "MS-ContinuationToken")?.Value is not { } continuation)
            {
                yield break;
            }

            request = new HttpRequestMessage(HttpMethod.Get, next.Uri.TrimStart('/').StartsWith("v1/", StringComparison.Ordinal) ? next.Uri.TrimStart('/') : "v1" + next.Uri);
            request.Headers.Add("MS-ContinuationToken", continuation);
        }
    }

    private Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), type, cancellationToken);

    private Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(request, response => ReadAsync(response, type, cancellationToken), cancellationToken);

    /// <summary>A read; when throttled, sent again after Microsoft's <c>Retry-After</c> on the client's clock.</summary>
    private async Task<T> SendAsync<T>(HttpRequestMessage request, Func<HttpResponseMessage, Task<T>> read, CancellationToken cancellationToken)
    {
        using (request)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var response = await http.SendAsync(Copy(request), cancellationToken);
                if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= options.CurrentValue.MaxAttempts)
                {
                    return await read(response);
                }

                await Task.Delay(Transient(response)!.Value, time, cancellationToken);
            }
        }
    }

    /// <summary>A GET again, with its headers: a request message can be sent only once.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        return copy;
    }

    private Task<T> WriteAsync<T>(HttpMethod method, string path, HttpContent? body, string? etag, Guid requestId, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        WriteAsync(method, new Uri(path, UriKind.Relative), body, etag, requestId, response => ReadAsync(response, type, cancellationToken), cancellationToken);

    /// <summary>One operation: sent until Partner Center answers it, always with the same <c>MS-RequestId</c>.</summary>
    private async Task<T> WriteAsync<T>(HttpMethod method, Uri path, HttpContent? body, string? etag, Guid requestId, Func<HttpResponseMessage, Task<T>> read, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var content = body is null ? null : await body.ReadAsByteArrayAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("MS-RequestId", requestId.ToString());
            if (etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", etag);
            }

            if (content is not null)
            {
                request.Content = new ByteArrayContent(content);
                request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
            }

            TimeSpan? wait;
            try
            {
                // An attempt that outlives PartnerCenterOptions.AttemptTimeout ends in the pipeline's TimeoutRejectedException.
                using var response = await http.SendAsync(request, cancellationToken);
                wait = Transient(response);
                if (wait is null || attempt >= settings.MaxAttempts)
                {
                    return await read(response);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && attempt < settings.MaxAttempts
                && e is HttpRequestException or IOException or OperationCanceledException or TimeoutRejectedException)
            {
                // The request may or may not have been carried out: only the same request id can tell Partner Center.
                wait = null;
            }

            await Task.Delay(wait ?? Backoff(attempt, settings.RetryDelay), time, cancellationToken);
        }
    }

    /// <summary>How long to wait before sending again when the answer says "not now", or null when it is the answer.</summary>
    private static TimeSpan? Transient(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.TooManyRequests => response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(60),
        HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Exponential backoff with full jitter: anything from 0 to 2^(attempt-1) steps, at most a minute.</summary>
    private static TimeSpan Backoff(int attempt, TimeSpan step) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(60_000, step.TotalMilliseconds * Math.Pow(2, attempt - 1)));

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new PartnerCenterException(response.StatusCode, new ApiError("empty", "Partner Center answered without a body."));
    }

    /// <summary>Nothing when Partner Center said yes; otherwise its refusal, with Microsoft's code, as <see cref="PartnerCenterException"/>.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ApiError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(Json.ApiError, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not Microsoft's error body (a proxy's page, a throttling message): described by its status below.
        }

        throw new PartnerCenterException(
            response.StatusCode,
            error is { Code.Length: > 0 } ? error : new ApiError(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), response.ReasonPhrase ?? "No description."));
    }
}
