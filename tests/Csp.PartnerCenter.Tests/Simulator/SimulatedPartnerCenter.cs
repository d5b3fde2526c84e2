using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator;
using Csp.PartnerCenter.Simulator.Features;
using Csp.PartnerCenter.Simulator.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Csp.PartnerCenter.Tests.Simulator;

/// <summary>
/// The simulator on a real loopback port (Kestrel, real HTTP), with its own SQLite file and a host clock that starts at
/// <see cref="Start"/> and moves only through <c>/_sim/clock</c>; and the platform's client pointed at it.
/// </summary>
public sealed class SimulatedPartnerCenter : IAsyncDisposable
{
    private static readonly JsonSerializerOptions ByName = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private readonly WebApplicationFactory<SimulatorHost> factory;
    private readonly ServiceProvider clientServices;
    private readonly string database = Path.Combine(Path.GetTempPath(), $"csp-simulator-{Guid.NewGuid():N}.db");

    public SimulatedPartnerCenter(
        DateTimeOffset? start = null, TimeProvider? clientTime = null, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? attemptTimeout = null,
        Func<Uri, IReadOnlyDictionary<string, string?>>? clientSettings = null, RefreshTokenStore? refreshTokens = null)
    {
        Start = start ?? DefaultStart;
        var host = new FakeTimeProvider(Start);
        factory = new WebApplicationFactory<SimulatorHost>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Simulator:ConnectionString", $"Data Source={database}");
            web.UseSetting("urls", "http://127.0.0.1:0");
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(host));
        });
        factory.UseKestrel();
        factory.StartServer();
        Address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Control = new HttpClient { BaseAddress = Address };

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BaseAddress"] = Address.ToString(),
            ["Token"] = "csp-simulator-development-token",
            ["RetryDelay"] = "00:00:00.001",
            ["MaxAttempts"] = "12",
            ["AttemptTimeout"] = (attemptTimeout ?? TimeSpan.FromSeconds(30)).ToString(),
        }).AddInMemoryCollection(clientSettings?.Invoke(Address) ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton(clientTime ?? TimeProvider.System);

        // Outermost: sees each answer as the client gets it, after the resilience pipeline.
        services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new Answers(this)));
        if (refreshTokens is not null)
        {
            services.AddSingleton(refreshTokens);
        }

        services.AddPartnerCenterClient(configuration);
        clientServices = services.BuildServiceProvider();
        Client = clientServices.GetRequiredService<PartnerCenterClient>();
    }

    public DateTimeOffset Start { get; }

    /// <summary>A request as a partner's application sends it (the development token), outside the platform's client; <paramref name="ifMatch"/> as <c>If-Match</c>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string uri, HttpContent? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = body };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer csp-simulator-development-token");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Control.SendAsync(request, Cancel);
    }

    /// <summary>The JSON a GET answers, which must be 200 OK.</summary>
    public async Task<JsonElement> GetJsonAsync(string uri)
    {
        using var answer = await SendAsync(HttpMethod.Get, uri);
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        return await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    /// <summary>The simulator host's services.</summary>
    public IServiceProvider Services => factory.Services;

    public Uri Address { get; }

    /// <summary>The platform's client, as the platform builds it.</summary>
    public PartnerCenterClient Client { get; }

    /// <summary>A plain client for the simulator's <c>/_sim</c> endpoints and for raw calls.</summary>
    public HttpClient Control { get; }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private int answered;

    /// <summary>How many answers the client has had back from the simulator so far.</summary>
    public int Answered => Volatile.Read(ref answered);

    public async Task AdvanceAsync(TimeSpan by) =>
        (await Control.PostAsJsonAsync("/_sim/clock", new { by }, Cancel)).EnsureSuccessStatusCode();

    /// <summary>
    /// Waits for <paramref name="work"/> (an export, polled by the client) while moving the simulator's clock a minute at
    /// a time, so that what runs on the simulator's clock finishes whenever the request reached it.
    /// </summary>
    public async Task<T> WhileTheClockMovesAsync<T>(Task<T> work)
    {
        for (var i = 0; i < 600 && !work.IsCompleted; i++)
        {
            await AdvanceAsync(TimeSpan.FromMinutes(1));
            await Task.WhenAny(work, Task.Delay(100, Cancel));
        }

        return await work;
    }

    /// <summary>Sends <paramref name="fault"/> to <c>/_sim/faults</c>, its kind by name as the control routes read it.</summary>
    public async Task InjectAsync(Fault fault) =>
        (await Control.PostAsJsonAsync("/_sim/faults", fault, ByName, Cancel)).EnsureSuccessStatusCode();

    public async Task<IReadOnlyList<ReceivedRequest>> ReceivedAsync() =>
        (await Control.GetFromJsonAsync<List<ReceivedRequest>>("/_sim/requests", Cancel))!;

    /// <summary>A customer in <paramref name="country"/> who accepted the Microsoft Customer Agreement.</summary>
    public async Task<Customer> CustomerAsync(string country = "DE", string? domain = null)
    {
        var customer = await Client.CreateCustomerAsync(
            new Customer(null, new CompanyProfile("Contoso", domain ?? $"contoso-{Guid.NewGuid():N}.onmicrosoft.com"), new BillingProfile("de-DE", "de", null, "it@contoso.example", new Address(country), "Contoso GmbH")),
            Guid.NewGuid(), Cancel);
        await Client.AcceptAgreementAsync(customer.Id!, new Agreement("MicrosoftCustomerAgreement", Start, "117a1f1c-ec0c-4f85-9fb8-8f2e5a8a2d4e", new AgreementContact("Ada", "Lovelace", "ada@contoso.example")), Guid.NewGuid(), Cancel);
        return customer;
    }

    /// <summary>Orders one line and returns the subscription, once provisioned (the clock moved past provisioning).</summary>
    public async Task<Subscription> SubscribeAsync(Customer customer, string catalogItemId = "CFQ7TTC0LH18:0001:CFQ7TTC0K971", int quantity = 10, string term = "P1Y", string billing = "Monthly")
    {
        var cart = await Client.CreateCartAsync(customer.Id!, new Cart(null, [new CartLineItem(0, catalogItemId, quantity, term, billing)], PartnerOnRecordAttestationAccepted: true), Guid.NewGuid(), Cancel);
        var result = await Client.CheckoutAsync(customer.Id!, cart.Id!, Guid.NewGuid(), Cancel);
        Assert.Empty(result.OrderErrors);
        await AdvanceAsync(TimeSpan.FromMinutes(1));
        return await Client.GetSubscriptionAsync(customer.Id!, Assert.Single(Assert.Single(result.Orders).LineItems).SubscriptionId!, Cancel);
    }

    private sealed class Answers(SimulatedPartnerCenter pc) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref pc.answered);
            return response;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await clientServices.DisposeAsync();
        await factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
