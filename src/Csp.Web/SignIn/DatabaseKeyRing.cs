using System.Xml.Linq;
using Csp.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.SignIn;

/// <summary>
/// Keeps ASP.NET Core Data Protection's key ring (what signs and encrypts the sign-in cookie and the antiforgery tokens)
/// in the platform's database (<see cref="ProtectionKey"/>) instead of the host's file system: every host on the database
/// accepts the cookies of the others, and a restart or a new container signs nobody out.
/// </summary>
public sealed class DatabaseKeyRing(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetRequiredService<CommerceDb>().ProtectionKeys.AsNoTracking().OrderBy(k => k.Id)
            .Select(k => k.Xml).AsEnumerable().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        db.ProtectionKeys.Add(new ProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        db.SaveChanges();
    }
}
