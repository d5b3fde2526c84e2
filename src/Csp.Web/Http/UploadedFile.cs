using System.Security.Cryptography;

namespace Csp.Web.Http;

/// <summary>
/// A file uploaded as a request body, kept in a temporary file while it is read and hashed, and deleted afterwards.
/// Imports are keyed by the SHA-256 of the bytes, so the same file uploaded twice is recognised before it is read.
/// </summary>
public sealed class UploadedFile : IDisposable
{
    private UploadedFile(string path, string sha256)
    {
        Path = path;
        Sha256 = sha256;
    }

    public string Path { get; }

    /// <summary>Lower-case hex SHA-256 of the bytes received.</summary>
    public string Sha256 { get; }

    /// <param name="directory">Where the temporary file is kept (<see cref="RequestLimits.UploadDirectory"/>); the system's temporary folder when null.</param>
    public static async Task<UploadedFile> SaveAsync(Stream body, string? directory, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(directory ?? System.IO.Path.GetTempPath(), $"csp-upload-{Guid.NewGuid():N}.tmp");
        try
        {
            await using var copy = File.Create(path);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return new UploadedFile(path, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch
        {
            // A body refused or cut off while it was read (too large, the client gone): nothing of it stays on disk.
            File.Delete(path);
            throw;
        }
    }

    public StreamReader OpenText() => new(Path, new FileStreamOptions { BufferSize = 1 << 20 });

    public void Dispose() => File.Delete(Path);
}
