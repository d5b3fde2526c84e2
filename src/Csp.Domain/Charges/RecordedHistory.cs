namespace Csp.Domain.Charges;

/// <summary>
/// The charge engine's input built from an account's history as it was recorded, in order — purchases, changes and
/// upgrades, subscriptions named by Microsoft's ids — the one adapter both the platform (its events) and the simulator
/// (its audit records) feed.
/// </summary>
/// <remarks>
/// An upgrade joins subscriptions into a family that the engine charges as one history: Microsoft charges an upgrade as
/// one operation across them. The engine knows each subscription by a key: its id, except that a subscription upgraded in
/// full goes on under a new key (<c>id~n</c>) — a new subscription to the engine, whose lines keep Microsoft's id, as
/// Microsoft's full-upgrade example shows — and seats moved into an existing subscription go to that subscription's key.
/// </remarks>
public sealed class RecordedHistory
{
    private readonly Dictionary<string, string> keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> parents = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PurchasedSubscription> purchases = new(StringComparer.Ordinal);
    private readonly List<PurchasedSubscription> bought = [];
    private readonly List<(string Id, SubscriptionChange Change)> changes = [];

    /// <summary>Whether <paramref name="id"/> was bought, or reached by an upgrade, so far.</summary>
    public bool Knows(string id) => keys.ContainsKey(id);

    /// <summary>The engine's key of subscription <paramref name="id"/> now; the id itself when it has none of its own.</summary>
    public string KeyOf(string id) => keys.GetValueOrDefault(id, id);

    /// <summary>The subscription known by the engine's <paramref name="key"/>, as bought or as an upgrade created it.</summary>
    public PurchasedSubscription? Purchase(string key) => purchases.GetValueOrDefault(key);

    /// <summary>A subscription bought; its id is Microsoft's, and its key.</summary>
    public void Buy(PurchasedSubscription subscription)
    {
        keys[subscription.Id] = subscription.Id;
        purchases[subscription.Id] = subscription;
        bought.Add(subscription);
    }

    /// <summary><paramref name="change"/> to subscription <paramref name="id"/>, as the engine knows it now.</summary>
    public void Change(string id, SubscriptionChange change) => changes.Add((id, change with { SubscriptionId = KeyOf(id) }));

    /// <summary>
    /// <paramref name="seats"/> of <paramref name="from"/> upgraded to <paramref name="to"/>: into it when it is another
    /// subscription already known; else into a new one — <paramref name="to"/> itself for a partial upgrade, and for a
    /// full upgrade (<paramref name="to"/> = <paramref name="from"/>) the subscription going on under <c>from~</c><paramref name="upgradeNumber"/>.
    /// </summary>
    /// <param name="target">The target as bought, given the key the engine knows it by: for an existing one, its key.</param>
    /// <param name="upgradeNumber">What tells this upgrade from the subscription's others (a recorded event's number).</param>
    public void Upgrade(DateOnly day, DateTimeOffset? at, string from, string to, int seats, Func<string, PurchasedSubscription> target, long upgradeNumber)
    {
        var into = !to.Equals(from, StringComparison.OrdinalIgnoreCase) && keys.TryGetValue(to, out var existing) ? existing : null;
        var key = into ?? (to.Equals(from, StringComparison.OrdinalIgnoreCase) ? $"{from}~{upgradeNumber}" : to);
        var upgraded = target(key) with { Id = key };
        changes.Add((from, new Upgrade(day, KeyOf(from), seats, upgraded, TargetExists: into is not null) { At = at }));
        parents[Root(to)] = Root(from);
        keys[to] = key;
        purchases.TryAdd(key, upgraded);
    }

    /// <summary>Everything recorded as one history, charged through <paramref name="through"/>, with <paramref name="more"/> after it (a change being previewed, naming subscriptions by Microsoft's ids).</summary>
    public ChargeHistory History(Currency currency, DateOnly through, IEnumerable<SubscriptionChange>? more = null) =>
        new(currency, through, bought.ToList(), [.. changes.Select(c => c.Change), .. (more ?? []).Select(Keyed)]);

    /// <summary>One history per family of subscriptions upgrades joined, with the ids of its members as bought.</summary>
    public IEnumerable<(IReadOnlyList<string> Members, ChargeHistory History)> Families(Func<string, Currency> currencyOf, DateOnly through)
    {
        var changesOf = changes.ToLookup(c => Root(c.Id), c => c.Change, StringComparer.OrdinalIgnoreCase);
        foreach (var family in bought.GroupBy(b => Root(b.Id), StringComparer.OrdinalIgnoreCase))
        {
            var members = family.ToList();
            yield return (members.Select(m => m.Id).ToList(), new ChargeHistory(currencyOf(members[0].Id), through, members, changesOf[family.Key].ToList()));
        }
    }

    /// <summary>A change naming a subscription by Microsoft's id, with the engine's keys in its place.</summary>
    private SubscriptionChange Keyed(SubscriptionChange change) => change is Upgrade { TargetExists: true } u
        ? u with { SubscriptionId = KeyOf(u.SubscriptionId), Target = u.Target with { Id = KeyOf(u.Target.Id) } }
        : change with { SubscriptionId = KeyOf(change.SubscriptionId) };

    private string Root(string id) =>
        parents.TryGetValue(id, out var parent) && !parent.Equals(id, StringComparison.OrdinalIgnoreCase) ? parents[id] = Root(parent) : id;
}
