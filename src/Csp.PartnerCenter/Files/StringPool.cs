namespace Csp.PartnerCenter.Files;

/// <summary>
/// One string per distinct value read: a file repeats its customers, subscriptions, products, charge types, dates and
/// prices on thousands of lines, and a million lines must not hold a million copies. Looked up by span, so a value
/// already seen allocates nothing. Bounded: past <c>capacity</c> distinct values, new ones are returned unpooled.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private readonly int capacity;

    public StringPool(int capacity)
    {
        this.capacity = capacity;
        bySpan = strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<char> value)
    {
        if (bySpan.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        var created = value.ToString();
        if (strings.Count < capacity)
        {
            strings[created] = created;
        }

        return created;
    }
}
