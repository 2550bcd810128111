using System;
using System.ComponentModel;
using System.Globalization;

namespace AutoGrad.Internal;

/// <summary>
/// Helpers used by generated code; not part of the public contract. They may change between versions
/// together with the generator that emits calls to them.
/// </summary>
/// <remarks>
/// Comparisons produce 0/1 masks (1 where the comparison holds, IEEE semantics: any comparison with NaN is
/// false, except <see cref="NotEqual(Vec, Vec)"/> which is true). Operations on two vectors require equal
/// lengths and throw <see cref="ArgumentException"/> otherwise.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedHelpers
{
    /// <summary>Returns the sign of <paramref name="x"/>. Used by generated code; not part of the public contract.</summary>
    /// <param name="x">The value.</param>
    /// <returns>−1 for negative, 1 for positive, 0 for either zero, NaN for NaN.</returns>
    public static double Sign(double x) => x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x == 0.0 ? 0.0 : x;

    /// <summary>Returns the sign of every entry. Used by generated code; not part of the public contract.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Sign(double)"/> of each entry.</returns>
    public static Vec Sign(Vec x)
    {
        var source = x.AsSpan();
        var result = Vec.NewArray(source.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Sign(source[i]);
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns the mask of <c>a[i] &lt; b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operands; same length as <paramref name="a"/>.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Less(Vec a, Vec b) => Compare<LessOp>(a, b);

    /// <summary>Returns the mask of <c>a[i] &lt; b</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec Less(Vec a, double b) => Compare<LessOp>(a, b);

    /// <summary>Returns the mask of <c>a &lt; b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operands.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec Less(double a, Vec b) => Compare<LessOp>(a, b);

    /// <summary>Returns the mask of <c>a[i] &lt;= b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operands; same length as <paramref name="a"/>.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec LessOrEqual(Vec a, Vec b) => Compare<LessOrEqualOp>(a, b);

    /// <summary>Returns the mask of <c>a[i] &lt;= b</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec LessOrEqual(Vec a, double b) => Compare<LessOrEqualOp>(a, b);

    /// <summary>Returns the mask of <c>a &lt;= b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operands.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec LessOrEqual(double a, Vec b) => Compare<LessOrEqualOp>(a, b);

    /// <summary>Returns the mask of <c>a[i] &gt; b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operands; same length as <paramref name="a"/>.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Greater(Vec a, Vec b) => Compare<LessOp>(b, a);

    /// <summary>Returns the mask of <c>a[i] &gt; b</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec Greater(Vec a, double b) => Compare<LessOp>(b, a);

    /// <summary>Returns the mask of <c>a &gt; b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operands.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec Greater(double a, Vec b) => Compare<LessOp>(b, a);

    /// <summary>Returns the mask of <c>a[i] &gt;= b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operands; same length as <paramref name="a"/>.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec GreaterOrEqual(Vec a, Vec b) => Compare<LessOrEqualOp>(b, a);

    /// <summary>Returns the mask of <c>a[i] &gt;= b</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec GreaterOrEqual(Vec a, double b) => Compare<LessOrEqualOp>(b, a);

    /// <summary>Returns the mask of <c>a &gt;= b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operands.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec GreaterOrEqual(double a, Vec b) => Compare<LessOrEqualOp>(b, a);

    /// <summary>Returns the mask of <c>a[i] == b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operands; same length as <paramref name="a"/>.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Equal(Vec a, Vec b) => Compare<EqualOp>(a, b);

    /// <summary>Returns the mask of <c>a[i] == b</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec Equal(Vec a, double b) => Compare<EqualOp>(a, b);

    /// <summary>Returns the mask of <c>a == b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operands.</param>
    /// <returns>1 where the comparison holds, 0 elsewhere.</returns>
    public static Vec Equal(double a, Vec b) => Compare<EqualOp>(a, b);

    /// <summary>Returns the mask of <c>a[i] != b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operands; same length as <paramref name="a"/>.</param>
    /// <returns>1 where the comparison holds (NaN is unequal to everything), 0 elsewhere.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec NotEqual(Vec a, Vec b) => Compare<NotEqualOp>(a, b);

    /// <summary>Returns the mask of <c>a[i] != b</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operands.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>1 where the comparison holds (NaN is unequal to everything), 0 elsewhere.</returns>
    public static Vec NotEqual(Vec a, double b) => Compare<NotEqualOp>(a, b);

    /// <summary>Returns the mask of <c>a != b[i]</c>. Used by generated code; not part of the public contract.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operands.</param>
    /// <returns>1 where the comparison holds (NaN is unequal to everything), 0 elsewhere.</returns>
    public static Vec NotEqual(double a, Vec b) => Compare<NotEqualOp>(a, b);

    /// <summary>
    /// Returns <c>mask[i] != 0 ? whenTrue[i] : whenFalse[i]</c> for every entry (a NaN mask entry counts as true).
    /// Used by generated code; not part of the public contract.
    /// </summary>
    /// <param name="mask">The condition, usually a 0/1 mask from a comparison helper.</param>
    /// <param name="whenTrue">The entries taken where the mask is nonzero.</param>
    /// <param name="whenFalse">The entries taken where the mask is zero.</param>
    /// <returns>The selected entries.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Select(Vec mask, Vec whenTrue, Vec whenFalse)
    {
        Vec.RequireSameLength(mask, whenTrue, nameof(whenTrue));
        Vec.RequireSameLength(mask, whenFalse, nameof(whenFalse));
        var m = mask.AsSpan();
        var t = whenTrue.AsSpan();
        var f = whenFalse.AsSpan();
        var result = Vec.NewArray(m.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = m[i] != 0.0 ? t[i] : f[i];
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>
    /// Returns <c>mask[i] != 0 ? whenTrue : whenFalse[i]</c> for every entry. Used by generated code; not part of the public contract.
    /// </summary>
    /// <param name="mask">The condition, usually a 0/1 mask from a comparison helper.</param>
    /// <param name="whenTrue">The value taken where the mask is nonzero.</param>
    /// <param name="whenFalse">The entries taken where the mask is zero.</param>
    /// <returns>The selected entries.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Select(Vec mask, double whenTrue, Vec whenFalse)
    {
        Vec.RequireSameLength(mask, whenFalse, nameof(whenFalse));
        var m = mask.AsSpan();
        var f = whenFalse.AsSpan();
        var result = Vec.NewArray(m.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = m[i] != 0.0 ? whenTrue : f[i];
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>
    /// Returns <c>mask[i] != 0 ? whenTrue[i] : whenFalse</c> for every entry. Used by generated code; not part of the public contract.
    /// </summary>
    /// <param name="mask">The condition, usually a 0/1 mask from a comparison helper.</param>
    /// <param name="whenTrue">The entries taken where the mask is nonzero.</param>
    /// <param name="whenFalse">The value taken where the mask is zero.</param>
    /// <returns>The selected entries.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Select(Vec mask, Vec whenTrue, double whenFalse)
    {
        Vec.RequireSameLength(mask, whenTrue, nameof(whenTrue));
        var m = mask.AsSpan();
        var t = whenTrue.AsSpan();
        var result = Vec.NewArray(m.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = m[i] != 0.0 ? t[i] : whenFalse;
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>
    /// Returns <c>mask[i] != 0 ? whenTrue : whenFalse</c> for every entry. Used by generated code; not part of the public contract.
    /// </summary>
    /// <param name="mask">The condition, usually a 0/1 mask from a comparison helper.</param>
    /// <param name="whenTrue">The value taken where the mask is nonzero.</param>
    /// <param name="whenFalse">The value taken where the mask is zero.</param>
    /// <returns>The selected entries.</returns>
    public static Vec Select(Vec mask, double whenTrue, double whenFalse)
    {
        var m = mask.AsSpan();
        var result = Vec.NewArray(m.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = m[i] != 0.0 ? whenTrue : whenFalse;
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>
    /// Returns a vector of <paramref name="length"/> entries equal to <paramref name="value"/> (as <see cref="Vec.Fill"/>).
    /// Used by generated code; not part of the public contract.
    /// </summary>
    /// <param name="length">The number of entries; not negative.</param>
    /// <param name="value">The value of every entry.</param>
    /// <returns>The new vector.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vec Broadcast(int length, double value) => Vec.Fill(length, value);

    /// <summary>
    /// Returns the common length (the class count) of the <see cref="Vec"/> parameters of a loss.
    /// Used by generated code; not part of the public contract.
    /// </summary>
    /// <param name="vectors">The vectors; at least one.</param>
    /// <returns>The length shared by all of <paramref name="vectors"/>.</returns>
    /// <exception cref="ArgumentException">No vector is given, or two lengths differ.</exception>
    public static int ClassCount(params Vec[] vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        return ClassCount((ReadOnlySpan<Vec>)vectors);
    }

    /// <summary>
    /// Returns the common length (the class count) of the <see cref="Vec"/> parameters of a loss, without
    /// allocating a params array. Used by generated code; not part of the public contract.
    /// </summary>
    /// <param name="vectors">The vectors; at least one.</param>
    /// <returns>The length shared by all of <paramref name="vectors"/>.</returns>
    /// <exception cref="ArgumentException">No vector is given, or two lengths differ.</exception>
    public static int ClassCount(params ReadOnlySpan<Vec> vectors)
    {
        if (vectors.IsEmpty)
        {
            throw new ArgumentException("At least one Vec is needed to determine the class count.", nameof(vectors));
        }

        var length = vectors[0].Length;
        for (var i = 1; i < vectors.Length; i++)
        {
            if (vectors[i].Length != length)
            {
                throw new ArgumentException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Class count mismatch: all Vec parameters of a loss must have the same length (argument 0 has length {length}, argument {i} has length {vectors[i].Length})."),
                    nameof(vectors));
            }
        }

        return length;
    }

    private static Vec Compare<TOp>(Vec a, Vec b)
        where TOp : struct, IComparisonOp
    {
        Vec.RequireSameLength(a, b, nameof(b));
        var x = a.AsSpan();
        var y = b.AsSpan();
        var result = Vec.NewArray(x.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = TOp.Holds(x[i], y[i]) ? 1.0 : 0.0;
        }

        return Vec.FromArrayUnsafe(result);
    }

    private static Vec Compare<TOp>(Vec a, double b)
        where TOp : struct, IComparisonOp
    {
        var x = a.AsSpan();
        var result = Vec.NewArray(x.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = TOp.Holds(x[i], b) ? 1.0 : 0.0;
        }

        return Vec.FromArrayUnsafe(result);
    }

    private static Vec Compare<TOp>(double a, Vec b)
        where TOp : struct, IComparisonOp
    {
        var y = b.AsSpan();
        var result = Vec.NewArray(y.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = TOp.Holds(a, y[i]) ? 1.0 : 0.0;
        }

        return Vec.FromArrayUnsafe(result);
    }

    private interface IComparisonOp
    {
        static abstract bool Holds(double a, double b);
    }

    private readonly struct LessOp : IComparisonOp
    {
        public static bool Holds(double a, double b) => a < b;
    }

    private readonly struct LessOrEqualOp : IComparisonOp
    {
        public static bool Holds(double a, double b) => a <= b;
    }

    private readonly struct EqualOp : IComparisonOp
    {
        public static bool Holds(double a, double b) => a == b;
    }

    private readonly struct NotEqualOp : IComparisonOp
    {
        public static bool Holds(double a, double b) => a != b;
    }
}
