namespace Csp.Commerce;

/// <summary>One page of a listing: its items, which page of what size, and how many there are in all.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
