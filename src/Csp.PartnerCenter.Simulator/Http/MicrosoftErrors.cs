using Csp.PartnerCenter.Api;

namespace Csp.PartnerCenter.Simulator.Http;

/// <summary>Microsoft's error body with Microsoft's codes (partner-center.md §5.3): the only way the simulator refuses.</summary>
public static class MicrosoftErrors
{
    public static IResult Error(int status, string code, string description) =>
        TypedResults.Json(new ApiError(code, description, [], "PartnerCenter.Simulator"), PartnerCenterJson.Default.ApiError, statusCode: status);

    public static IResult NotFound(string what) => Error(StatusCodes.Status404NotFound, "20003", $"{what} was not found.");

    public static IResult InvalidInput(string description) => Error(StatusCodes.Status400BadRequest, "800002", description);
}
