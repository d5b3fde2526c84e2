using Csp.Data;
using Csp.PartnerCenter.Api;
using Csp.PartnerCenter.Simulator;
using Csp.Web;
using Csp.Web.Data;
using Csp.Web.Demo;
using Csp.Web.Features.Access;
using Csp.Web.Features.Billing;
using Csp.Web.Features.Customers;
using Csp.Web.Features.Lifecycle;
using Csp.Web.Features.Reconciliations;
using Csp.Web.Features.Renewals;
using Csp.Web.Features.Requests;
using Csp.Web.Features.Subscriptions;
using Csp.Web.Features.Sync;
using Csp.Web.Features.Usage;
using Csp.Web.Http;
using Csp.Web.Jobs;
using Csp.Web.Portal;
using Csp.Web.SignIn;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddCommerceDb();
builder.Services.AddNceSettings();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ErrorResults.Describe);
builder.Services.AddOptions<RequestLimits>().BindConfiguration(RequestLimits.Section).ValidateDataAnnotations().ValidateOnStart();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = builder.Configuration.Settings<RequestLimits>(RequestLimits.Section).MaxUploadBytes;
    kestrel.Limits.MaxRequestLineSize = RequestLimits.KestrelLineBytes;
    kestrel.Limits.MaxRequestHeadersTotalSize = RequestLimits.KestrelHeaderBytes;
});

// Each socket read goes straight into a buffer rather than first waiting for data with an empty one: a connection waiting
// for its next request holds 4 KiB more, and an upload of Microsoft's gigabyte files costs half the system calls.
builder.WebHost.UseSockets(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);

// A body that cannot be read reaches the exception handler, which answers 400 naming where the JSON went wrong.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler(options =>
{
    options.StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    // A client's unreadable request is its error, answered with a 400, not the host's: no error log for it.
    options.SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException;
});
builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
{
    document.Info.Title = "CSP Commerce API";
    document.Info.Description = "Customers and subscriptions of a Microsoft CSP partner, with what the New Commerce rules say about each.";
    return Task.CompletedTask;
}));
builder.Services.AddHealthChecks().AddDbContextCheck<CommerceDb>(tags: ["ready"]);
// Demo mode (DemoOptions): the platform's Partner Center is the simulator started below, in this process — unless a
// Partner Center is configured, which always wins.
builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateOnStart();
var demo = builder.Configuration.Settings<DemoOptions>(DemoOptions.Section);
var partnerCenter = builder.Configuration.GetSection(PartnerCenterOptions.Section);
var demoSimulator = demo.Simulator && string.IsNullOrEmpty(partnerCenter[nameof(PartnerCenterOptions.BaseAddress)]);
if (demoSimulator)
{
    partnerCenter[nameof(PartnerCenterOptions.BaseAddress)] = demo.SimulatorUrl;
    partnerCenter[nameof(PartnerCenterOptions.Token)] ??= new SimulatorOptions().DevelopmentToken;
}

builder.Services.AddSingleton<RefreshTokenStore, ProtectedRefreshTokens>();
// A connection set on the settings page wins over the configuration, and reaches the client while the host runs.
builder.Services.AddSingleton<PartnerCenterConnection>();
builder.Services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<PartnerCenterOptions>>(services => services.GetRequiredService<PartnerCenterConnection>());
builder.Services.AddSingleton<Microsoft.Extensions.Options.IOptionsChangeTokenSource<PartnerCenterOptions>>(services => services.GetRequiredService<PartnerCenterConnection>());
builder.Services.AddHostedService(services => services.GetRequiredService<PartnerCenterConnection>());
builder.Services.AddPartnerCenterClient(partnerCenter);
builder.Services.AddSingleton<SyncRunner>();
builder.Services.AddHostedService(services => services.GetRequiredService<SyncRunner>());
// What a page or a job hands a lifecycle use case, as the API's handlers receive it with [AsParameters].
builder.Services.AddScoped<Csp.Commerce.Lifecycle.LifecycleServices>();
builder.Services.AddJobs(builder.Configuration, builder.Environment);
builder.Services.ConfigureHttpJsonOptions(json => StrictJson.Configure(json.SerializerOptions));
builder.Services.AddCallerLimits();
builder.Services.AddSignInCookie();
builder.Services.AddEntraTokens();
builder.Services.AddPortal();
builder.Services.AddEntraSignIn(builder.Configuration.Settings<EntraOptions>(EntraOptions.Section));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestLimits();
app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseAuthentication();
app.UseCallers();
app.UseRateLimiter();
app.UseIdempotencyKeys();
app.UseAntiforgery();

