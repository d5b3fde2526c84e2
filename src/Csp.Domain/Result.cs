using System.Diagnostics.CodeAnalysis;

namespace Csp.Domain;

/// <summary>Either a value or the <see cref="Domain.Error"/> that explains why there is none.</summary>
/// <remarks><c>default(Result&lt;T&gt;)</c> is neither and must not be used; results come from the implicit conversions.</remarks>
public readonly struct Result<T>
{
    private readonly T? value;

    private Result(T? value, Error? error)
    {
        this.value = value;
        Error = error;
    }

    public Error? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; reading it from a failed result is a bug and throws.</summary>
    public T Value => IsSuccess
        ? value!
        : throw new InvalidOperationException($"No value: {Error.Code}: {Error.Message}");

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
