using System;
using System.ComponentModel;

namespace AutoGrad.Internal;

/// <summary>
/// The spans and numbers of one call of a generated batch kernel, as handed to each chunk of it
/// (<see cref="BatchRunner"/>). Inputs go in <c>In0</c>, <c>In1</c>, ... in the loss's declaration order (a
/// <c>[Constant]</c> number as a one-element span); outputs (gradients, or per-example losses) in <c>Out0</c>, ....
/// Used by generated code; not part of the public contract.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct BatchArgs<T>
    where T : unmanaged
{
    /// <summary>The number of span slots of each kind.</summary>
    public const int Slots = 16;

    /// <summary>Input slot 0.</summary>
    public ReadOnlySpan<T> In0;

    /// <summary>Input slot 1.</summary>
    public ReadOnlySpan<T> In1;

    /// <summary>Input slot 2.</summary>
    public ReadOnlySpan<T> In2;

    /// <summary>Input slot 3.</summary>
    public ReadOnlySpan<T> In3;

    /// <summary>Input slot 4.</summary>
    public ReadOnlySpan<T> In4;

    /// <summary>Input slot 5.</summary>
    public ReadOnlySpan<T> In5;

    /// <summary>Input slot 6.</summary>
    public ReadOnlySpan<T> In6;

    /// <summary>Input slot 7.</summary>
    public ReadOnlySpan<T> In7;

    /// <summary>Input slot 8.</summary>
    public ReadOnlySpan<T> In8;

    /// <summary>Input slot 9.</summary>
    public ReadOnlySpan<T> In9;

    /// <summary>Input slot 10.</summary>
    public ReadOnlySpan<T> In10;

    /// <summary>Input slot 11.</summary>
    public ReadOnlySpan<T> In11;

    /// <summary>Input slot 12.</summary>
    public ReadOnlySpan<T> In12;

    /// <summary>Input slot 13.</summary>
    public ReadOnlySpan<T> In13;

    /// <summary>Input slot 14.</summary>
    public ReadOnlySpan<T> In14;

    /// <summary>Input slot 15.</summary>
    public ReadOnlySpan<T> In15;

    /// <summary>Output slot 0.</summary>
    public Span<T> Out0;

    /// <summary>Output slot 1.</summary>
    public Span<T> Out1;

    /// <summary>Output slot 2.</summary>
    public Span<T> Out2;

    /// <summary>Output slot 3.</summary>
    public Span<T> Out3;

    /// <summary>Output slot 4.</summary>
    public Span<T> Out4;

    /// <summary>Output slot 5.</summary>
    public Span<T> Out5;

    /// <summary>Output slot 6.</summary>
    public Span<T> Out6;

    /// <summary>Output slot 7.</summary>
    public Span<T> Out7;

    /// <summary>Output slot 8.</summary>
    public Span<T> Out8;

    /// <summary>Output slot 9.</summary>
    public Span<T> Out9;

    /// <summary>Output slot 10.</summary>
    public Span<T> Out10;

    /// <summary>Output slot 11.</summary>
    public Span<T> Out11;

    /// <summary>Output slot 12.</summary>
    public Span<T> Out12;

    /// <summary>Output slot 13.</summary>
    public Span<T> Out13;

    /// <summary>Output slot 14.</summary>
    public Span<T> Out14;

    /// <summary>Output slot 15.</summary>
    public Span<T> Out15;

    /// <summary>The factor the gradients carry: 1/N under <see cref="Reduction.Mean"/>, 1 under <see cref="Reduction.Sum"/>.</summary>
    public T Scale;

    /// <summary>The class count of a vector loss (1 for a scalar loss).</summary>
    public int Classes;

    /// <summary>Input slot <paramref name="index"/>.</summary>
    public readonly ReadOnlySpan<T> GetIn(int index) => index switch
    {
        0 => In0,
        1 => In1,
        2 => In2,
        3 => In3,
        4 => In4,
        5 => In5,
        6 => In6,
        7 => In7,
        8 => In8,
        9 => In9,
        10 => In10,
        11 => In11,
        12 => In12,
        13 => In13,
        14 => In14,
        15 => In15,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Output slot <paramref name="index"/>.</summary>
    public readonly Span<T> GetOut(int index) => index switch
    {
        0 => Out0,
        1 => Out1,
        2 => Out2,
        3 => Out3,
        4 => Out4,
        5 => Out5,
        6 => Out6,
        7 => Out7,
        8 => Out8,
        9 => Out9,
        10 => Out10,
        11 => Out11,
        12 => Out12,
        13 => Out13,
        14 => Out14,
        15 => Out15,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Sets input slot <paramref name="index"/>.</summary>
    public void SetIn(int index, ReadOnlySpan<T> span)
    {
        switch (index)
        {
            case 0: In0 = span; break;
            case 1: In1 = span; break;
            case 2: In2 = span; break;
            case 3: In3 = span; break;
            case 4: In4 = span; break;
            case 5: In5 = span; break;
            case 6: In6 = span; break;
            case 7: In7 = span; break;
            case 8: In8 = span; break;
            case 9: In9 = span; break;
            case 10: In10 = span; break;
            case 11: In11 = span; break;
            case 12: In12 = span; break;
            case 13: In13 = span; break;
            case 14: In14 = span; break;
            case 15: In15 = span; break;
            default: throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    /// <summary>Sets output slot <paramref name="index"/>.</summary>
    public void SetOut(int index, Span<T> span)
    {
        switch (index)
        {
            case 0: Out0 = span; break;
            case 1: Out1 = span; break;
            case 2: Out2 = span; break;
            case 3: Out3 = span; break;
            case 4: Out4 = span; break;
            case 5: Out5 = span; break;
            case 6: Out6 = span; break;
            case 7: Out7 = span; break;
            case 8: Out8 = span; break;
            case 9: Out9 = span; break;
            case 10: Out10 = span; break;
            case 11: Out11 = span; break;
            case 12: Out12 = span; break;
            case 13: Out13 = span; break;
            case 14: Out14 = span; break;
            case 15: Out15 = span; break;
            default: throw new ArgumentOutOfRangeException(nameof(index));
        }
    }
}

/// <summary>
/// One chunk of a generated batch kernel: examples (or rows) <paramref name="start"/> to <paramref name="end"/> − 1.
/// Returns the chunk's loss sum in double (0 when the kernel computes no loss sum).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="args">The call's spans.</param>
/// <param name="start">The first example (row) of the chunk.</param>
/// <param name="end">One past the last example (row) of the chunk.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate double BatchChunk<T>(scoped in BatchArgs<T> args, int start, int end)
    where T : unmanaged;
