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
        var value = protector.Protect(refreshToken);
        if (await db.StoredSecrets.FirstOrDefaultAsync(s => s.Name == Name, cancellationToken) is { } stored)
        {
            stored.Replace(value, time.GetUtcNow());
        }
        else
        {
            db.StoredSecrets.Add(new StoredSecret(Name, value, time.GetUtcNow()));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
