using System.Globalization;

namespace Csp.PartnerCenter.Files;

/// <summary>What is wrong with one value of a Microsoft file, and exactly where: file, line, column and the value read.</summary>
/// <param name="Line">The 1-based line of the file the value is on.</param>
public sealed record FileError(string File, long Line, string Column, string Value, string Problem)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File} line {Line}, column {Column}: '{Value}' {Problem}");
}

/// <summary>A Microsoft file that cannot be read as a whole: the first error, and nothing of the file is to be used.</summary>
public sealed class FileFormatException : Exception
{
    public FileFormatException(FileError error)
        : base(error.ToString()) => Error = error;

    public FileFormatException()
        : this(new FileError("", 0, "", "", "")) { }

    public FileFormatException(string message)
        : base(message) => Error = new FileError("", 0, "", "", message);

    public FileFormatException(string message, Exception innerException)
        : base(message, innerException) => Error = new FileError("", 0, "", "", message);

    public FileError Error { get; }
}