app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
app.MapOpenApi();
app.MapScalarApiReference("/api/docs", options => options.WithTitle("CSP Commerce API"));
ErrorPages.Map(app);
SignInPage.Map(app, demo: SignInPage.DemoOffered(demo, app.Environment), entra: app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EntraOptions>>().Value.BrowserSignIn);

var api = app.MapGroup("/api").RequireCaller();
CustomerEndpoints.Map(api);
SubscriptionEndpoints.Map(api);
ShadowInvoiceEndpoint.Map(api);
ReconciliationEndpoints.Map(api);
UsageEndpoints.Map(api);
SyncEndpoints.Map(api);
LifecycleEndpoints.Map(api);
RenewalEndpoints.Map(api);
AlertEndpoints.Map(api);
RequestEndpoints.Map(api);
ApiKeyEndpoints.Map(api);
UserEndpoints.Map(api);
PricingEndpoints.Map(api);
BillingEndpoints.Map(api);
InvoiceExportEndpoints.Map(api);
InvoiceExportEndpoints.MapCustomerPortal(app);
Portal.Map(app);

await Database.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<PartnerCenterConnection>().LoadAsync(app.Lifetime.ApplicationStopping);
await PlatformSetup.RunAsync(app, app.Lifetime.ApplicationStopping);
if (demo.Seed)
{
    await using var scope = app.Services.CreateAsyncScope();
    var seeded = await DemoData.SeedAsync(scope.ServiceProvider.GetRequiredService<CommerceDb>(), app.Services.GetRequiredService<TimeProvider>(), app.Lifetime.ApplicationStopping);
    await DemoUsers.EnsureAsync(scope.ServiceProvider.GetRequiredService<CommerceDb>(), app.Services.GetRequiredService<TimeProvider>(), app.Lifetime.ApplicationStopping);
    await DemoApiKey.EnsureAsync(app, app.Lifetime.ApplicationStopping);
    if (seeded && demo.Invoices)
    {
        await DemoBilling.SeedAsync(app.Services, app.Services.GetRequiredService<TimeProvider>(), app.Lifetime.ApplicationStopping);
    }
}

await using var simulator = demoSimulator ? await InProcessSimulator.StartAsync(app.Services, app.Configuration, app.Environment, app.Lifetime.ApplicationStopping) : null;
if (simulator is not null)
{
    app.Lifetime.ApplicationStopping.Register(() => simulator.StopAsync().GetAwaiter().GetResult());
    app.Logger.LogInformation("Partner Center simulator (demo mode) is listening on {Url}", simulator.Urls.First());
}

app.Logger.LogInformation(
    "Partner Center: {BaseAddress}{Kind}",
    app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<PartnerCenterOptions>>().CurrentValue.BaseAddress,
    app.Services.GetRequiredService<PartnerCenterConnection>().Current is not null ? " (the connection set on the settings page)"
        : simulator is not null ? " (the demo's simulator, in this process)" : "");
RenewalWatchAtStart.Register(app);
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        app.Logger.LogInformation("CSP Commerce is listening on {Url}; API reference at {Url}/api/docs; sign-in at {Url}/signin", url, url, url);
    }
});

await app.RunAsync();

/// <summary>The web host; public so the tests' WebApplicationFactory can start it.</summary>
public partial class Program;
