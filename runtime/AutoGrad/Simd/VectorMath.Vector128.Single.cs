using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Simd;

// Vector128<float>. Generated from VectorMath.Vector256.Single.cs by replacing Vector256 with
// Vector128 (keep them in sync; the tests compare the two lane by lane, bit for bit).
public static partial class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        => IsFusedMultiplyAddUsed ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>
    /// Reduces x = n·ln2 + r (|r| ≤ ln2/2) and returns e^r − 1 = r + r²·P(r).
    /// <paramref name="t"/> is x·log2(e) + 1.5·2^23, whose low bits hold n (valid for |x| &lt; 2.9e6;
    /// callers mask larger inputs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpReduced(Vector128<float> x, out Vector128<float> t)
    {
        Vector128<float> magic = Vector128.Create(ExpMagicF);
        t = MulAdd(x, Vector128.Create(Log2EF), magic);
        Vector128<float> n = t - magic;
        Vector128<float> r = MulAdd(n, Vector128.Create(-Ln2HiF), x);
        r = MulAdd(n, Vector128.Create(-Ln2LoF), r);
        // P(r) by Estrin's scheme (shorter dependency chain than Horner; same accuracy here).
        Vector128<float> r2 = r * r;
        Vector128<float> p01 = MulAdd(Vector128.Create(ExpP0F), r, Vector128.Create(ExpP1F));
        Vector128<float> p23 = MulAdd(Vector128.Create(ExpP2F), r, Vector128.Create(ExpP3F));
        Vector128<float> p45 = MulAdd(Vector128.Create(ExpP4F), r, Vector128.Create(ExpP5F));
        Vector128<float> p = MulAdd(p01, r2 * r2, MulAdd(p23, r2, p45));
        return MulAdd(p, r2, r);
    }

    /// <summary>e^x for x ≤ 0 or NaN: Softplus's and Sigmoid's e^−|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpNonPositive(Vector128<float> x)
    {
        Vector128<float> p = ExpReduced(x, out Vector128<float> t) + Vector128<float>.One;
        // 2^n as 2^(n+64) · 2^-64: for n in [-150, 0] (x ≤ 0 down to where the result rounds to 0) 2^(n+64) is normal, so
        // p · 2^(n+64) is exact and the product with 2^-64 rounds once, correctly, into the subnormals too: the result of
        // ExpAnySign's two factors, in one shift and one multiply fewer.
        Vector128<float> s = Vector128.ShiftLeft(t.AsInt32() - Vector128.Create(ExpMagicBitsF - 127 - 64), 23).AsSingle();
        Vector128<float> result = p * s * Vector128.Create(TwoToMinus64F);
        return Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(ExpUnderflowF)));
    }

    /// <summary>e^x for x up to ln(float.MaxValue) or NaN (no overflow check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpAnySign(Vector128<float> x)
    {
        Vector128<float> p = ExpReduced(x, out Vector128<float> t) + Vector128<float>.One;
        // 2^n as two factors 2^m1 · 2^(n-m1), m1 = floor(n/2): both stay normal for n in
        // [-150, 128], so subnormal results are rounded once, correctly, and n = 128 does not overflow.
        Vector128<int> m = t.AsInt32() - Vector128.Create(ExpMagicBitsF - 254);   // n + 254 > 0
        Vector128<int> m1 = Vector128.ShiftRightLogical(m, 1);                     // biased exponent of 2^floor(n/2)
        Vector128<float> s1 = Vector128.ShiftLeft(m1, 23).AsSingle();
        Vector128<float> s2 = Vector128.ShiftLeft(m - m1, 23).AsSingle();
        Vector128<float> result = p * s1 * s2;
        return Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(ExpUnderflowF)));
    }

    /// <summary>
    /// e^x, lane-wise. ≤ 1 ulp; +inf for x &gt; ln(float.MaxValue), gradual underflow to +0, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> result = ExpAnySign(x);
        return Vector128.ConditionalSelect(
            Vector128.GreaterThan(x, Vector128.Create(ExpOverflowF)),
            Vector128.Create(float.PositiveInfinity),
            result);
    }

    /// <summary>
    /// e^x − 1, lane-wise, accurate for tiny |x| (≤ 2 ulp everywhere; a subnormal x may be off by
    /// one subnormal ulp);
    /// −1 for x → −∞, +inf on overflow, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpM1(Vector128<float> x)
    {
        Vector128<float> q = ExpReduced(x, out Vector128<float> t);   // e^r − 1
        // e^x − 1 = 2^n·q + (2^n − 1) = 2·(h·q + (h − ½)) with h = 2^(n−1): h − ½ is exact for
        // n ≤ 24 and h stays finite for n = 128; for n = 0 it is q exactly.
        Vector128<float> h = Vector128.ShiftLeft(t.AsInt32() - Vector128.Create(ExpMagicBitsF - 126), 23).AsSingle();
        Vector128<float> result = MulAdd(h, q, h - Vector128.Create(0.5f));
        result += result;
        result = Vector128.ConditionalSelect(
            Vector128.GreaterThan(x, Vector128.Create(ExpOverflowF)),
            Vector128.Create(float.PositiveInfinity),
            result);
        return Vector128.ConditionalSelect(
            Vector128.LessThan(x, Vector128.Create(ExpM1MinusOneF)),
            Vector128.Create(-1f),
            result);
    }

    /// <summary>
    /// ln x for finite positive x (normal or subnormal); <paramref name="kBias"/> is the exponent bias
    /// (127, or 127 + 23 for inputs prescaled by 2^23).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> LogCore(Vector128<float> x, Vector128<float> kBias)
    {
        // x = 2^k · m with m in [√½, √2): offsetting the bits by (1 − √½) carries into the exponent
        // exactly when the mantissa is ≥ √½.
        Vector128<int> tmp = x.AsInt32() + Vector128.Create(LogOneBitsF - LogSqrtHalfBitsF);
        Vector128<int> kb = Vector128.ShiftRightLogical(tmp, 23);
        Vector128<float> m = ((tmp & Vector128.Create(0x007FFFFF)) + Vector128.Create(LogSqrtHalfBitsF)).AsSingle();
        Vector128<float> k = Vector128.ConvertToSingle(kb) - kBias;
        Vector128<float> f = m - Vector128<float>.One;
        Vector128<float> z = f * f;
        // P(f) by Estrin's scheme (shorter dependency chain than Horner; same accuracy here).
        Vector128<float> z2 = z * z;
        Vector128<float> p12 = MulAdd(Vector128.Create(LogP1F), f, Vector128.Create(LogP2F));
        Vector128<float> p34 = MulAdd(Vector128.Create(LogP3F), f, Vector128.Create(LogP4F));
        Vector128<float> p56 = MulAdd(Vector128.Create(LogP5F), f, Vector128.Create(LogP6F));
        Vector128<float> p78 = MulAdd(Vector128.Create(LogP7F), f, Vector128.Create(LogP8F));
        Vector128<float> p = MulAdd(
            Vector128.Create(LogP0F), z2 * z2,
            MulAdd(MulAdd(p12, z, p34), z2, MulAdd(p56, z, p78)));
        Vector128<float> y = p * f * z;
        y = MulAdd(k, Vector128.Create(Ln2LoF), y);
        y = MulAdd(z, Vector128.Create(-0.5f), y);
        return MulAdd(k, Vector128.Create(Ln2HiF), f + y);
    }

    /// <summary>
    /// ln x, lane-wise. ≤ 1 ulp; subnormal inputs handled; ±0 → −inf, +inf → +inf, x &lt; 0 or NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> x)
    {
        // Subnormals (and 0 and negatives, fixed below) are scaled by 2^23 into the normal range.
        Vector128<float> sub = Vector128.LessThan(x, Vector128.Create(LogMinNormalF));
        Vector128<float> xs = Vector128.ConditionalSelect(sub, x * Vector128.Create(LogSubnormalScaleF), x);
        Vector128<float> kBias = Vector128.ConditionalSelect(sub, Vector128.Create(127f + 23f), Vector128.Create(127f));
        return LogSpecialValues(x, LogCore(xs, kBias));
    }

    /// <summary>Log's answers for ±0, +inf, negative and NaN x; <paramref name="core"/> elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> LogSpecialValues(Vector128<float> x, Vector128<float> core)
    {
        Vector128<float> result = Vector128.ConditionalSelect(
            Vector128.Equals(x, Vector128.Create(float.PositiveInfinity)),
            Vector128.Create(float.PositiveInfinity),
            core);
        result = Vector128.ConditionalSelect(
            Vector128.Equals(x, Vector128<float>.Zero),
            Vector128.Create(float.NegativeInfinity),
            result);
        return Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero),
            result,
            Vector128.Create(float.NaN));
    }

    /// <summary>
    /// ln(1 + x), lane-wise, accurate for tiny |x| (≤ 2 ulp): log(u) − ((u − 1) − x)/u with u = 1 + x
    /// corrects the rounding of u. −1 → −inf, x &lt; −1 → NaN, +inf → +inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log1P(Vector128<float> x)
    {
        Vector128<float> u = x + Vector128<float>.One;
        Vector128<float> correction = ((u - Vector128<float>.One) - x) / u;
        // u = 1 + x is never subnormal (it is 0 or ≥ 2^-24), so Log's rescaling is not needed.
        Vector128<float> logU = LogSpecialValues(u, LogCore(u, Vector128.Create(127f)));
        // The correction is NaN only where u is 0 or ±inf (or x is NaN); there log(u) is the answer.
        return Vector128.ConditionalSelect(Vector128.Equals(correction, correction), logU - correction, logU);
    }

    /// <summary>ln(1 + e) for e in [0, 1] or NaN: the Softplus tail, without Log's special cases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Log1PUnit(Vector128<float> e)
    {
        Vector128<float> u = e + Vector128<float>.One;
        // NaN in e propagates through the correction term.
        return LogCore(u, Vector128.Create(127f)) - ((u - Vector128<float>.One) - e) / u;
    }

    /// <summary>−|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> NegAbs(Vector128<float> x) => x | Vector128.Create(-0f);

    /// <summary>
    /// σ(x) = 1/(1 + e^−x), lane-wise, stable for all x: with e = e^−|x|, 1/(1+e) for x ≥ 0 and
    /// e/(1+e) otherwise (so σ(−100) is the correct tiny number, not 1 − 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x)
    {
        Vector128<float> e = ExpNonPositive(NegAbs(x));
        Vector128<float> numerator = Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), Vector128<float>.One, e);
        return numerator / (Vector128<float>.One + e);
    }

    /// <summary>
    /// Softplus(x) = ln(1 + e^x) = max(x, 0) + ln(1 + e^−|x|), lane-wise, finite for all finite x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Softplus(Vector128<float> x)
    {
        Vector128<float> e = ExpNonPositive(NegAbs(x));
        return Vector128.MaxNative(x, Vector128<float>.Zero) + Log1PUnit(e);
    }

    /// <summary>
    /// Softplus(x), and σ(x) in <paramref name="sigmoid"/>, sharing one e^−|x|: the pair a logistic
    /// loss needs (loss from Softplus, gradient from σ). Bit-identical to calling
    /// <see cref="Softplus(Vector128{float})"/> and <see cref="Sigmoid(Vector128{float})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SoftplusWithSigmoid(Vector128<float> x, out Vector128<float> sigmoid)
    {
        Vector128<float> e = ExpNonPositive(NegAbs(x));
        Vector128<float> numerator = Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), Vector128<float>.One, e);
        sigmoid = numerator / (Vector128<float>.One + e);
        return Vector128.MaxNative(x, Vector128<float>.Zero) + Log1PUnit(e);
    }

    /// <summary>ln σ(x) = −Softplus(−x), lane-wise, finite for all finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LogSigmoid(Vector128<float> x)
    {
        Vector128<float> e = ExpNonPositive(NegAbs(x));
        return Vector128.MinNative(x, Vector128<float>.Zero) - Log1PUnit(e);
    }

    /// <summary>
    /// tanh x, lane-wise: with T = e^(2|x|) − 1 (ExpM1, so no cancellation near 0),
    /// tanh|x| = T/(T + 2), exactly 1 for |x| ≥ 10 (where tanh rounds to 1), and the sign of x
    /// restored. ±0 → ±0, ±inf → ±1, NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        Vector128<float> signBit = x & Vector128.Create(-0f);
        Vector128<float> a = Vector128.Abs(x);
        Vector128<float> t = ExpM1(a + a);
        Vector128<float> result = Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(a, Vector128.Create(10f)),
            Vector128<float>.One,
            t / (t + Vector128.Create(2f)));
        return result | signBit;
    }

    /// <summary>Sign as a float, lane-wise: ±1 for nonzero x (including ±inf), ±0 for ±0, NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sign(Vector128<float> x)
    {
        Vector128<float> signBit = x & Vector128.Create(-0f);
        Vector128<float> nonZero = Vector128.GreaterThan(Vector128.Abs(x), Vector128<float>.Zero);
        return Vector128.ConditionalSelect(nonZero, signBit | Vector128<float>.One, x);
    }
}
