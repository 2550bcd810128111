using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Simd;

// Vector256<double>. VectorMath.Vector128.Double.cs is this file with Vector256 replaced by
// Vector128 (keep them in sync; the tests compare the two lane by lane, bit for bit).
// Only 64-bit integer operations AVX2 has are used (add, logical shifts, bitwise): no arithmetic
// 64-bit shift and no long↔double conversion, which would be emulated without AVX-512.
public static partial class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c)
        => IsFusedMultiplyAddUsed ? Vector256.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>
    /// Reduces x = n·ln2 + r (|r| ≤ ln2/2) and returns e^r − 1 = r + r²·G(r).
    /// <paramref name="t"/> is x·log2(e) + 1.5·2^52, whose low bits hold n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpReduced(Vector256<double> x, out Vector256<double> t)
    {
        Vector256<double> magic = Vector256.Create(ExpMagicD);
        t = MulAdd(x, Vector256.Create(Log2ED), magic);
        Vector256<double> n = t - magic;
        Vector256<double> r = MulAdd(n, Vector256.Create(-Ln2HiD), x);
        r = MulAdd(n, Vector256.Create(-Ln2LoD), r);
        Vector256<double> p = MulAdd(Vector256.Create(ExpC12D), r, Vector256.Create(ExpC11D));
        p = MulAdd(p, r, Vector256.Create(ExpC10D));
        p = MulAdd(p, r, Vector256.Create(ExpC9D));
        p = MulAdd(p, r, Vector256.Create(ExpC8D));
        p = MulAdd(p, r, Vector256.Create(ExpC7D));
        p = MulAdd(p, r, Vector256.Create(ExpC6D));
        p = MulAdd(p, r, Vector256.Create(ExpC5D));
        p = MulAdd(p, r, Vector256.Create(ExpC4D));
        p = MulAdd(p, r, Vector256.Create(ExpC3D));
        p = MulAdd(p, r, Vector256.Create(ExpC2D));
        return MulAdd(p, r * r, r);
    }

    /// <summary>e^x for x ≤ 0 or NaN: Softplus's and Sigmoid's e^−|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpNonPositive(Vector256<double> x)
    {
        Vector256<double> p = ExpReduced(x, out Vector256<double> t) + Vector256<double>.One;
        // 2^n as 2^(n+64) · 2^-64, normal for n in [-1075, 0]: see the float version.
        Vector256<double> s = Vector256.ShiftLeft(t.AsUInt64() - Vector256.Create((ulong)(ExpMagicBitsD - 1023 - 64)), 52).AsDouble();
        Vector256<double> result = p * s * Vector256.Create(TwoToMinus64D);
        return Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(ExpUnderflowD)));
    }

    /// <summary>e^x for x up to ln(double.MaxValue) or NaN (no overflow check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpAnySign(Vector256<double> x)
    {
        Vector256<double> p = ExpReduced(x, out Vector256<double> t) + Vector256<double>.One;
        // 2^n as 2^m1 · 2^(n−m1), m1 = floor(n/2): both normal for n in [-1076, 1024].
        Vector256<ulong> m = t.AsUInt64() - Vector256.Create((ulong)(ExpMagicBitsD - 2046));   // n + 2046 > 0
        Vector256<ulong> m1 = Vector256.ShiftRightLogical(m, 1);
        Vector256<double> s1 = Vector256.ShiftLeft(m1, 52).AsDouble();
        Vector256<double> s2 = Vector256.ShiftLeft(m - m1, 52).AsDouble();
        Vector256<double> result = p * s1 * s2;
        return Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(ExpUnderflowD)));
    }

    /// <summary>
    /// e^x, lane-wise. ≤ 1 ulp; +inf for x &gt; ln(double.MaxValue), gradual underflow to +0, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        Vector256<double> result = ExpAnySign(x);
        return Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, Vector256.Create(ExpOverflowD)),
            Vector256.Create(double.PositiveInfinity),
            result);
    }

    /// <summary>
    /// e^x − 1, lane-wise, accurate for tiny |x| (≤ 2 ulp everywhere; a subnormal x may be off by
    /// one subnormal ulp);
    /// −1 for x → −∞, +inf on overflow, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpM1(Vector256<double> x)
    {
        Vector256<double> q = ExpReduced(x, out Vector256<double> t);
        // 2·(h·q + (h − ½)) with h = 2^(n−1), see the float version.
        Vector256<double> h = Vector256.ShiftLeft(t.AsUInt64() - Vector256.Create((ulong)(ExpMagicBitsD - 1022)), 52).AsDouble();
        Vector256<double> result = MulAdd(h, q, h - Vector256.Create(0.5));
        result += result;
        result = Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, Vector256.Create(ExpOverflowD)),
            Vector256.Create(double.PositiveInfinity),
            result);
        return Vector256.ConditionalSelect(
            Vector256.LessThan(x, Vector256.Create(ExpM1MinusOneD)),
            Vector256.Create(-1.0),
            result);
    }

    /// <summary>
    /// ln x for finite positive x (normal or subnormal); <paramref name="kBias"/> is 2^52 + the exponent
    /// bias (1023, or 1023 + 52 for inputs prescaled by 2^52).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LogCore(Vector256<double> x, Vector256<double> kBias)
    {
        Vector256<ulong> tmp = x.AsUInt64() + Vector256.Create(LogOneBitsD - LogSqrtHalfBitsD);
        Vector256<ulong> kb = Vector256.ShiftRightLogical(tmp, 52);
        Vector256<double> m = ((tmp & Vector256.Create(LogMantissaMaskD)) + Vector256.Create(LogSqrtHalfBitsD)).AsDouble();
        // k as a double without a long→double conversion: (2^52 + kb) − (2^52 + bias).
        Vector256<double> k = (kb | Vector256.Create(LogTwoPow52BitsD)).AsDouble() - kBias;
        Vector256<double> f = m - Vector256<double>.One;
        // fdlibm: log(1+f) = f − f²/2 + s·(f²/2 + R), s = f/(2+f), R = z·(Lg1 + w·(Lg3 + ...)) + w·(Lg2 + ...).
        Vector256<double> s = f / (Vector256.Create(2.0) + f);
        Vector256<double> z = s * s;
        Vector256<double> w = z * z;
        Vector256<double> t1 = w * MulAdd(MulAdd(w, Vector256.Create(Lg6), Vector256.Create(Lg4)), w, Vector256.Create(Lg2));
        Vector256<double> t2 = z * MulAdd(MulAdd(MulAdd(w, Vector256.Create(Lg7), Vector256.Create(Lg5)), w, Vector256.Create(Lg3)), w, Vector256.Create(Lg1));
        Vector256<double> r = t2 + t1;
        Vector256<double> hfsq = Vector256.Create(0.5) * f * f;
        Vector256<double> a = MulAdd(k, Vector256.Create(Ln2LoLogD), s * (hfsq + r));
        return MulAdd(k, Vector256.Create(Ln2HiLogD), f - (hfsq - a));
    }

    /// <summary>
    /// ln x, lane-wise. ≤ 1 ulp; subnormal inputs handled; ±0 → −inf, +inf → +inf, x &lt; 0 or NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        Vector256<double> sub = Vector256.LessThan(x, Vector256.Create(LogMinNormalD));
        Vector256<double> xs = Vector256.ConditionalSelect(sub, x * Vector256.Create(LogTwoPow52D), x);
        Vector256<double> kBias = Vector256.ConditionalSelect(sub,
            Vector256.Create(LogTwoPow52D + 1023.0 + 52.0), Vector256.Create(LogTwoPow52D + 1023.0));
        return LogSpecialValues(x, LogCore(xs, kBias));
    }

    /// <summary>Log's answers for ±0, +inf, negative and NaN x; <paramref name="core"/> elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LogSpecialValues(Vector256<double> x, Vector256<double> core)
    {
        Vector256<double> result = Vector256.ConditionalSelect(
            Vector256.Equals(x, Vector256.Create(double.PositiveInfinity)),
            Vector256.Create(double.PositiveInfinity),
            core);
        result = Vector256.ConditionalSelect(
            Vector256.Equals(x, Vector256<double>.Zero),
            Vector256.Create(double.NegativeInfinity),
            result);
        return Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero),
            result,
            Vector256.Create(double.NaN));
    }

    /// <summary>
    /// ln(1 + x), lane-wise, accurate for tiny |x|: log(u) − ((u − 1) − x)/u with u = 1 + x.
    /// −1 → −inf, x &lt; −1 → NaN, +inf → +inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log1P(Vector256<double> x)
    {
        Vector256<double> u = x + Vector256<double>.One;
        Vector256<double> correction = ((u - Vector256<double>.One) - x) / u;
        // u = 1 + x is never subnormal (it is 0 or ≥ 2^-53), so Log's rescaling is not needed.
        Vector256<double> logU = LogSpecialValues(u, LogCore(u, Vector256.Create(LogTwoPow52D + 1023.0)));
        return Vector256.ConditionalSelect(Vector256.Equals(correction, correction), logU - correction, logU);
    }

    /// <summary>ln(1 + e) for e in [0, 1] or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Log1PUnit(Vector256<double> e)
    {
        Vector256<double> u = e + Vector256<double>.One;
        return LogCore(u, Vector256.Create(LogTwoPow52D + 1023.0)) - ((u - Vector256<double>.One) - e) / u;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> NegAbs(Vector256<double> x) => x | Vector256.Create(-0.0);

    /// <summary>σ(x) = 1/(1 + e^−x), lane-wise, stable for all x (see the float overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> x)
    {
        Vector256<double> e = ExpNonPositive(NegAbs(x));
        Vector256<double> numerator = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), Vector256<double>.One, e);
        return numerator / (Vector256<double>.One + e);
    }

    /// <summary>Softplus(x) = max(x, 0) + ln(1 + e^−|x|), lane-wise, finite for all finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Softplus(Vector256<double> x)
    {
        Vector256<double> e = ExpNonPositive(NegAbs(x));
        return Vector256.MaxNative(x, Vector256<double>.Zero) + Log1PUnit(e);
    }

    /// <summary>
    /// Softplus(x), and σ(x) in <paramref name="sigmoid"/>, sharing one e^−|x|: the pair a logistic
    /// loss needs (loss from Softplus, gradient from σ). Bit-identical to calling
    /// <see cref="Softplus(Vector256{double})"/> and <see cref="Sigmoid(Vector256{double})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SoftplusWithSigmoid(Vector256<double> x, out Vector256<double> sigmoid)
    {
        Vector256<double> e = ExpNonPositive(NegAbs(x));
        Vector256<double> numerator = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), Vector256<double>.One, e);
        sigmoid = numerator / (Vector256<double>.One + e);
        return Vector256.MaxNative(x, Vector256<double>.Zero) + Log1PUnit(e);
    }

    /// <summary>ln σ(x) = −Softplus(−x), lane-wise, finite for all finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogSigmoid(Vector256<double> x)
    {
        Vector256<double> e = ExpNonPositive(NegAbs(x));
        return Vector256.MinNative(x, Vector256<double>.Zero) - Log1PUnit(e);
    }

    /// <summary>
    /// tanh x, lane-wise: with T = e^(2|x|) − 1 (ExpM1, so no cancellation near 0),
    /// tanh|x| = T/(T + 2), exactly 1 for |x| ≥ 20.0 (where tanh rounds to 1), and the sign of x
    /// restored. ±0 → ±0, ±inf → ±1, NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x)
    {
        Vector256<double> signBit = x & Vector256.Create(-0.0);
        Vector256<double> a = Vector256.Abs(x);
        Vector256<double> t = ExpM1(a + a);
        Vector256<double> result = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(a, Vector256.Create(20.0)),
            Vector256<double>.One,
            t / (t + Vector256.Create(2.0)));
        return result | signBit;
    }

    /// <summary>Sign as a double, lane-wise: ±1 for nonzero x (including ±inf), ±0 for ±0, NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sign(Vector256<double> x)
    {
        Vector256<double> signBit = x & Vector256.Create(-0.0);
        Vector256<double> nonZero = Vector256.GreaterThan(Vector256.Abs(x), Vector256<double>.Zero);
        return Vector256.ConditionalSelect(nonZero, signBit | Vector256<double>.One, x);
    }
}
