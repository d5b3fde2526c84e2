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

    /// <summary>The caller may not do this at all, whatever it asks for (HTTP 403).</summary>
    Forbidden,

    /// <summary>A service the platform depends on (Partner Center) did not answer; the same request may be sent again (HTTP 502).</summary>
    Unavailable,

    /// <summary>The caller's credentials are not good: unknown, revoked or malformed (HTTP 401).</summary>
    Unauthenticated,
}

/// <summary>A business "no": a stable snake-case dotted <paramref name="Code"/> clients branch on, and a message for people.</summary>
/// <param name="Code">Stable for ever once published, e.g. <c>subscription.invalid_transition</c>; documented in docs/errors/&lt;code&gt;.md.</param>
/// <param name="Message">Plain words for a salesperson; may change between versions.</param>
/// <param name="Kind">Which family of refusal this is.</param>
/// <param name="Parameter">The input at fault, where one is: an option, a query parameter, a field.</param>
/// <param name="AllowedUntil">When time decides: the first instant (UTC) at which the refused change was, or will be, no longer allowed.</param>
public sealed record Error(string Code, string Message, ErrorKind Kind = ErrorKind.Conflict, string? Parameter = null, DateTimeOffset? AllowedUntil = null)
{
    /// <summary>The code of a value no request may carry, named by its parameter.</summary>
    public const string InvalidParameterCode = "request.invalid_parameter";

    /// <summary>A value of <paramref name="parameter"/> no request may carry.</summary>
    public static Error InvalidParameter(string parameter, string message) => new(InvalidParameterCode, message, ErrorKind.Invalid, parameter);

    /// <summary>A <paramref name="resource"/> (<c>customer</c>, <c>subscription</c>…) the caller cannot see, or that does not exist.</summary>
    public static Error NotFound(string resource, Guid id) => new($"{resource}.not_found", $"There is no {resource} {id} for this partner.", ErrorKind.NotFound);
}
