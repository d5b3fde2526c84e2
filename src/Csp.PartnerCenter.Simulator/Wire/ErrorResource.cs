namespace Csp.PartnerCenter.Simulator.Wire;

/// <summary>Microsoft's error body: <c>{ code, description, data, source }</c>, the code a number as in Microsoft's samples.</summary>
public sealed record ErrorResource(int Code, string Description, IReadOnlyList<string> Data, string Source);

/// <summary>Microsoft's answer to a throttled call (api-throttling-guidance): 429, <c>Retry-After</c>, and this body.</summary>
public sealed record ThrottledResource(int StatusCode, string Message);
