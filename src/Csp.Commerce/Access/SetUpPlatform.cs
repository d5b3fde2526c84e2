using Csp.Data;
using Csp.Domain;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Access;

/// <summary>What setting up the platform made: its first partner, that partner's first admin, and an admin key shown this once.</summary>
public sealed record PlatformSetUp(Guid PartnerId, Guid AdminUserId, CreatedApiKey ApiKey);

/// <summary>
/// Sets up an empty platform: its first partner (a distributor or a direct-bill partner, at the root of the tree), that
/// partner's Microsoft Entra tenant, its first admin (an Entra account of that tenant) and an admin API key — all in one
/// transaction, so that the admin can sign in and the key can call at once, and everything else (keys, users, the tenants
/// of resellers) is done through the API. A platform that has a partner is set up already and is left as it is.
/// </summary>
public static class SetUpPlatform
{
    public static async Task<Result<PlatformSetUp>> RunAsync(
        CommerceDb db, string partnerName, PartnerKind kind, string country, string currency, string timeZone, Guid tenantId, Guid adminObjectId, string adminName, TimeProvider time, CancellationToken cancellationToken)
    {
        // The platform is empty or it is not: every partner counts, there is no caller yet.
        if (await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(cancellationToken))
        {
            return new Error("platform.already_set_up", "The platform has partners already: its admins add the rest through the API.", ErrorKind.Conflict);
        }

        var refused = kind == PartnerKind.Reseller ? Error.InvalidParameter("Setup:Kind", "The first partner is a distributor or a direct-bill partner: a reseller buys through a distributor.")
            : partnerName.Trim().Length is 0 or > 200 ? Error.InvalidParameter("Setup:PartnerName", "The partner's name is 1 to 200 characters.")
            : country.Length != 2 || !country.All(char.IsAsciiLetterUpper) ? Error.InvalidParameter("Setup:Country", "The country is an ISO 3166-1 alpha-2 code, such as IE.")
            : currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper) ? Error.InvalidParameter("Setup:Currency", "The currency is an ISO 4217 code, such as EUR.")
            : !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _) ? Error.InvalidParameter("Setup:TimeZone", $"'{timeZone}' is not an IANA time zone, such as Europe/Dublin.")
            : tenantId == Guid.Empty || adminObjectId == Guid.Empty ? Error.InvalidParameter("Setup:TenantId", "The tenant id and the admin's object id are the Entra ids of the partner's tenant and of its admin's account.")
            : adminName.Trim().Length is 0 or > GrantUser.MaxDisplayName ? Error.InvalidParameter("Setup:AdminName", $"The admin's name is 1 to {GrantUser.MaxDisplayName} characters.")
            : (Error?)null;
        if (refused is not null)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var partner = new Partner(Guid.CreateVersion7(now), partnerName.Trim(), kind, null, country, currency, timeZone, now);
        var admin = new User(Guid.CreateVersion7(now), tenantId, adminObjectId, partner.Id, null, AccessRole.Admin, adminName.Trim(), now, "setup");
        db.Partners.Add(partner);
        db.PartnerTenants.Add(new PartnerTenant(tenantId, partner.Id, now));
        db.Users.Add(admin);
        db.AccessEvents.Add(new AccessEvent(partner.Id, now, "setup", AccessEventKind.TenantBound, $"tenant {tenantId}"));
        db.AccessEvents.Add(new AccessEvent(partner.Id, now, "setup", AccessEventKind.UserGranted, UserView.Describe(admin)));

        // The key is saved with the rest: one transaction.
        var key = await CreateApiKey.RunAsync(db, partner.Id, "setup", AccessRole.Admin, "setup", time, cancellationToken);
        return key.IsSuccess ? new PlatformSetUp(partner.Id, admin.Id, key.Value) : key.Error;
    }
}
