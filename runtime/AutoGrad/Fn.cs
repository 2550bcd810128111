using System;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// The functions a <see cref="LossAttribute">[Loss]</see> method may call, for <see cref="double"/> and,
/// elementwise, for <see cref="Vec"/>; plus reductions of a <see cref="Vec"/> to a <see cref="double"/> and
/// the vector-to-vector <see cref="Softmax"/> and <see cref="LogSoftmax"/>. Import them with
/// <c>using static AutoGrad.Fn;</c>.
/// </summary>
/// <remarks>
/// <para>
/// These are the reference implementations that every generated gradient and kernel is tested against,
/// so they are written to be accurate and to stay finite wherever the true value is finite, at any input
/// (<c>±1000</c> included): <see cref="Sigmoid(double)"/> never overflows, <see cref="Softplus(double)"/>
/// and <see cref="LogSigmoid(double)"/> never lose the tail, <see cref="Log1P(double)"/> and
/// <see cref="ExpM1(double)"/> are accurate for tiny arguments, and <see cref="LogSumExp"/>,
/// <see cref="Softmax"/> and <see cref="LogSoftmax"/> shift out the maximum.
/// </para>
/// <para>
/// The <see cref="Vec"/> overloads of the transcendental functions apply the scalar function entry by
/// entry, so a vector result is bit-for-bit the scalar result at every entry. Exactly rounded operations
/// (<c>Abs</c>, <c>Sqrt</c>, <c>Square</c>, <c>Max</c>, <c>Min</c>) are vectorized.
/// </para>
/// <para>NaN propagates through every function. <c>Max</c> and <c>Min</c> follow <see cref="Math.Max(double, double)"/>.</para>
/// </remarks>
public static partial class Fn
{
    /// <summary>Returns the natural logarithm of <paramref name="x"/>.</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>ln x</c>: <see cref="double.NegativeInfinity"/> at 0 and NaN for negative <paramref name="x"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double x) => Math.Log(x);

    /// <summary>Returns <c>e</c> raised to <paramref name="x"/>.</summary>
    /// <param name="x">The exponent.</param>
    /// <returns><c>eˣ</c>; <see cref="double.PositiveInfinity"/> above about 709.78.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Math.Exp(x);

    /// <summary>Returns the square root of <paramref name="x"/>.</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>√x</c>; NaN for negative <paramref name="x"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sqrt(double x) => Math.Sqrt(x);

    /// <summary>Returns the absolute value of <paramref name="x"/>.</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>|x|</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs(double x) => Math.Abs(x);

    /// <summary>Returns <paramref name="x"/> squared.</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>x * x</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Square(double x) => x * x;

    /// <summary>Returns <paramref name="x"/> raised to the power <paramref name="p"/>.</summary>
    /// <param name="x">The base.</param>
    /// <param name="p">The exponent.</param>
    /// <returns><c>xᵖ</c>, as <see cref="Math.Pow(double, double)"/> computes it.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pow(double x, double p) => Math.Pow(x, p);

    /// <summary>Returns <c>ln(1 + x)</c>, accurate also when <paramref name="x"/> is tiny.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>
    /// <c>ln(1 + x)</c> to within a few ulps: <see cref="double.NegativeInfinity"/> at −1, NaN below −1,
    /// and <paramref name="x"/> itself when <c>|x|</c> is below half an ulp of 1.
    /// </returns>
    /// <remarks>
    /// <c>Math.Log(1 + x)</c> loses all digits of a tiny <paramref name="x"/> in the addition; this corrects the
    /// rounding of <c>u = 1 + x</c> to first order: <c>ln(1 + x) = ln u − ((u − 1) − x) / u</c>.
    /// </remarks>
    public static double Log1P(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return x;
        }

        var u = 1.0 + x;
        if (u == 1.0)
        {
            // |x| < 2^-53: ln(1 + x) = x - x²/2 + ..., and x²/2 is below half an ulp of x.
            return x;
        }

        if (u <= 0.0)
        {
            // x = -1 gives -∞; x < -1 gives NaN. (A NaN x falls through and yields NaN below.)
            return u == 0.0 ? double.NegativeInfinity : double.NaN;
        }

        return Math.Log(u) - (((u - 1.0) - x) / u);
    }

    /// <summary>Returns <c>eˣ − 1</c>, accurate also when <paramref name="x"/> is tiny.</summary>
    /// <param name="x">The exponent.</param>
    /// <returns><c>eˣ − 1</c> to within a few ulps: −1 as <paramref name="x"/> → −∞, <see cref="double.PositiveInfinity"/> above about 709.78.</returns>
    /// <remarks>
    /// <c>Math.Exp(x) - 1</c> cancels catastrophically near 0; for <c>|x| &lt; 1</c> this uses Kahan's
    /// correction <c>(u − 1) · x / ln u</c> with <c>u = eˣ</c>, which cancels the rounding error of <c>u</c>.
    /// </remarks>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (!(Math.Abs(x) < 1.0))
        {
            // Far from 0 (or NaN): no cancellation worth correcting, and u·x could overflow below.
            return u - 1.0;
        }

        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        return um1 * x / Math.Log(u);
    }

    /// <summary>Returns the logistic sigmoid <c>1 / (1 + e⁻ˣ)</c>.</summary>
    /// <param name="x">The argument (a logit).</param>
    /// <returns>A value in [0, 1]; never overflows (for negative <paramref name="x"/> it computes <c>eˣ / (1 + eˣ)</c>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x)
    {
        if (x >= 0.0)
        {
            return 1.0 / (1.0 + Math.Exp(-x));
        }

        var e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>Returns <c>ln(Sigmoid(x))</c>, computed stably as <c>−Softplus(−x)</c>.</summary>
    /// <param name="x">The argument (a logit).</param>
    /// <returns>A value ≤ 0; about <paramref name="x"/> for very negative <paramref name="x"/> (−1000 at −1000), never −∞ for finite <paramref name="x"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>Returns <c>ln(1 + eˣ)</c>, computed stably as <c>max(x, 0) + Log1P(e^−|x|)</c>.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>A value ≥ 0 that is finite for every finite <paramref name="x"/> (1000 at 1000).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1P(Math.Exp(-Math.Abs(x)));

    /// <summary>Returns the hyperbolic tangent of <paramref name="x"/>.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>A value in [−1, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x) => Math.Tanh(x);

    /// <summary>Returns the larger of two values.</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The larger value; NaN if either is NaN; <c>+0</c> is larger than <c>−0</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double x, double y) => Math.Max(x, y);

    /// <summary>Returns the smaller of two values.</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The smaller value; NaN if either is NaN; <c>−0</c> is smaller than <c>+0</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double x, double y) => Math.Min(x, y);

    /// <summary>Returns <paramref name="x"/> limited to the range [<paramref name="lo"/>, <paramref name="hi"/>].</summary>
    /// <param name="x">The value.</param>
    /// <param name="lo">The lower bound.</param>
    /// <param name="hi">The upper bound; not less than <paramref name="lo"/>.</param>
    /// <returns><paramref name="lo"/> if <c>x &lt; lo</c>, <paramref name="hi"/> if <c>x &gt; hi</c>, otherwise <paramref name="x"/> (NaN stays NaN).</returns>
    /// <exception cref="ArgumentException"><paramref name="lo"/> is greater than <paramref name="hi"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Clamp(double x, double lo, double hi) => Math.Clamp(x, lo, hi);
}
