using System.Text.Json;
using Csp.Data;
using Csp.Domain;
using Csp.PartnerCenter.Api;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Csp.Web.Data;

/// <summary>
/// The Partner Center connection an admin set on the settings page, which wins over the host's configuration: Partner
/// Center's address and the Secure Application Model's application, its secret and the refresh token of a partner user's
/// MFA consent. It is kept in the database encrypted with Data Protection (<see cref="StoredSecret"/>: the connection
/// as one value, the refresh token where <see cref="ProtectedRefreshTokens"/> keeps Microsoft's rotations of it); the
/// secrets are written and never read back by a page, a route or a log. The client reads it through its options
/// (<see cref="IOptionsMonitor{TOptions}"/>): set or forgotten here, the next call uses it; another host on the same
/// database picks it up within a minute.
/// </summary>
/// <remarks>
/// The host has one Partner Center connection (docs/access.md), so it is set here only by an admin of the host's one
/// partner at the top — a distributor or a direct-bill partner with no other beside it: with two, one's connection
/// would be the other's. The platform's, not a partner's: read and written in a scope of its own (no partner filter).
/// </remarks>
public sealed class PartnerCenterConnection(
    IServiceScopeFactory scopes, IDataProtectionProvider protection, RefreshTokenStore refreshTokens, IHttpClientFactory clients, TimeProvider time, ILogger<PartnerCenterConnection> logger)
    : BackgroundService, IPostConfigureOptions<PartnerCenterOptions>, IOptionsChangeTokenSource<PartnerCenterOptions>
{
    /// <summary>The stored secret holding the connection (all of it but the refresh token).</summary>
    public const string SecretName = "PartnerCenter.Connection";

    public const int MaxAddress = 2048;

    public const int MaxApplicationSecret = 1024;

    /// <summary>Entra ID's refresh tokens are opaque and run to a few thousand characters.</summary>
    public const int MaxRefreshToken = 16384;

    /// <summary>How long the check of a connection waits for the token endpoint.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Microsoft's own Partner Center, whose Graph and partner APIs (billing exports, price sheets) live elsewhere.</summary>
    private static readonly Uri Microsoft = new("https://api.partnercenter.microsoft.com/");

    private readonly IDataProtector protector = protection.CreateProtector("Csp.PartnerCenter.Connection.v1");

    private volatile Loaded? current;

    private CancellationTokenSource changed = new();

    /// <summary>The connection set on the settings page, without its secrets; null when the host's configuration is used.</summary>
    public ConnectionView? Current => current?.View;

    string? IOptionsChangeTokenSource<PartnerCenterOptions>.Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(changed.Token);

    public void PostConfigure(string? name, PartnerCenterOptions options)
    {
        if (current is not { } set)
        {
            return;
        }

        var microsoft = set.Stored.BaseAddress == Microsoft;
        options.BaseAddress = set.Stored.BaseAddress;
        options.GraphBaseAddress = microsoft ? new Uri("https://graph.microsoft.com/") : null;
        options.PartnerApiBaseAddress = microsoft ? new Uri("https://api.partner.microsoft.com/") : null;
        options.Token = "";
        options.SecureApplicationModel = new SecureApplicationModelOptions
        {
            Authority = set.Stored.Authority,
            TenantId = set.Stored.TenantId,
            ApplicationId = set.Stored.ApplicationId,
            ApplicationSecret = set.Stored.ApplicationSecret,
            RefreshToken = set.RefreshToken,
        };
    }

    /// <summary>Why <paramref name="partnerId"/> may not set the host's connection; null when it may.</summary>
    public async Task<Error?> RefusalAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await RefusalAsync(scope.ServiceProvider.GetRequiredService<CommerceDb>(), partnerId, cancellationToken);
    }

    private static async Task<Error?> RefusalAsync(CommerceDb db, Guid partnerId, CancellationToken cancellationToken)
    {
        var top = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(p => p.ParentPartnerId == null)
            .OrderBy(p => p.Id).Select(p => new { p.Id, p.Kind }).Take(2).ToListAsync(cancellationToken);
        return top is [{ Kind: not PartnerKind.Reseller } only] && only.Id == partnerId
            ? null
            : new Error(
                "partner_center.connection_host_wide",
                "The host's one Partner Center connection is set by an admin of its one distributor or direct-bill partner at the top; here it is the host's configuration.",
                ErrorKind.Forbidden);
    }

    /// <summary>
    /// Checks the connection by redeeming its refresh token at its token endpoint (the token must carry MFA), and only
    /// then keeps it, with the refresh token Microsoft rotated to, in place of the one before; the next call to Partner
    /// Center uses it. A secret or refresh token left empty keeps the one the connection set here has.
    /// </summary>
    public async Task<Result<ConnectionView>> SetAsync(Guid partnerId, ConnectionInput input, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        if (await RefusalAsync(db, partnerId, cancellationToken) is { } refused)
        {
            return refused;
        }

        var before = current;
        var keptRefreshToken = before is null ? null : await refreshTokens.LoadAsync(cancellationToken);
        var baseAddress = Address(input.BaseAddress, "baseAddress");
        var authority = Address(input.Authority, "authority");
        var invalid = baseAddress.Error ?? authority.Error
            ?? Id(input.TenantId, "tenantId", "the partner's Microsoft Entra tenant id")
            ?? Id(input.ApplicationId, "applicationId", "the Secure Application Model application's id (its client id)")
            ?? Secret(input.ApplicationSecret, before?.Stored.ApplicationSecret, "applicationSecret", MaxApplicationSecret)
            ?? Secret(input.RefreshToken, keptRefreshToken, "refreshToken", MaxRefreshToken);
        if (invalid is not null)
        {
            return invalid;
        }

        var stored = new StoredConnection(
            baseAddress.Value,
            authority.Value,
            Guid.Parse(input.TenantId!).ToString(),
            Guid.Parse(input.ApplicationId!).ToString(),
            string.IsNullOrEmpty(input.ApplicationSecret) ? before!.Stored.ApplicationSecret : input.ApplicationSecret,
            time.GetUtcNow(),
            actor);
        var application = new SecureApplicationModelOptions { Authority = stored.Authority, TenantId = stored.TenantId, ApplicationId = stored.ApplicationId, ApplicationSecret = stored.ApplicationSecret };
        string refreshToken;
        try
        {
            using var http = clients.CreateClient(SecureApplicationModelTokens.HttpClientName);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CheckTimeout);
            var given = string.IsNullOrEmpty(input.RefreshToken) ? keptRefreshToken! : input.RefreshToken;
            refreshToken = (await SecureApplicationModelTokens.RedeemAsync(http, application, given, TokenAudience.PartnerCenter, timeout.Token)).RefreshToken is { Length: > 0 } rotated ? rotated : given;
        }
        catch (PartnerCenterException e)
        {
            return new Error("partner_center.connection_refused", e.Error.Description, ErrorKind.Invalid, e.Code == "mfa_required" ? "refreshToken" : null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The address the admin gave does not answer: their input to put right (400), not a failure of the host's (5xx).
            return new Error("partner_center.connection_refused", $"The token endpoint at {stored.Authority} did not answer ({(e is HttpRequestException ? e.Message : "no answer in 30 seconds")}).", ErrorKind.Invalid, "authority");
        }

        var protectedConnection = protector.Protect(JsonSerializer.Serialize(stored));
        var protectedRefreshToken = ProtectedRefreshTokens.Protector(protection).Protect(refreshToken);
        await ProtectedRefreshTokens.KeepAsync(db, SecretName, protectedConnection, stored.SetAt, cancellationToken);
        await ProtectedRefreshTokens.KeepAsync(db, ProtectedRefreshTokens.Name, protectedRefreshToken, stored.SetAt, cancellationToken);
        db.AccessEvents.Add(new AccessEvent(partnerId, stored.SetAt, actor, AccessEventKind.PartnerCenterConnectionSet, $"{stored.BaseAddress.GetLeftPart(UriPartial.Authority)} as application {stored.ApplicationId} of tenant {stored.TenantId}"));
        await db.SaveChangesAsync(cancellationToken);
        Replace(new Loaded(stored, refreshToken, stored.SetAt));
        return current!.View;
    }

    /// <summary>Deletes the connection set here, its secret and refresh token: Partner Center is called with the host's configuration again.</summary>
    public async Task<Result<bool>> ForgetAsync(Guid partnerId, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        if (await RefusalAsync(db, partnerId, cancellationToken) is { } refused)
        {
            return refused;
        }

        var secrets = await db.StoredSecrets.Where(s => s.Name == SecretName || s.Name == ProtectedRefreshTokens.Name).ToListAsync(cancellationToken);
        if (secrets.All(s => s.Name != SecretName))
        {
            return false;
        }

        db.StoredSecrets.RemoveRange(secrets);
        db.AccessEvents.Add(new AccessEvent(partnerId, time.GetUtcNow(), actor, AccessEventKind.PartnerCenterConnectionForgotten, "the host's configuration is used"));
        await db.SaveChangesAsync(cancellationToken);
        Replace(null);
        return true;
    }

    /// <summary>Reads the connection from the database, when it is not the one held: at start, and every minute after.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var stored = await db.StoredSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == SecretName, cancellationToken);
        if (stored?.UpdatedAt == current?.UpdatedAt)
        {
            return;
        }

        Replace(stored is null
            ? null
            : new Loaded(
                JsonSerializer.Deserialize<StoredConnection>(protector.Unprotect(stored.ProtectedValue))!,
                await refreshTokens.LoadAsync(cancellationToken) ?? "",
                stored.UpdatedAt));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await LoadAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "The Partner Center connection could not be read again; the one held is used");
            }
        }
    }

    public override void Dispose()
    {
        changed.Dispose();
        base.Dispose();
    }

    private void Replace(Loaded? loaded)
    {
        current = loaded;
        var before = Interlocked.Exchange(ref changed, new CancellationTokenSource());
        before.Cancel();
        before.Dispose();
    }

    /// <summary>An https address; http only on this machine (a simulator); no query, fragment or credentials.</summary>
    private static Result<Uri> Address(string? value, string parameter)
    {
        var text = value?.Trim() ?? "";
        if (text.Length is 0 or > MaxAddress || !Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var address)
            || !(address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback))
            || address.Query.Length > 0 || address.Fragment.Length > 0 || address.UserInfo.Length > 0)
        {
            return Error.InvalidParameter(parameter, $"{parameter} is an absolute https address (http only on this machine), without a query, of at most {MaxAddress} characters.");
        }

        return address;
    }

    private static Error? Id(string? value, string parameter, string what) =>
        Guid.TryParseExact(value?.Trim(), "D", out var id) && id != Guid.Empty ? null : Error.InvalidParameter(parameter, $"{parameter} is {what}: a GUID such as 00000000-0000-0000-0000-000000000000.");

    private static Error? Secret(string? value, string? kept, string parameter, int max) =>
        string.IsNullOrEmpty(value)
            ? kept is null ? Error.InvalidParameter(parameter, $"{parameter} is needed: no connection set here has one to keep.") : null
            : value.Length > max || value.Any(char.IsControl) ? Error.InvalidParameter(parameter, $"{parameter} is at most {max} characters, on one line.") : null;

    /// <summary>The connection as it is kept, encrypted; the refresh token apart, where Microsoft's rotations of it are kept.</summary>
    private sealed record StoredConnection(Uri BaseAddress, Uri Authority, string TenantId, string ApplicationId, string ApplicationSecret, DateTimeOffset SetAt, string SetBy);

    private sealed record Loaded(StoredConnection Stored, string RefreshToken, DateTimeOffset UpdatedAt)
    {
        public ConnectionView View { get; } = new(Stored.BaseAddress, Stored.Authority, Stored.TenantId, Stored.ApplicationId, Stored.SetAt, Stored.SetBy);
    }
}

/// <summary>A connection as the settings page sends it, as text; an empty secret or refresh token keeps the one set before.</summary>
public sealed record ConnectionInput(string? BaseAddress, string? Authority, string? TenantId, string? ApplicationId, string? ApplicationSecret, string? RefreshToken);

/// <summary>The connection set on the settings page, as it may be shown: never its secrets.</summary>
public sealed record ConnectionView(Uri BaseAddress, Uri Authority, string TenantId, string ApplicationId, DateTimeOffset SetAt, string SetBy);
