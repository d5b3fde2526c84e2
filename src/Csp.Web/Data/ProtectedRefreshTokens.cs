using Csp.Data;
using Csp.PartnerCenter.Api;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Data;

/// <summary>
/// The Partner Center refresh token Microsoft last rotated to, kept in the database encrypted with Data Protection
/// (<see cref="StoredSecret"/>): a restart, or another host on the same database, goes on with the newest token instead
/// of the one first configured. The plain token is never stored, returned by a route or logged.
/// </summary>
public sealed class ProtectedRefreshTokens(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider time) : RefreshTokenStore
{
    public const string Name = "PartnerCenter.RefreshToken";

    private readonly IDataProtector protector = Protector(protection);

    /// <summary>What protects the refresh token, wherever it is written (a connection set on the settings page writes it too).</summary>
    public static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector("Csp.PartnerCenter.RefreshToken.v1");

    public override async ValueTask<string?> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<CommerceDb>().StoredSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == Name, cancellationToken);
        return stored is null ? null : protector.Unprotect(stored.ProtectedValue);
    }

    public override async ValueTask SaveAsync(string refreshToken, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        await KeepAsync(db, Name, protector.Protect(refreshToken), time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Puts <paramref name="protectedValue"/> in the secret <paramref name="name"/>, new or replaced, for the caller's save.</summary>
    public static async Task KeepAsync(CommerceDb db, string name, string protectedValue, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await db.StoredSecrets.FirstOrDefaultAsync(s => s.Name == name, cancellationToken) is { } stored)
        {
            stored.Replace(protectedValue, at);
        }
        else
        {
            db.StoredSecrets.Add(new StoredSecret(name, protectedValue, at));
        }
    }
}
