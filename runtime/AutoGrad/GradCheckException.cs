using System;

namespace AutoGrad;

/// <summary>
/// The exception thrown by <see cref="GradCheckResult.EnsurePassed"/> and <see cref="GradCheck"/>'s
/// <c>Assert</c> methods when a gradient does not match its finite differences. It derives from
/// <see cref="Exception"/> only, so any test framework reports it as a failure with its message.
/// </summary>
public sealed class GradCheckException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public GradCheckException()
        : base("The gradient check failed.")
    {
    }

    /// <summary>Initializes a new instance with the given message.</summary>
    /// <param name="message">The message.</param>
    public GradCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public GradCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance describing a failed check; the message is <c>result.ToString()</c>.</summary>
    /// <param name="result">The failed result.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public GradCheckException(GradCheckResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).ToString())
    {
        Result = result;
    }

    /// <summary>Gets the result of the failed check, when the exception was created from one.</summary>
    public GradCheckResult? Result { get; }
}
