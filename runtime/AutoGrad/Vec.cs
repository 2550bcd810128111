using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text;

namespace AutoGrad;

/// <summary>
/// An immutable vector of <see cref="double"/> values with elementwise arithmetic, used for the
/// vector-valued parameters of <see cref="LossAttribute">[Loss]</see> methods (logits, class targets, ...).
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="Vec"/> owns its storage: every way of building one from caller data
/// (<see cref="op_Implicit(double[])"/>, <see cref="Create(ReadOnlySpan{double})"/>) copies, and every
/// way of getting data out (<see cref="ToArray"/>) copies or is read-only (<see cref="AsSpan"/>), so a
/// value never changes once created. <c>default(Vec)</c> is the empty vector.
/// </para>
/// <para>
/// Binary operators between two vectors require equal lengths and throw <see cref="ArgumentException"/>
/// otherwise; operators between a vector and a <see cref="double"/> apply the scalar to every entry.
/// Equality is by value with <see cref="double.Equals(double)"/> semantics (NaN equals NaN, and
/// <c>0.0</c> equals <c>-0.0</c>).
/// </para>
/// <para>A collection expression builds a vector: <c>Vec v = [0.1, 0.5, 0.4];</c>.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
[CollectionBuilder(typeof(Vec), nameof(Create))]
public readonly struct Vec : IEquatable<Vec>, IEnumerable<double>
{
    private readonly double[]? _values;

    private Vec(double[] values)
    {
        _values = values;
    }

    /// <summary>Gets the number of entries.</summary>
    public int Length => _values?.Length ?? 0;

    /// <summary>Gets the entry at <paramref name="index"/>.</summary>
    /// <param name="index">A zero-based index, less than <see cref="Length"/>.</param>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Length"/>.</exception>
    public double this[int index] => AsSpan()[index];

    /// <summary>Returns a new array holding a copy of the entries.</summary>
    /// <returns>A new array of length <see cref="Length"/>; later changes to it do not affect this vector.</returns>
    public double[] ToArray() => AsSpan().ToArray();

    /// <summary>Returns a read-only view of the entries, without copying.</summary>
    /// <returns>A span over the entries; empty for <c>default(Vec)</c>.</returns>
    public ReadOnlySpan<double> AsSpan() => new(_values);

    /// <summary>Creates a vector holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The entries. The array is copied, so later changes to it do not affect the vector.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    public static implicit operator Vec(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Create(values);
    }

    /// <summary>Creates a vector holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The entries to copy.</param>
    /// <returns>A new vector with the same entries.</returns>
    public static Vec Create(ReadOnlySpan<double> values) => new(values.ToArray());

    /// <summary>Creates a vector of <paramref name="length"/> entries, all equal to <paramref name="value"/>.</summary>
    /// <param name="length">The number of entries; not negative.</param>
    /// <param name="value">The value of every entry.</param>
    /// <returns>The new vector.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vec Fill(int length, double value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
        {
            return default;
        }

        var values = GC.AllocateUninitializedArray<double>(length);
        values.AsSpan().Fill(value);
        return new Vec(values);
    }

    /// <summary>Creates a vector of <paramref name="length"/> zeros.</summary>
    /// <param name="length">The number of entries; not negative.</param>
    /// <returns>The new vector.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vec Zeros(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return length == 0 ? default : new Vec(new double[length]);
    }

    /// <summary>
    /// Wraps <paramref name="values"/> without copying. The caller gives up the array: it must never be
    /// written again, or the vector would change.
    /// </summary>
    internal static Vec FromArrayUnsafe(double[] values) => values.Length == 0 ? default : new Vec(values);

    /// <summary>Allocates an uninitialized result array of the given length (empty arrays are shared).</summary>
    internal static double[] NewArray(int length) =>
        length == 0 ? Array.Empty<double>() : GC.AllocateUninitializedArray<double>(length);

    /// <summary>Throws unless <paramref name="left"/> and <paramref name="right"/> have the same length.</summary>
    internal static void RequireSameLength(Vec left, Vec right, string? rightName = null)
    {
        if (left.Length != right.Length)
        {
            ThrowLengthMismatch(left.Length, right.Length, rightName);
        }
    }

    private static void ThrowLengthMismatch(int left, int right, string? rightName) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"Vec lengths differ: {left} and {right}. Elementwise operations need vectors of the same length."),
            rightName);

    /// <summary>Adds two vectors entry by entry.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand; same length as <paramref name="left"/>.</param>
    /// <returns>The vector of sums.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec operator +(Vec left, Vec right)
    {
        RequireSameLength(left, right, nameof(right));
        var result = NewArray(left.Length);
        TensorPrimitives.Add(left.AsSpan(), right.AsSpan(), result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Adds <paramref name="right"/> to every entry of <paramref name="left"/>.</summary>
    /// <param name="left">The vector.</param>
    /// <param name="right">The scalar.</param>
    /// <returns>The vector of sums.</returns>
    public static Vec operator +(Vec left, double right)
    {
        var result = NewArray(left.Length);
        TensorPrimitives.Add(left.AsSpan(), right, result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Adds <paramref name="left"/> to every entry of <paramref name="right"/>.</summary>
    /// <param name="left">The scalar.</param>
    /// <param name="right">The vector.</param>
    /// <returns>The vector of sums.</returns>
    public static Vec operator +(double left, Vec right) => right + left;

    /// <summary>Subtracts two vectors entry by entry.</summary>
    /// <param name="left">The minuend.</param>
    /// <param name="right">The subtrahend; same length as <paramref name="left"/>.</param>
    /// <returns>The vector of differences.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec operator -(Vec left, Vec right)
    {
        RequireSameLength(left, right, nameof(right));
        var result = NewArray(left.Length);
        TensorPrimitives.Subtract(left.AsSpan(), right.AsSpan(), result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Subtracts <paramref name="right"/> from every entry of <paramref name="left"/>.</summary>
    /// <param name="left">The vector.</param>
    /// <param name="right">The scalar.</param>
    /// <returns>The vector of differences.</returns>
    public static Vec operator -(Vec left, double right)
    {
        var result = NewArray(left.Length);
        TensorPrimitives.Subtract(left.AsSpan(), right, result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Subtracts every entry of <paramref name="right"/> from <paramref name="left"/>.</summary>
    /// <param name="left">The scalar.</param>
    /// <param name="right">The vector.</param>
    /// <returns>The vector of differences <c>left - right[i]</c>.</returns>
    public static Vec operator -(double left, Vec right)
    {
        var result = NewArray(right.Length);
        TensorPrimitives.Subtract(left, right.AsSpan(), result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Multiplies two vectors entry by entry (the Hadamard product).</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor; same length as <paramref name="left"/>.</param>
    /// <returns>The vector of products.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec operator *(Vec left, Vec right)
    {
        RequireSameLength(left, right, nameof(right));
        var result = NewArray(left.Length);
        TensorPrimitives.Multiply(left.AsSpan(), right.AsSpan(), result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Multiplies every entry of <paramref name="left"/> by <paramref name="right"/>.</summary>
    /// <param name="left">The vector.</param>
    /// <param name="right">The scalar.</param>
    /// <returns>The vector of products.</returns>
    public static Vec operator *(Vec left, double right)
    {
        var result = NewArray(left.Length);
        TensorPrimitives.Multiply(left.AsSpan(), right, result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Multiplies every entry of <paramref name="right"/> by <paramref name="left"/>.</summary>
    /// <param name="left">The scalar.</param>
    /// <param name="right">The vector.</param>
    /// <returns>The vector of products.</returns>
    public static Vec operator *(double left, Vec right) => right * left;

    /// <summary>Divides two vectors entry by entry.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor; same length as <paramref name="left"/>.</param>
    /// <returns>The vector of quotients.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec operator /(Vec left, Vec right)
    {
        RequireSameLength(left, right, nameof(right));
        var result = NewArray(left.Length);
        TensorPrimitives.Divide(left.AsSpan(), right.AsSpan(), result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Divides every entry of <paramref name="left"/> by <paramref name="right"/>.</summary>
    /// <param name="left">The vector.</param>
    /// <param name="right">The scalar divisor.</param>
    /// <returns>The vector of quotients.</returns>
    public static Vec operator /(Vec left, double right)
    {
        var result = NewArray(left.Length);
        TensorPrimitives.Divide(left.AsSpan(), right, result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Divides <paramref name="left"/> by every entry of <paramref name="right"/>.</summary>
    /// <param name="left">The scalar dividend.</param>
    /// <param name="right">The vector of divisors.</param>
    /// <returns>The vector of quotients <c>left / right[i]</c>.</returns>
    public static Vec operator /(double left, Vec right)
    {
        var result = NewArray(right.Length);
        TensorPrimitives.Divide(left, right.AsSpan(), result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Negates every entry.</summary>
    /// <param name="value">The vector.</param>
    /// <returns>The vector of negated entries.</returns>
    public static Vec operator -(Vec value)
    {
        var result = NewArray(value.Length);
        TensorPrimitives.Negate(value.AsSpan(), result);
        return FromArrayUnsafe(result);
    }

    /// <summary>Returns whether two vectors have the same length and equal entries.</summary>
    /// <param name="left">The first vector.</param>
    /// <param name="right">The second vector.</param>
    /// <returns><see langword="true"/> when the vectors are equal by <see cref="Equals(Vec)"/>.</returns>
    public static bool operator ==(Vec left, Vec right) => left.Equals(right);

    /// <summary>Returns whether two vectors differ in length or in some entry.</summary>
    /// <param name="left">The first vector.</param>
    /// <param name="right">The second vector.</param>
    /// <returns><see langword="true"/> when the vectors are not equal by <see cref="Equals(Vec)"/>.</returns>
    public static bool operator !=(Vec left, Vec right) => !left.Equals(right);

    /// <summary>
    /// Returns whether <paramref name="other"/> has the same length and equal entries, compared with
    /// <see cref="double.Equals(double)"/> (NaN equals NaN; <c>0.0</c> equals <c>-0.0</c>).
    /// </summary>
    /// <param name="other">The vector to compare with.</param>
    /// <returns><see langword="true"/> when the vectors are equal.</returns>
    public bool Equals(Vec other)
    {
        var a = AsSpan();
        var b = other.AsSpan();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns whether <paramref name="obj"/> is a <see cref="Vec"/> equal to this one.</summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns><see langword="true"/> when <paramref name="obj"/> is an equal <see cref="Vec"/>.</returns>
    public override bool Equals(object? obj) => obj is Vec other && Equals(other);

    /// <summary>Returns a hash code consistent with <see cref="Equals(Vec)"/>.</summary>
    /// <returns>A hash of the length and all entries.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Length);
        foreach (var value in AsSpan())
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>
    /// Formats the vector as its entries in brackets separated by single spaces, for example
    /// <c>[0.1 0.5 0.4]</c>, each in the shortest round-trippable invariant-culture form. The empty vector is <c>[]</c>.
    /// </summary>
    /// <returns>The formatted vector.</returns>
    public override string ToString()
    {
        var values = AsSpan();
        var builder = new StringBuilder(2 + (values.Length * 8));
        builder.Append('[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(values[i].ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(']').ToString();
    }

    /// <summary>Returns an enumerator over the entries that does not allocate.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_values);

    /// <inheritdoc/>
    IEnumerator<double> IEnumerable<double>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates the entries of a <see cref="Vec"/>.</summary>
    public struct Enumerator : IEnumerator<double>
    {
        private readonly double[]? _values;
        private int _index;

        internal Enumerator(double[]? values)
        {
            _values = values;
            _index = -1;
        }

        /// <summary>Gets the entry at the current position.</summary>
        public readonly double Current => _values![_index];

        /// <inheritdoc/>
        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next entry.</summary>
        /// <returns><see langword="true"/> if there is a next entry; <see langword="false"/> at the end.</returns>
        public bool MoveNext()
        {
            var length = _values?.Length ?? 0;
            if (_index < length)
            {
                _index++;
            }

            return _index < length;
        }

        /// <summary>Moves back to before the first entry.</summary>
        public void Reset() => _index = -1;

        /// <summary>Does nothing; the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
