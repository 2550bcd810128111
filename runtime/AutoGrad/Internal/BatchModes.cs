using System.ComponentModel;

namespace AutoGrad.Internal;

/// <summary>
/// What one call of a generated batch kernel produces. A kernel is generic over its mode (a struct implementing
/// this interface); the JIT compiles each instantiation separately with these flags as constants, so a mode that
/// does not want the loss (or the gradients) does not compute it. Used by generated code; not part of the public contract.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IBatchMode
{
    /// <summary>The loss is summed over the batch (and returned by the kernel).</summary>
    static abstract bool AccumulatesLoss { get; }

    /// <summary>The loss of each example (row) is written to the output slot after the gradients.</summary>
    static abstract bool StoresLoss { get; }

    /// <summary>The gradients are written to output slots 0, 1, ....</summary>
    static abstract bool StoresGradients { get; }
}

/// <summary><c>MForward(..., Reduction)</c>: the reduced loss. Used by generated code; not part of the public contract.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ForwardMode : IBatchMode
{
    /// <inheritdoc/>
    public static bool AccumulatesLoss => true;

    /// <inheritdoc/>
    public static bool StoresLoss => false;

    /// <inheritdoc/>
    public static bool StoresGradients => false;
}

/// <summary><c>MForward(..., Span&lt;T&gt; losses)</c>: one loss per example. Used by generated code; not part of the public contract.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ForwardPerExampleMode : IBatchMode
{
    /// <inheritdoc/>
    public static bool AccumulatesLoss => false;

    /// <inheritdoc/>
    public static bool StoresLoss => true;

    /// <inheritdoc/>
    public static bool StoresGradients => false;
}

/// <summary><c>MBackward</c>: the gradients. Used by generated code; not part of the public contract.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BackwardMode : IBatchMode
{
    /// <inheritdoc/>
    public static bool AccumulatesLoss => false;

    /// <inheritdoc/>
    public static bool StoresLoss => false;

    /// <inheritdoc/>
    public static bool StoresGradients => true;
}

/// <summary><c>MForwardBackward</c>: the reduced loss and the gradients. Used by generated code; not part of the public contract.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ForwardBackwardMode : IBatchMode
{
    /// <inheritdoc/>
    public static bool AccumulatesLoss => true;

    /// <inheritdoc/>
    public static bool StoresLoss => false;

    /// <inheritdoc/>
    public static bool StoresGradients => true;
}
