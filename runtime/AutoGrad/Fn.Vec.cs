using System;
using System.Numerics.Tensors;

namespace AutoGrad;

public static partial class Fn
{
    /// <summary>Returns the natural logarithm of every entry.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Log(double)"/> of each entry.</returns>
    public static Vec Log(Vec x) => Map<LogOp>(x);

    /// <summary>Returns <c>e</c> raised to every entry.</summary>
    /// <param name="x">The vector of exponents.</param>
    /// <returns>The vector of <see cref="Exp(double)"/> of each entry.</returns>
    public static Vec Exp(Vec x) => Map<ExpOp>(x);

    /// <summary>Returns the square root of every entry.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Sqrt(double)"/> of each entry.</returns>
    public static Vec Sqrt(Vec x)
    {
        var result = Vec.NewArray(x.Length);
        TensorPrimitives.Sqrt(x.AsSpan(), result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns the absolute value of every entry.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Abs(double)"/> of each entry.</returns>
    public static Vec Abs(Vec x)
    {
        var result = Vec.NewArray(x.Length);
        TensorPrimitives.Abs(x.AsSpan(), result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns every entry squared.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Square(double)"/> of each entry.</returns>
    public static Vec Square(Vec x)
    {
        var result = Vec.NewArray(x.Length);
        TensorPrimitives.Multiply(x.AsSpan(), x.AsSpan(), result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Raises every entry to the power <paramref name="p"/>.</summary>
    /// <param name="x">The vector of bases.</param>
    /// <param name="p">The exponent.</param>
    /// <returns>The vector of <see cref="Pow(double, double)"/> of each entry and <paramref name="p"/>.</returns>
    public static Vec Pow(Vec x, double p)
    {
        var source = x.AsSpan();
        var result = Vec.NewArray(source.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Math.Pow(source[i], p);
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Raises every entry of <paramref name="x"/> to the power of the matching entry of <paramref name="p"/>.</summary>
    /// <param name="x">The vector of bases.</param>
    /// <param name="p">The vector of exponents; same length as <paramref name="x"/>.</param>
    /// <returns>The vector of <see cref="Pow(double, double)"/> of matching entries.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Pow(Vec x, Vec p)
    {
        Vec.RequireSameLength(x, p, nameof(p));
        var bases = x.AsSpan();
        var exponents = p.AsSpan();
        var result = Vec.NewArray(bases.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Math.Pow(bases[i], exponents[i]);
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns <c>ln(1 + x)</c> of every entry, accurate for tiny entries.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Log1P(double)"/> of each entry.</returns>
    public static Vec Log1P(Vec x) => Map<Log1POp>(x);

    /// <summary>Returns <c>eˣ − 1</c> of every entry, accurate for tiny entries.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="ExpM1(double)"/> of each entry.</returns>
    public static Vec ExpM1(Vec x) => Map<ExpM1Op>(x);

    /// <summary>Returns the logistic sigmoid of every entry, without overflow.</summary>
    /// <param name="x">The vector of logits.</param>
    /// <returns>The vector of <see cref="Sigmoid(double)"/> of each entry.</returns>
    public static Vec Sigmoid(Vec x) => Map<SigmoidOp>(x);

    /// <summary>Returns <c>ln(Sigmoid(x))</c> of every entry, computed stably.</summary>
    /// <param name="x">The vector of logits.</param>
    /// <returns>The vector of <see cref="LogSigmoid(double)"/> of each entry.</returns>
    public static Vec LogSigmoid(Vec x) => Map<LogSigmoidOp>(x);

    /// <summary>Returns <c>ln(1 + eˣ)</c> of every entry, computed stably.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Softplus(double)"/> of each entry.</returns>
    public static Vec Softplus(Vec x) => Map<SoftplusOp>(x);

    /// <summary>Returns the hyperbolic tangent of every entry.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The vector of <see cref="Tanh(double)"/> of each entry.</returns>
    public static Vec Tanh(Vec x) => Map<TanhOp>(x);

    /// <summary>Returns the larger of matching entries.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector; same length as <paramref name="x"/>.</param>
    /// <returns>The vector of <see cref="Max(double, double)"/> of matching entries.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Max(Vec x, Vec y)
    {
        Vec.RequireSameLength(x, y, nameof(y));
        var result = Vec.NewArray(x.Length);
        TensorPrimitives.Max(x.AsSpan(), y.AsSpan(), result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns the larger of every entry and <paramref name="y"/>.</summary>
    /// <param name="x">The vector.</param>
    /// <param name="y">The scalar.</param>
    /// <returns>The vector of <see cref="Max(double, double)"/> of each entry and <paramref name="y"/>.</returns>
    public static Vec Max(Vec x, double y)
    {
        var result = Vec.NewArray(x.Length);
        TensorPrimitives.Max(x.AsSpan(), y, result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns the larger of <paramref name="x"/> and every entry.</summary>
    /// <param name="x">The scalar.</param>
    /// <param name="y">The vector.</param>
    /// <returns>The vector of <see cref="Max(double, double)"/> of <paramref name="x"/> and each entry.</returns>
    public static Vec Max(double x, Vec y) => Max(y, x);

    /// <summary>Returns the smaller of matching entries.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector; same length as <paramref name="x"/>.</param>
    /// <returns>The vector of <see cref="Min(double, double)"/> of matching entries.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vec Min(Vec x, Vec y)
    {
        Vec.RequireSameLength(x, y, nameof(y));
        var result = Vec.NewArray(x.Length);
        TensorPrimitives.Min(x.AsSpan(), y.AsSpan(), result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns the smaller of every entry and <paramref name="y"/>.</summary>
    /// <param name="x">The vector.</param>
    /// <param name="y">The scalar.</param>
    /// <returns>The vector of <see cref="Min(double, double)"/> of each entry and <paramref name="y"/>.</returns>
    public static Vec Min(Vec x, double y)
    {
        var result = Vec.NewArray(x.Length);
        TensorPrimitives.Min(x.AsSpan(), y, result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns the smaller of <paramref name="x"/> and every entry.</summary>
    /// <param name="x">The scalar.</param>
    /// <param name="y">The vector.</param>
    /// <returns>The vector of <see cref="Min(double, double)"/> of <paramref name="x"/> and each entry.</returns>
    public static Vec Min(double x, Vec y) => Min(y, x);

    /// <summary>Limits every entry to the range [<paramref name="lo"/>, <paramref name="hi"/>].</summary>
    /// <param name="x">The vector.</param>
    /// <param name="lo">The lower bound.</param>
    /// <param name="hi">The upper bound; not less than <paramref name="lo"/>.</param>
    /// <returns>The vector of <see cref="Clamp(double, double, double)"/> of each entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="lo"/> is greater than <paramref name="hi"/>.</exception>
    public static Vec Clamp(Vec x, double lo, double hi)
    {
        if (lo > hi)
        {
            _ = Math.Clamp(0.0, lo, hi); // throws the standard ArgumentException
        }

        var source = x.AsSpan();
        var result = Vec.NewArray(source.Length);
        for (var i = 0; i < result.Length; i++)
        {
            var v = source[i];
            result[i] = v < lo ? lo : v > hi ? hi : v;
        }

        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns the sum of the entries, summed pairwise for accuracy.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum; 0 for the empty vector.</returns>
    public static double Sum(Vec x) => Summation.Sum(x.AsSpan());

    /// <summary>Returns the arithmetic mean of the entries.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The mean; NaN for the empty vector. Finite whenever every entry is finite (the sum is rescaled if it overflows).</returns>
    public static double Mean(Vec x)
    {
        var values = x.AsSpan();
        var n = values.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var sum = Summation.Sum(values);
        if (double.IsInfinity(sum) && AllFinite(values))
        {
            // Overflow of finite entries: sum the pre-scaled entries instead.
            return Summation.ScaledSum(values, 1.0 / n);
        }

        return sum / n;
    }

    /// <summary>Returns the largest entry.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The largest entry; NaN if any entry is NaN; <see cref="double.NegativeInfinity"/> (the identity of max) for the empty vector.</returns>
    public static double Max(Vec x)
    {
        var values = x.AsSpan();
        return values.IsEmpty ? double.NegativeInfinity : TensorPrimitives.Max(values);
    }

    /// <summary>Returns the dot product <c>Σ x[i]·y[i]</c>, summed pairwise for accuracy.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector; same length as <paramref name="x"/>.</param>
    /// <returns>The dot product; 0 for empty vectors.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double Dot(Vec x, Vec y)
    {
        Vec.RequireSameLength(x, y, nameof(y));
        return Summation.Dot(x.AsSpan(), y.AsSpan());
    }

    /// <summary>Returns <c>ln Σ e^x[i]</c>, computed stably by shifting out the maximum.</summary>
    /// <param name="x">The vector (typically logits).</param>
    /// <returns>
    /// <c>m + Log1P(Σ_{i≠k} e^(x[i] − m))</c> where <c>m = x[k]</c> is the maximum: finite for finite entries
    /// of any size (1000 for <c>[1000, 0, −1000]</c>). <see cref="double.NegativeInfinity"/> for the empty
    /// vector or when every entry is −∞; <see cref="double.PositiveInfinity"/> when some entry is +∞;
    /// NaN when some entry is NaN.
    /// </returns>
    public static double LogSumExp(Vec x)
    {
        var values = x.AsSpan();
        if (values.IsEmpty)
        {
            return double.NegativeInfinity;
        }

        var max = Summation.MaxWithIndex(values, out var argMax);
        if (!double.IsFinite(max))
        {
            return max;
        }

        return max + Log1P(SumExpShiftedExcept(values, max, argMax));
    }

    /// <summary>Returns the softmax <c>e^x[i] / Σ e^x[j]</c>, computed stably by shifting out the maximum.</summary>
    /// <param name="x">The vector of logits.</param>
    /// <returns>
    /// A probability vector: entries in [0, 1] summing to 1, finite for finite logits of any size
    /// (<c>[1, 0, 0]</c> for <c>[1000, 0, −1000]</c>). Entries equal to +∞ share the mass equally (the limit);
    /// every entry is NaN when some logit is NaN or every logit is −∞ (0/0). Empty for the empty vector.
    /// </returns>
    public static Vec Softmax(Vec x)
    {
        var values = x.AsSpan();
        if (values.IsEmpty)
        {
            return default;
        }

        var result = Vec.NewArray(values.Length);
        var max = Summation.MaxWithIndex(values, out _);
        if (double.IsPositiveInfinity(max))
        {
            var share = 1.0 / Count(values, double.PositiveInfinity);
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = double.IsPositiveInfinity(values[i]) ? share : 0.0;
            }

            return Vec.FromArrayUnsafe(result);
        }

        if (!double.IsFinite(max))
        {
            result.AsSpan().Fill(double.NaN);
            return Vec.FromArrayUnsafe(result);
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Math.Exp(values[i] - max);
        }

        // The sum is at least 1 (the maximum contributes e⁰), so the division is safe.
        TensorPrimitives.Divide(result, Summation.Sum(result), result);
        return Vec.FromArrayUnsafe(result);
    }

    /// <summary>Returns <c>x − LogSumExp(x)</c>, the logarithm of <see cref="Softmax"/>, computed stably.</summary>
    /// <param name="x">The vector of logits.</param>
    /// <returns>
    /// <c>(x[i] − m) − Log1P(Σ_{j≠k} e^(x[j] − m))</c> with <c>m = x[k]</c> the maximum: finite for finite
    /// logits of any size (<c>[0, −1000, −2000]</c> for <c>[1000, 0, −1000]</c>). Entries equal to +∞ get
    /// <c>−ln(count of +∞)</c> and the others −∞; every entry is NaN when some logit is NaN or every logit is −∞.
    /// Empty for the empty vector.
    /// </returns>
    public static Vec LogSoftmax(Vec x)
    {
        var values = x.AsSpan();
        if (values.IsEmpty)
        {
            return default;
        }

        var result = Vec.NewArray(values.Length);
        var max = Summation.MaxWithIndex(values, out var argMax);
        if (double.IsPositiveInfinity(max))
        {
            var logShare = -Math.Log(Count(values, double.PositiveInfinity));
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = double.IsPositiveInfinity(values[i]) ? logShare : double.NegativeInfinity;
            }

            return Vec.FromArrayUnsafe(result);
        }

        if (!double.IsFinite(max))
        {
            result.AsSpan().Fill(double.NaN);
            return Vec.FromArrayUnsafe(result);
        }

        var logNormalizer = Log1P(SumExpShiftedExcept(values, max, argMax));
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (values[i] - max) - logNormalizer;
        }

        return Vec.FromArrayUnsafe(result);
    }

    // Σ_{i≠skip} e^(x[i] − max), summed pairwise, without allocating. `skip` is relative to `values`.
    private static double SumExpShiftedExcept(ReadOnlySpan<double> values, double max, int skip)
    {
        if (values.Length > Summation.BlockSize)
        {
            var half = Summation.SplitPoint(values.Length);
            return SumExpShiftedExcept(values[..half], max, skip) + SumExpShiftedExcept(values[half..], max, skip - half);
        }

        Span<double> terms = stackalloc double[Summation.BlockSize];
        terms = terms[..values.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = i == skip ? 0.0 : Math.Exp(values[i] - max);
        }

        return Summation.Sum(terms);
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static int Count(ReadOnlySpan<double> values, double value)
    {
        var count = 0;
        foreach (var v in values)
        {
            if (v == value)
            {
                count++;
            }
        }

        return count;
    }

    private static Vec Map<TOp>(Vec x)
        where TOp : struct, IUnaryOp
    {
        var source = x.AsSpan();
        var result = Vec.NewArray(source.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = TOp.Apply(source[i]);
        }

        return Vec.FromArrayUnsafe(result);
    }

    private interface IUnaryOp
    {
        static abstract double Apply(double x);
    }

    private readonly struct LogOp : IUnaryOp
    {
        public static double Apply(double x) => Math.Log(x);
    }

    private readonly struct ExpOp : IUnaryOp
    {
        public static double Apply(double x) => Math.Exp(x);
    }

    private readonly struct Log1POp : IUnaryOp
    {
        public static double Apply(double x) => Log1P(x);
    }

    private readonly struct ExpM1Op : IUnaryOp
    {
        public static double Apply(double x) => ExpM1(x);
    }

    private readonly struct SigmoidOp : IUnaryOp
    {
        public static double Apply(double x) => Sigmoid(x);
    }

    private readonly struct LogSigmoidOp : IUnaryOp
    {
        public static double Apply(double x) => LogSigmoid(x);
    }

    private readonly struct SoftplusOp : IUnaryOp
    {
        public static double Apply(double x) => Softplus(x);
    }

    private readonly struct TanhOp : IUnaryOp
    {
        public static double Apply(double x) => Math.Tanh(x);
    }
}
