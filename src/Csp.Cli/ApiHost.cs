using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csp.Cli;

/// <summary>
/// How the commands that work through a running host reach it: <c>--api</c>, else the <c>CSP_API</c> environment variable,
/// else <see cref="DefaultHost"/> (where the README's run command starts it), with the API key <c>--api-key</c>, else
/// <c>CSP_API_KEY</c>; and the host's refusals in one line.
/// </summary>
internal static class ApiHost
{
    /// <summary>Where <c>dotnet run --project src/Csp.Web</c> listens.</summary>
    public const string DefaultHost = "http://127.0.0.1:5080";

    /// <summary>The options every such command takes: the host, the key, and whether to print JSON.</summary>
    public static (Option<Uri> Address, Option<string?> Key, Option<bool> Json) Options() => (
        new Option<Uri>("--api") { Description = $"The host's address (or the CSP_API environment variable; {DefaultHost} when neither is given).", Recursive = true, CustomParser = ParseHost },
        new Option<string?>("--api-key") { Description = "The API key to call the host with (or the CSP_API_KEY environment variable).", Recursive = true },
        new Option<bool>("--json") { Description = "Print the API's answer as JSON.", Recursive = true });

    internal static async Task<int> FailedAsync(HttpResponseMessage response, TextWriter error, CancellationToken cancellationToken)
    {
        error.WriteLine(await DescribeAsync(response, cancellationToken));
        return 1;
    }

    /// <summary>The host's refusal in one line: its status, and the problem's code and title when it sent one.</summary>
    internal static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? problem = null;
        try
        {
            problem = text.StartsWith('{') ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
            // Not a problem document: the status alone says it.
        }

        return problem is null
            ? $"csp: the host answered {(int)response.StatusCode} {response.ReasonPhrase}"
            : $"csp: {(int)response.StatusCode} {problem["code"]}: {problem["title"]}{(problem["allowedUntil"] is { } until ? $" (allowed until {until} UTC)" : "")}";
    }

    /// <summary>A GET the host must answer with JSON; its refusal (a 404, a 400) ends the command with the host's words.</summary>
    internal static async Task<JsonNode> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HostRefused(await DescribeAsync(response, cancellationToken));
        }

        return await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken) ?? throw new HostRefused("csp: the host answered with no body");
    }

    internal static async Task<int> RunAsync(
        ParseResult parsed, (Option<Uri> Address, Option<string?> Key) host, HttpMessageHandler? handler, TextWriter error, Func<HttpClient, Task<int>> work, CancellationToken cancellationToken)
    {
        var environment = Environment.GetEnvironmentVariable("CSP_API");
        var address = parsed.GetValue(host.Address) ?? (Uri.TryCreate(environment ?? DefaultHost, UriKind.Absolute, out var configured) ? configured : null);
        if (address is null)
        {
            await error.WriteLineAsync(new StringBuilder($"csp: CSP_API '{environment}' is not an address such as {DefaultHost}."), cancellationToken);
            return CspCommand.UsageError;
        }

        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        if ((parsed.GetValue(host.Key) ?? Environment.GetEnvironmentVariable("CSP_API_KEY")) is { Length: > 0 } key)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        try
        {
            return await work(client);
        }
        catch (HostRefused refused)
        {
            await error.WriteLineAsync(new StringBuilder(refused.Message), cancellationToken);
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync(new StringBuilder($"csp: cannot reach the host at {client.BaseAddress}: {e.Message}"), cancellationToken);
            return 1;
        }
    }

    internal static Uri? ParseHost(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
        {
            return address;
        }

        result.AddError($"Option '--api': '{text}' is not an address such as {DefaultHost}.");
        return null;
    }

    /// <summary>The host answered, and refused: its words, already in one line.</summary>
    internal sealed class HostRefused(string message) : Exception(message);

}
