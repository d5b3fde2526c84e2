using System.Net;

namespace Csp.PartnerCenter.Api;

/// <summary>Partner Center refused a call: its HTTP status and Microsoft's error body, whose <see cref="Code"/> says why.</summary>
public sealed class PartnerCenterException(HttpStatusCode status, ApiError error)
    : Exception($"Partner Center answered {(int)status} {error.Code}: {error.Description}")
{
    public HttpStatusCode Status { get; } = status;

    public ApiError Error { get; } = error;

    /// <summary>Microsoft's code, e.g. <c>900213</c> for a closed cancellation window.</summary>
    public string Code => Error.Code;
}
