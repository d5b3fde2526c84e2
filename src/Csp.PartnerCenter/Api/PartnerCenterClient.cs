using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
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
/// error — so Partner Center carries the operation out once however many times it is sent (partner-center.md §5.1).
/// Business refusals surface at once as <see cref="PartnerCenterException"/> with Microsoft's code.
/// </remarks>
public sealed class PartnerCenterClient(HttpClient http, TimeProvider time, IOptions<PartnerCenterOptions> options)
{
    private static readonly PartnerCenterJson Json = PartnerCenterJson.Default;

    public Task<Customer> GetCustomerAsync(string customerId, CancellationToken cancellationToken) =>
        GetAsync($"v1/customers/{customerId}", Json.Customer, cancellationToken);

    /// <summary>Every customer, page after page, following Microsoft's continuation tokens.</summary>
    public async IAsyncEnumerable<Customer> ListCustomersAsync(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, continuation is null ? $"v1/customers?size={pageSize}" : $"v1/customers?size={pageSize}&seekOperation=Next");
            if (continuation is not null)
            {
                request.Headers.Add("MS-ContinuationToken", continuation);
            }

            var page = await SendAsync(request, Json.ResourcePageCustomer, cancellationToken);
            foreach (var customer in page.Items)
            {
                yield return customer;
            }

            continuation = page.Links?.Next?.Headers?.FirstOrDefault(h => h.Key == "MS-ContinuationToken")?.Value;
        }
        while (continuation is not null);
    }

    public async Task<IReadOnlyList<Agreement>> ListAgreementsAsync(string customerId, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/customers/{customerId}/agreements", Json.ResourcePageAgreement, cancellationToken)).Items;

    public async Task<IReadOnlyList<Product>> ListProductsAsync(string country, string targetView, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/products?country={country}&targetView={targetView}", Json.ResourcePageProduct, cancellationToken)).Items;

    public async Task<IReadOnlyList<Sku>> ListSkusAsync(string productId, string country, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/products/{productId}/skus?country={country}", Json.ResourcePageSku, cancellationToken)).Items;

    public async Task<IReadOnlyList<Availability>> ListAvailabilitiesAsync(string productId, string skuId, string country, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/products/{productId}/skus/{skuId}/availabilities?country={country}", Json.ResourcePageAvailability, cancellationToken)).Items;

    public async Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string customerId, CancellationToken cancellationToken) =>
        (await GetAsync($"v1/customers/{customerId}/subscriptions", Json.ResourcePageSubscription, cancellationToken)).Items;

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

    /// <summary>Upgrades seats of a subscription: in full (it keeps its id), into a new subscription, or onto an existing one.</summary>
    public Task<Transition> TransitionAsync(string customerId, string subscriptionId, Transition transition, Guid requestId, CancellationToken cancellationToken) =>
        WriteAsync(HttpMethod.Post, $"v1/customers/{customerId}/subscriptions/{subscriptionId}/transitions", JsonContent.Create(transition, Json.Transition), null, requestId, Json.Transition, cancellationToken);

    private Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), type, cancellationToken);

    /// <summary>A read; when throttled, sent again after Microsoft's <c>Retry-After</c> on the client's clock.</summary>
    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using (request)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var response = await http.SendAsync(Copy(request), cancellationToken);
                if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= options.Value.MaxAttempts)
                {
                    return await ReadAsync(response, type, cancellationToken);
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

    /// <summary>One operation: sent until Partner Center answers it, always with the same <c>MS-RequestId</c>.</summary>
    private async Task<T> WriteAsync<T>(HttpMethod method, string path, HttpContent? body, string? etag, Guid requestId, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var settings = options.Value;
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
                    return await ReadAsync(response, type, cancellationToken);
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
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new PartnerCenterException(response.StatusCode, new ApiError("empty", "Partner Center answered without a body."));
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
