namespace Csp.Domain;

/// <summary>How a refusal maps onto the caller's world: a conflict with the current state, bad input, or nothing there.</summary>
public enum ErrorKind
{
    /// <summary>The request is well formed but the current state refuses it (HTTP 409).</summary>
    Conflict,

    /// <summary>The request itself is wrong: a bad value, an unknown option (HTTP 400).</summary>
    Invalid,

    /// <summary>The thing asked for does not exist for this caller (HTTP 404).</summary>
    NotFound,
}

/// <summary>A business "no": a stable snake-case dotted <paramref name="Code"/> clients branch on, and a message for people.</summary>
/// <param name="Code">Stable for ever once published, e.g. <c>subscription.invalid_transition</c>; documented in docs/errors/&lt;code&gt;.md.</param>
/// <param name="Message">Plain words for a salesperson; may change between versions.</param>
/// <param name="Kind">Which family of refusal this is.</param>
/// <param name="Parameter">The input at fault, where one is: an option, a query parameter, a field.</param>
/// <param name="AllowedUntil">When time decides: the first instant (UTC) at which the refused change was, or will be, no longer allowed.</param>
public sealed record Error(string Code, string Message, ErrorKind Kind = ErrorKind.Conflict, string? Parameter = null, DateTimeOffset? AllowedUntil = null);
