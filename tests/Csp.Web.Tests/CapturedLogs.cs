using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Csp.Web.Tests;

/// <summary>Every message a host logs, formatted, with its category and level.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> messages = new();

    public IReadOnlyList<string> Messages => messages.Select(m => m.Message).ToList();

    /// <summary>What was logged at <paramref name="level"/> or above, with its category.</summary>
    public IReadOnlyList<(string Category, string Message)> AtLeast(LogLevel level) => messages.Where(m => m.Level >= level).Select(m => (m.Category, m.Message)).ToList();

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Category(CapturedLogs logs, string name) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.messages.Enqueue((name, logLevel, formatter(state, exception)));
    }
}
