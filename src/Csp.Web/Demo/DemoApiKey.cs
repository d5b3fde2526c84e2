using Csp.Commerce.Access;
using Csp.Data;
using Csp.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Csp.Web.Demo;

/// <summary>
/// The demo's API key: an admin key of the demo distributor, made on the demo's first start, printed and written to the
/// data folder (<see cref="FileName"/>) so that curl and the CLI work at once. Only the demo has one.
/// </summary>
public static class DemoApiKey
{
    public const string FileName = "demo-api-key.txt";

    public static async Task EnsureAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommerceDb>();
        var path = Path.Combine(Database.DataDirectory(app.Configuration, app.Environment), FileName);
        var distributor = await db.Partners.IgnoreQueryFilters([CommerceDb.PartnerFilter])
            .Where(p => p.ParentPartnerId == null && p.Kind == PartnerKind.Distributor).OrderBy(p => p.Name).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (distributor is not { } partnerId)
        {
            return;
        }

        if (await db.ApiKeys.IgnoreQueryFilters([CommerceDb.PartnerFilter]).AnyAsync(k => k.PartnerId == partnerId && k.Name == "demo", cancellationToken))
        {
            if (File.Exists(path))
            {
                app.Logger.LogInformation("The demo's API key (admin, the demo distributor) is in {Path}", path);
            }

            return;
        }

        var made = await CreateApiKey.RunAsync(db, partnerId, "demo", AccessRole.Admin, "demo", app.Services.GetRequiredService<TimeProvider>(), cancellationToken);
        await File.WriteAllTextAsync(path, made.Value.Key + "\n", cancellationToken);
        app.Logger.LogInformation(
            "The demo's API key (admin, the demo distributor), shown this once and written to {Path}: {Key} — e.g. curl -H \"Authorization: Bearer {Key}\" …, or CSP_API_KEY={Key} csp subscriptions list",
            path, made.Value.Key, made.Value.Key, made.Value.Key);
    }
}
