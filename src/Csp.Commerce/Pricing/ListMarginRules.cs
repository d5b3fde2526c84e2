using Csp.Data;
using Csp.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace Csp.Commerce.Pricing;

/// <summary>
/// The margin rules of the caller and of the partners below it, every version, by partner, level (most specific first),
/// target and newest version first; optionally one level or one target only.
/// </summary>
public static class ListMarginRules
{
    public static async Task<List<MarginRuleView>> RunAsync(CommerceDb db, MarginLevel? level, string? target, CancellationToken cancellationToken)
    {
        var rules = db.MarginRules.AsQueryable();
        if (level is { } wanted)
        {
            rules = rules.Where(r => r.Level == wanted);
        }

        if (!string.IsNullOrWhiteSpace(target))
        {
            var trimmed = target.Trim();
            rules = rules.Where(r => r.Target == trimmed);
        }

        var found = await rules.ToListAsync(cancellationToken);
        return found.OrderBy(r => r.PartnerId).ThenByDescending(r => r.Level).ThenBy(r => r.Target, StringComparer.Ordinal).ThenByDescending(r => r.Version).Select(MarginRuleView.Of).ToList();
    }

    /// <summary>The rules of <paramref name="partnerIds"/>, as the resolver takes them, whoever asks (a reseller's cost is its distributor's price).</summary>
    public static async Task<Dictionary<Guid, IReadOnlyList<MarginRule>>> OfSellersAsync(CommerceDb db, IReadOnlyCollection<Guid> partnerIds, CancellationToken cancellationToken)
    {
        // A reseller's invoices are priced by its distributor's rules too; they are read to price, and never shown to it.
        var rules = await db.MarginRules.IgnoreQueryFilters([CommerceDb.PartnerFilter]).Where(r => partnerIds.Contains(r.PartnerId)).ToListAsync(cancellationToken);
        return partnerIds.ToDictionary(id => id, id => (IReadOnlyList<MarginRule>)rules.Where(r => r.PartnerId == id).Select(r => r.ToRule()).ToList());
    }
}
