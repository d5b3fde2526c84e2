using Csp.PartnerCenter.Simulator.Wire;

namespace Csp.PartnerCenter.Simulator.Http;

/// <summary>Microsoft's error body with Microsoft's codes (docs/microsoft/api-platform.md): the only way the simulator refuses.</summary>
public static class MicrosoftErrors
{
    /// <summary>The body of <paramref name="code"/>, one of Microsoft's numeric codes, written as a number as Microsoft's samples write it.</summary>
    public static IResult Error(int status, int code, string description) =>
        TypedResults.Json(new ErrorResource(code, description, [], "PartnerCenter.Simulator"), SimulatorJson.Default.ErrorResource, statusCode: status);

    public static IResult NotFound(string what) => Error(StatusCodes.Status404NotFound, 20003, $"{what} was not found.");

    public static IResult InvalidInput(string description) => Error(StatusCodes.Status400BadRequest, 800002, description);
}
