namespace Csp.Data;

/// <summary>
/// Whose data this unit of work may see: the acting partner and every partner below it. The "Partner" query
/// filter of <see cref="CommerceDb"/> reads it on every query. Empty until <see cref="Enter"/>: an unscoped
/// context sees nothing, so forgetting to scope fails closed.
/// </summary>
public sealed class PartnerScope
{
    public Guid? PartnerId { get; private set; }

    public IReadOnlyList<Guid> PartnerIds { get; private set; } = [];

    /// <summary>The one customer a customer user may see; null for a partner's caller, who sees every customer in scope.</summary>
    public Guid? CustomerId { get; private set; }

    /// <summary>The same scope as <paramref name="other"/>: for work a request hands to the background.</summary>
    public void EnterAs(PartnerScope other) => (PartnerId, PartnerIds, CustomerId) = (other.PartnerId, other.PartnerIds, other.CustomerId);

    /// <summary>Scopes to <paramref name="partnerId"/> and its descendants and, for a customer user, to its one customer.</summary>
    public void Enter(Guid partnerId, IEnumerable<(Guid Id, Guid? ParentPartnerId)> hierarchy, Guid? customerId = null)
    {
        CustomerId = customerId;
        var children = hierarchy
            .Where(p => p.ParentPartnerId is not null)
            .ToLookup(p => p.ParentPartnerId!.Value, p => p.Id);

        var visible = new List<Guid>();
        var pending = new Queue<Guid>([partnerId]);
        while (pending.TryDequeue(out var next))
        {
            if (!visible.Contains(next))
            {
                visible.Add(next);
                foreach (var child in children[next])
                {
                    pending.Enqueue(child);
                }
            }
        }

        PartnerId = partnerId;
        PartnerIds = visible;
    }
}
