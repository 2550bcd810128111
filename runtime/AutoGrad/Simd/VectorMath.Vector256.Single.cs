using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Simd;

// Vector256<float>. VectorMath.Vector128.Single.cs is this file with Vector256 replaced by
// Vector128 (keep them in sync; the tests compare the two lane by lane, bit for bit).
public static partial class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => IsFusedMultiplyAddUsed ? Vector256.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>
    /// Reduces x = n·ln2 + r (|r| ≤ ln2/2) and returns e^r − 1 = r + r²·P(r).
    /// <paramref name="t"/> is x·log2(e) + 1.5·2^23, whose low bits hold n (valid for |x| &lt; 2.9e6;
    /// callers mask larger inputs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpReduced(Vector256<float> x, out Vector256<float> t)
    {
        Vector256<float> magic = Vector256.Create(ExpMagicF);
        t = MulAdd(x, Vector256.Create(Log2EF), magic);
        Vector256<float> n = t - magic;
        Vector256<float> r = MulAdd(n, Vector256.Create(-Ln2HiF), x);
        r = MulAdd(n, Vector256.Create(-Ln2LoF), r);
        // P(r) by Estrin's scheme (shorter dependency chain than Horner; same accuracy here).
        Vector256<float> r2 = r * r;
        Vector256<float> p01 = MulAdd(Vector256.Create(ExpP0F), r, Vector256.Create(ExpP1F));
        Vector256<float> p23 = MulAdd(Vector256.Create(ExpP2F), r, Vector256.Create(ExpP3F));
        Vector256<float> p45 = MulAdd(Vector256.Create(ExpP4F), r, Vector256.Create(ExpP5F));
        Vector256<float> p = MulAdd(p01, r2 * r2, MulAdd(p23, r2, p45));
        return MulAdd(p, r2, r);
    }

    /// <summary>e^x for x ≤ 0 or NaN: Softplus's and Sigmoid's e^−|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpNonPositive(Vector256<float> x)
    {
        Vector256<float> p = ExpReduced(x, out Vector256<float> t) + Vector256<float>.One;
        // 2^n as 2^(n+64) · 2^-64: for n in [-150, 0] (x ≤ 0 down to where the result rounds to 0) 2^(n+64) is normal, so
        // p · 2^(n+64) is exact and the product with 2^-64 rounds once, correctly, into the subnormals too: the result of
        // ExpAnySign's two factors, in one shift and one multiply fewer.
        Vector256<float> s = Vector256.ShiftLeft(t.AsInt32() - Vector256.Create(ExpMagicBitsF - 127 - 64), 23).AsSingle();
        Vector256<float> result = p * s * Vector256.Create(TwoToMinus64F);
        return Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(ExpUnderflowF)));
    }

    /// <summary>e^x for x up to ln(float.MaxValue) or NaN (no overflow check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpAnySign(Vector256<float> x)
    {
        Vector256<float> p = ExpReduced(x, out Vector256<float> t) + Vector256<float>.One;
        // 2^n as two factors 2^m1 · 2^(n-m1), m1 = floor(n/2): both stay normal for n in
        // [-150, 128], so subnormal results are rounded once, correctly, and n = 128 does not overflow.
        Vector256<int> m = t.AsInt32() - Vector256.Create(ExpMagicBitsF - 254);   // n + 254 > 0
        Vector256<int> m1 = Vector256.ShiftRightLogical(m, 1);                     // biased exponent of 2^floor(n/2)
        Vector256<float> s1 = Vector256.ShiftLeft(m1, 23).AsSingle();
        Vector256<float> s2 = Vector256.ShiftLeft(m - m1, 23).AsSingle();
        Vector256<float> result = p * s1 * s2;
        return Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(ExpUnderflowF)));
    }

    /// <summary>
    /// e^x, lane-wise. ≤ 1 ulp; +inf for x &gt; ln(float.MaxValue), gradual underflow to +0, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> result = ExpAnySign(x);
        return Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, Vector256.Create(ExpOverflowF)),
            Vector256.Create(float.PositiveInfinity),
            result);
    }

    /// <summary>
    /// e^x − 1, lane-wise, accurate for tiny |x| (≤ 2 ulp everywhere; a subnormal x may be off by
    /// one subnormal ulp);
    /// −1 for x → −∞, +inf on overflow, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpM1(Vector256<float> x)
    {
        Vector256<float> q = ExpReduced(x, out Vector256<float> t);   // e^r − 1
        // e^x − 1 = 2^n·q + (2^n − 1) = 2·(h·q + (h − ½)) with h = 2^(n−1): h − ½ is exact for
        // n ≤ 24 and h stays finite for n = 128; for n = 0 it is q exactly.
        Vector256<float> h = Vector256.ShiftLeft(t.AsInt32() - Vector256.Create(ExpMagicBitsF - 126), 23).AsSingle();
        Vector256<float> result = MulAdd(h, q, h - Vector256.Create(0.5f));
        result += result;
        result = Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, Vector256.Create(ExpOverflowF)),
            Vector256.Create(float.PositiveInfinity),
            result);
        return Vector256.ConditionalSelect(
            Vector256.LessThan(x, Vector256.Create(ExpM1MinusOneF)),
            Vector256.Create(-1f),
            result);
    }

    /// <summary>
    /// ln x for finite positive x (normal or subnormal); <paramref name="kBias"/> is the exponent bias
    /// (127, or 127 + 23 for inputs prescaled by 2^23).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LogCore(Vector256<float> x, Vector256<float> kBias)
    {
        // x = 2^k · m with m in [√½, √2): offsetting the bits by (1 − √½) carries into the exponent
        // exactly when the mantissa is ≥ √½.
        Vector256<int> tmp = x.AsInt32() + Vector256.Create(LogOneBitsF - LogSqrtHalfBitsF);
        Vector256<int> kb = Vector256.ShiftRightLogical(tmp, 23);
        Vector256<float> m = ((tmp & Vector256.Create(0x007FFFFF)) + Vector256.Create(LogSqrtHalfBitsF)).AsSingle();
        Vector256<float> k = Vector256.ConvertToSingle(kb) - kBias;
        Vector256<float> f = m - Vector256<float>.One;
        Vector256<float> z = f * f;
        // P(f) by Estrin's scheme (shorter dependency chain than Horner; same accuracy here).
        Vector256<float> z2 = z * z;
        Vector256<float> p12 = MulAdd(Vector256.Create(LogP1F), f, Vector256.Create(LogP2F));
        Vector256<float> p34 = MulAdd(Vector256.Create(LogP3F), f, Vector256.Create(LogP4F));
        Vector256<float> p56 = MulAdd(Vector256.Create(LogP5F), f, Vector256.Create(LogP6F));
        Vector256<float> p78 = MulAdd(Vector256.Create(LogP7F), f, Vector256.Create(LogP8F));
        Vector256<float> p = MulAdd(
            Vector256.Create(LogP0F), z2 * z2,
            MulAdd(MulAdd(p12, z, p34), z2, MulAdd(p56, z, p78)));
        Vector256<float> y = p * f * z;
        y = MulAdd(k, Vector256.Create(Ln2LoF), y);
        y = MulAdd(z, Vector256.Create(-0.5f), y);
        return MulAdd(k, Vector256.Create(Ln2HiF), f + y);
    }

    /// <summary>
    /// ln x, lane-wise. ≤ 1 ulp; subnormal inputs handled; ±0 → −inf, +inf → +inf, x &lt; 0 or NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        // Subnormals (and 0 and negatives, fixed below) are scaled by 2^23 into the normal range.
        Vector256<float> sub = Vector256.LessThan(x, Vector256.Create(LogMinNormalF));
        Vector256<float> xs = Vector256.ConditionalSelect(sub, x * Vector256.Create(LogSubnormalScaleF), x);
        Vector256<float> kBias = Vector256.ConditionalSelect(sub, Vector256.Create(127f + 23f), Vector256.Create(127f));
        return LogSpecialValues(x, LogCore(xs, kBias));
    }

    /// <summary>Log's answers for ±0, +inf, negative and NaN x; <paramref name="core"/> elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LogSpecialValues(Vector256<float> x, Vector256<float> core)
    {
        Vector256<float> result = Vector256.ConditionalSelect(
            Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)),
            Vector256.Create(float.PositiveInfinity),
            core);
        result = Vector256.ConditionalSelect(
            Vector256.Equals(x, Vector256<float>.Zero),
            Vector256.Create(float.NegativeInfinity),
            result);
        return Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero),
            result,
            Vector256.Create(float.NaN));
    }

    /// <summary>
    /// ln(1 + x), lane-wise, accurate for tiny |x| (≤ 2 ulp): log(u) − ((u − 1) − x)/u with u = 1 + x
    /// corrects the rounding of u. −1 → −inf, x &lt; −1 → NaN, +inf → +inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1P(Vector256<float> x)
    {
        Vector256<float> u = x + Vector256<float>.One;
        Vector256<float> correction = ((u - Vector256<float>.One) - x) / u;
        // u = 1 + x is never subnormal (it is 0 or ≥ 2^-24), so Log's rescaling is not needed.
        Vector256<float> logU = LogSpecialValues(u, LogCore(u, Vector256.Create(127f)));
        // The correction is NaN only where u is 0 or ±inf (or x is NaN); there log(u) is the answer.
        return Vector256.ConditionalSelect(Vector256.Equals(correction, correction), logU - correction, logU);
    }

    /// <summary>ln(1 + e) for e in [0, 1] or NaN: the Softplus tail, without Log's special cases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log1PUnit(Vector256<float> e)
    {
        Vector256<float> u = e + Vector256<float>.One;
        // NaN in e propagates through the correction term.
        return LogCore(u, Vector256.Create(127f)) - ((u - Vector256<float>.One) - e) / u;
    }

    /// <summary>−|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> NegAbs(Vector256<float> x) => x | Vector256.Create(-0f);

    /// <summary>
    /// σ(x) = 1/(1 + e^−x), lane-wise, stable for all x: with e = e^−|x|, 1/(1+e) for x ≥ 0 and
    /// e/(1+e) otherwise (so σ(−100) is the correct tiny number, not 1 − 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        Vector256<float> e = ExpNonPositive(NegAbs(x));
        Vector256<float> numerator = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, e);
        return numerator / (Vector256<float>.One + e);
    }

    /// <summary>
    /// Softplus(x) = ln(1 + e^x) = max(x, 0) + ln(1 + e^−|x|), lane-wise, finite for all finite x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Softplus(Vector256<float> x)
    {
        Vector256<float> e = ExpNonPositive(NegAbs(x));
        return Vector256.MaxNative(x, Vector256<float>.Zero) + Log1PUnit(e);
    }

    /// <summary>
    /// Softplus(x), and σ(x) in <paramref name="sigmoid"/>, sharing one e^−|x|: the pair a logistic
    /// loss needs (loss from Softplus, gradient from σ). Bit-identical to calling
    /// <see cref="Softplus(Vector256{float})"/> and <see cref="Sigmoid(Vector256{float})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SoftplusWithSigmoid(Vector256<float> x, out Vector256<float> sigmoid)
    {
        Vector256<float> e = ExpNonPositive(NegAbs(x));
        Vector256<float> numerator = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, e);
        sigmoid = numerator / (Vector256<float>.One + e);
        return Vector256.MaxNative(x, Vector256<float>.Zero) + Log1PUnit(e);
    }

    /// <summary>ln σ(x) = −Softplus(−x), lane-wise, finite for all finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogSigmoid(Vector256<float> x)
    {
        Vector256<float> e = ExpNonPositive(NegAbs(x));
        return Vector256.MinNative(x, Vector256<float>.Zero) - Log1PUnit(e);
    }

    /// <summary>
    /// tanh x, lane-wise: with T = e^(2|x|) − 1 (ExpM1, so no cancellation near 0),
    /// tanh|x| = T/(T + 2), exactly 1 for |x| ≥ 10 (where tanh rounds to 1), and the sign of x
    /// restored. ±0 → ±0, ±inf → ±1, NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> signBit = x & Vector256.Create(-0f);
        Vector256<float> a = Vector256.Abs(x);
        Vector256<float> t = ExpM1(a + a);
        Vector256<float> result = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(a, Vector256.Create(10f)),
            Vector256<float>.One,
            t / (t + Vector256.Create(2f)));
        return result | signBit;
    }

    /// <summary>Sign as a float, lane-wise: ±1 for nonzero x (including ±inf), ±0 for ±0, NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sign(Vector256<float> x)
    {
        Vector256<float> signBit = x & Vector256.Create(-0f);
        Vector256<float> nonZero = Vector256.GreaterThan(Vector256.Abs(x), Vector256<float>.Zero);
        return Vector256.ConditionalSelect(nonZero, signBit | Vector256<float>.One, x);
    }
}
