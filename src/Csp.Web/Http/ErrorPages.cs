using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Csp.Web.Http;

/// <summary>Serves docs/errors/&lt;code&gt;.md at <c>/errors/&lt;code&gt;</c>, the <c>type</c> of every ProblemDetails.</summary>
public static class ErrorPages
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/errors/{code}", Handle).WithName("ErrorPage").WithSummary("What an error code means and what to do about it.").ExcludeFromDescription();

    public static Results<ContentHttpResult, NotFound> Handle(string code)
    {
        using var page = Assembly.GetExecutingAssembly().GetManifestResourceStream($"errors/{code}");
        if (page is null)
        {
            return TypedResults.NotFound();
        }

        using var reader = new StreamReader(page);
        return TypedResults.Text(reader.ReadToEnd(), "text/markdown; charset=utf-8");
    }
}
