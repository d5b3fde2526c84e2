using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace Csp.Commerce.Usage;

/// <summary>
/// A file uploaded as a request body, read as it arrives: one task receives it and hashes it, another reads it as text,
/// so that receiving, hashing and reading use both cores and the file is never written to disk nor held whole. A reader
/// that stops at a bad line stops the receiving too.
/// </summary>
public static class StreamedUpload
{
    /// <summary>How much of the body may wait, received but not yet read, before receiving pauses.</summary>
    private const int Buffered = 16 << 20;

    /// <summary>
    /// <paramref name="read"/>'s result over the whole body, and the lower-case hex SHA-256 of the body's bytes. The body's
    /// own failures (too large, the client gone) surface as they are; so do <paramref name="read"/>'s.
    /// </summary>
    public static async Task<(T Value, string Sha256)> ReadAsync<T>(Stream body, Func<TextReader, T> read, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: Buffered, resumeWriterThreshold: Buffered / 2, useSynchronizationContext: false));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var receiving = ReceiveAsync(body, pipe.Writer, sha, cancellationToken);
        T value;
        try
        {
            value = await Task.Run(
                () =>
                {
                    using var text = new StreamReader(pipe.Reader.AsStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 20);
                    return read(text);
                },
                cancellationToken);
        }
        catch
        {
            await pipe.Reader.CompleteAsync();
            await receiving;
            throw;
        }

        await receiving;
        return (value, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>Copies the body into the pipe, hashing it; a failure is handed to the reader, which then throws it.</summary>
    private static async Task ReceiveAsync(Stream body, PipeWriter pipe, IncrementalHash sha, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = pipe.GetMemory(1 << 16);
                var read = await body.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                sha.AppendData(buffer.Span[..read]);
                pipe.Advance(read);
                if ((await pipe.FlushAsync(cancellationToken)).IsCompleted)
                {
                    // The reader stopped (a bad line): the rest of the body is not wanted.
                    break;
                }
            }

            await pipe.CompleteAsync();
        }
        catch (Exception e)
        {
            await pipe.CompleteAsync(e);
        }
    }
}
