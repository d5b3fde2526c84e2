using System.Net;

namespace Csp.Cli.Tests;

/// <summary><c>csp subscriptions</c> without a host: where it goes by default, and a bad address.</summary>
public class SubscriptionsCommandTests
{
    [Theory]
    [InlineData("notaurl")]
    [InlineData("ftp://example.com/")]
    public void AnAddressThatIsNotOne_IsOneLineAndExitCode2(string api)
    {
        var (exitCode, output, error) = Csp.Run("subscriptions", "list", "--api", api);

        Assert.Equal(2, exitCode);
        Assert.Equal([""], output);
        Assert.Single(error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Contains("--api", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnAddress_GoesToTheHostTheReadmesRunCommandStarts()
    {
        var recorder = new Recorder();
        using var output = new StringWriter();
        using var error = new StringWriter();

        CspCommand.Run(["subscriptions", "list"], output, error, recorder);

        Assert.Equal(new Uri("http://127.0.0.1:5080/api/subscriptions?pageSize=500"), recorder.Asked);
    }

    /// <summary>Answers every request 503 and remembers where it was sent.</summary>
    private sealed class Recorder : HttpMessageHandler
    {
        public Uri? Asked { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
