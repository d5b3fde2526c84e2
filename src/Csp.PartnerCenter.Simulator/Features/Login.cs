using Csp.PartnerCenter.Simulator.Http;

namespace Csp.PartnerCenter.Simulator.Features;

/// <summary>
/// Entra ID's token endpoint as the Secure Application Model uses it (<c>/_login/{tenant}/oauth2/v2.0/token</c>, the
/// <c>refresh_token</c> grant): the stand-in the client's <c>SecureApplicationModel:Authority</c> points at.
/// </summary>
public static class Login
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/_login/{tenant}/oauth2/v2.0/token", RedeemAsync).DisableAntiforgery();

    private static async Task<IResult> RedeemAsync(HttpRequest request, SimulatorTokens tokens)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token")
        {
            return Results.Json(new Dictionary<string, string> { ["error"] = "unsupported_grant_type", ["error_description"] = "Only the refresh_token grant is simulated." }, statusCode: StatusCodes.Status400BadRequest);
        }

        return tokens.Redeem(form["client_id"], form["client_secret"], form["refresh_token"], form["scope"]) is { } issued
            ? Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["access_token"] = issued.AccessToken,
                ["refresh_token"] = issued.RefreshToken,
                ["expires_in"] = issued.ExpiresIn,
                ["scope"] = form["scope"].ToString(),
            })
            : Results.Json(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = "AADSTS70000: The refresh token or the application's credentials are not valid." }, statusCode: StatusCodes.Status400BadRequest);
    }
}
