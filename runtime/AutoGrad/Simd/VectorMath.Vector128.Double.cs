using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Simd;

// Vector128<double>. Generated from VectorMath.Vector256.Double.cs by replacing Vector256 with
// Vector128 (keep them in sync; the tests compare the two lane by lane, bit for bit).
// Only 64-bit integer operations AVX2 has are used (add, logical shifts, bitwise): no arithmetic
// 64-bit shift and no long↔double conversion, which would be emulated without AVX-512.
public static partial class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> MulAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c)
        => IsFusedMultiplyAddUsed ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>
    /// Reduces x = n·ln2 + r (|r| ≤ ln2/2) and returns e^r − 1 = r + r²·G(r).
    /// <paramref name="t"/> is x·log2(e) + 1.5·2^52, whose low bits hold n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ExpReduced(Vector128<double> x, out Vector128<double> t)
    {
        Vector128<double> magic = Vector128.Create(ExpMagicD);
        t = MulAdd(x, Vector128.Create(Log2ED), magic);
        Vector128<double> n = t - magic;
        Vector128<double> r = MulAdd(n, Vector128.Create(-Ln2HiD), x);
        r = MulAdd(n, Vector128.Create(-Ln2LoD), r);
        Vector128<double> p = MulAdd(Vector128.Create(ExpC12D), r, Vector128.Create(ExpC11D));
        p = MulAdd(p, r, Vector128.Create(ExpC10D));
        p = MulAdd(p, r, Vector128.Create(ExpC9D));
        p = MulAdd(p, r, Vector128.Create(ExpC8D));
        p = MulAdd(p, r, Vector128.Create(ExpC7D));
        p = MulAdd(p, r, Vector128.Create(ExpC6D));
        p = MulAdd(p, r, Vector128.Create(ExpC5D));
        p = MulAdd(p, r, Vector128.Create(ExpC4D));
        p = MulAdd(p, r, Vector128.Create(ExpC3D));
        p = MulAdd(p, r, Vector128.Create(ExpC2D));
        return MulAdd(p, r * r, r);
    }

    /// <summary>e^x for x ≤ 0 or NaN: Softplus's and Sigmoid's e^−|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ExpNonPositive(Vector128<double> x)
    {
        Vector128<double> p = ExpReduced(x, out Vector128<double> t) + Vector128<double>.One;
        // 2^n as 2^(n+64) · 2^-64, normal for n in [-1075, 0]: see the float version.
        Vector128<double> s = Vector128.ShiftLeft(t.AsUInt64() - Vector128.Create((ulong)(ExpMagicBitsD - 1023 - 64)), 52).AsDouble();
        Vector128<double> result = p * s * Vector128.Create(TwoToMinus64D);
        return Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(ExpUnderflowD)));
    }

    /// <summary>e^x for x up to ln(double.MaxValue) or NaN (no overflow check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ExpAnySign(Vector128<double> x)
    {
        Vector128<double> p = ExpReduced(x, out Vector128<double> t) + Vector128<double>.One;
        // 2^n as 2^m1 · 2^(n−m1), m1 = floor(n/2): both normal for n in [-1076, 1024].
        Vector128<ulong> m = t.AsUInt64() - Vector128.Create((ulong)(ExpMagicBitsD - 2046));   // n + 2046 > 0
        Vector128<ulong> m1 = Vector128.ShiftRightLogical(m, 1);
        Vector128<double> s1 = Vector128.ShiftLeft(m1, 52).AsDouble();
        Vector128<double> s2 = Vector128.ShiftLeft(m - m1, 52).AsDouble();
        Vector128<double> result = p * s1 * s2;
        return Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(ExpUnderflowD)));
    }

    /// <summary>
    /// e^x, lane-wise. ≤ 1 ulp; +inf for x &gt; ln(double.MaxValue), gradual underflow to +0, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x)
    {
        Vector128<double> result = ExpAnySign(x);
        return Vector128.ConditionalSelect(
            Vector128.GreaterThan(x, Vector128.Create(ExpOverflowD)),
            Vector128.Create(double.PositiveInfinity),
            result);
    }

    /// <summary>
    /// e^x − 1, lane-wise, accurate for tiny |x| (≤ 2 ulp everywhere; a subnormal x may be off by
    /// one subnormal ulp);
    /// −1 for x → −∞, +inf on overflow, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpM1(Vector128<double> x)
    {
        Vector128<double> q = ExpReduced(x, out Vector128<double> t);
        // 2·(h·q + (h − ½)) with h = 2^(n−1), see the float version.
        Vector128<double> h = Vector128.ShiftLeft(t.AsUInt64() - Vector128.Create((ulong)(ExpMagicBitsD - 1022)), 52).AsDouble();
        Vector128<double> result = MulAdd(h, q, h - Vector128.Create(0.5));
        result += result;
        result = Vector128.ConditionalSelect(
            Vector128.GreaterThan(x, Vector128.Create(ExpOverflowD)),
            Vector128.Create(double.PositiveInfinity),
            result);
        return Vector128.ConditionalSelect(
            Vector128.LessThan(x, Vector128.Create(ExpM1MinusOneD)),
            Vector128.Create(-1.0),
            result);
    }

    /// <summary>
    /// ln x for finite positive x (normal or subnormal); <paramref name="kBias"/> is 2^52 + the exponent
    /// bias (1023, or 1023 + 52 for inputs prescaled by 2^52).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> LogCore(Vector128<double> x, Vector128<double> kBias)
    {
        Vector128<ulong> tmp = x.AsUInt64() + Vector128.Create(LogOneBitsD - LogSqrtHalfBitsD);
        Vector128<ulong> kb = Vector128.ShiftRightLogical(tmp, 52);
        Vector128<double> m = ((tmp & Vector128.Create(LogMantissaMaskD)) + Vector128.Create(LogSqrtHalfBitsD)).AsDouble();
        // k as a double without a long→double conversion: (2^52 + kb) − (2^52 + bias).
        Vector128<double> k = (kb | Vector128.Create(LogTwoPow52BitsD)).AsDouble() - kBias;
        Vector128<double> f = m - Vector128<double>.One;
        // fdlibm: log(1+f) = f − f²/2 + s·(f²/2 + R), s = f/(2+f), R = z·(Lg1 + w·(Lg3 + ...)) + w·(Lg2 + ...).
        Vector128<double> s = f / (Vector128.Create(2.0) + f);
        Vector128<double> z = s * s;
        Vector128<double> w = z * z;
        Vector128<double> t1 = w * MulAdd(MulAdd(w, Vector128.Create(Lg6), Vector128.Create(Lg4)), w, Vector128.Create(Lg2));
        Vector128<double> t2 = z * MulAdd(MulAdd(MulAdd(w, Vector128.Create(Lg7), Vector128.Create(Lg5)), w, Vector128.Create(Lg3)), w, Vector128.Create(Lg1));
        Vector128<double> r = t2 + t1;
        Vector128<double> hfsq = Vector128.Create(0.5) * f * f;
        Vector128<double> a = MulAdd(k, Vector128.Create(Ln2LoLogD), s * (hfsq + r));
        return MulAdd(k, Vector128.Create(Ln2HiLogD), f - (hfsq - a));
    }

    /// <summary>
    /// ln x, lane-wise. ≤ 1 ulp; subnormal inputs handled; ±0 → −inf, +inf → +inf, x &lt; 0 or NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log(Vector128<double> x)
    {
        Vector128<double> sub = Vector128.LessThan(x, Vector128.Create(LogMinNormalD));
        Vector128<double> xs = Vector128.ConditionalSelect(sub, x * Vector128.Create(LogTwoPow52D), x);
        Vector128<double> kBias = Vector128.ConditionalSelect(sub,
            Vector128.Create(LogTwoPow52D + 1023.0 + 52.0), Vector128.Create(LogTwoPow52D + 1023.0));
        return LogSpecialValues(x, LogCore(xs, kBias));
    }

    /// <summary>Log's answers for ±0, +inf, negative and NaN x; <paramref name="core"/> elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> LogSpecialValues(Vector128<double> x, Vector128<double> core)
    {
        Vector128<double> result = Vector128.ConditionalSelect(
            Vector128.Equals(x, Vector128.Create(double.PositiveInfinity)),
            Vector128.Create(double.PositiveInfinity),
            core);
        result = Vector128.ConditionalSelect(
            Vector128.Equals(x, Vector128<double>.Zero),
            Vector128.Create(double.NegativeInfinity),
            result);
        return Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(x, Vector128<double>.Zero),
            result,
            Vector128.Create(double.NaN));
    }

    /// <summary>
    /// ln(1 + x), lane-wise, accurate for tiny |x|: log(u) − ((u − 1) − x)/u with u = 1 + x.
    /// −1 → −inf, x &lt; −1 → NaN, +inf → +inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log1P(Vector128<double> x)
    {
        Vector128<double> u = x + Vector128<double>.One;
        Vector128<double> correction = ((u - Vector128<double>.One) - x) / u;
        // u = 1 + x is never subnormal (it is 0 or ≥ 2^-53), so Log's rescaling is not needed.
        Vector128<double> logU = LogSpecialValues(u, LogCore(u, Vector128.Create(LogTwoPow52D + 1023.0)));
        return Vector128.ConditionalSelect(Vector128.Equals(correction, correction), logU - correction, logU);
    }

    /// <summary>ln(1 + e) for e in [0, 1] or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Log1PUnit(Vector128<double> e)
    {
        Vector128<double> u = e + Vector128<double>.One;
        return LogCore(u, Vector128.Create(LogTwoPow52D + 1023.0)) - ((u - Vector128<double>.One) - e) / u;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> NegAbs(Vector128<double> x) => x | Vector128.Create(-0.0);

    /// <summary>σ(x) = 1/(1 + e^−x), lane-wise, stable for all x (see the float overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> x)
    {
        Vector128<double> e = ExpNonPositive(NegAbs(x));
        Vector128<double> numerator = Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(x, Vector128<double>.Zero), Vector128<double>.One, e);
        return numerator / (Vector128<double>.One + e);
    }

    /// <summary>Softplus(x) = max(x, 0) + ln(1 + e^−|x|), lane-wise, finite for all finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Softplus(Vector128<double> x)
    {
        Vector128<double> e = ExpNonPositive(NegAbs(x));
        return Vector128.MaxNative(x, Vector128<double>.Zero) + Log1PUnit(e);
    }

    /// <summary>
    /// Softplus(x), and σ(x) in <paramref name="sigmoid"/>, sharing one e^−|x|: the pair a logistic
    /// loss needs (loss from Softplus, gradient from σ). Bit-identical to calling
    /// <see cref="Softplus(Vector128{double})"/> and <see cref="Sigmoid(Vector128{double})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> SoftplusWithSigmoid(Vector128<double> x, out Vector128<double> sigmoid)
    {
        Vector128<double> e = ExpNonPositive(NegAbs(x));
        Vector128<double> numerator = Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(x, Vector128<double>.Zero), Vector128<double>.One, e);
        sigmoid = numerator / (Vector128<double>.One + e);
        return Vector128.MaxNative(x, Vector128<double>.Zero) + Log1PUnit(e);
    }

    /// <summary>ln σ(x) = −Softplus(−x), lane-wise, finite for all finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LogSigmoid(Vector128<double> x)
    {
        Vector128<double> e = ExpNonPositive(NegAbs(x));
        return Vector128.MinNative(x, Vector128<double>.Zero) - Log1PUnit(e);
    }

    /// <summary>
    /// tanh x, lane-wise: with T = e^(2|x|) − 1 (ExpM1, so no cancellation near 0),
    /// tanh|x| = T/(T + 2), exactly 1 for |x| ≥ 20.0 (where tanh rounds to 1), and the sign of x
    /// restored. ±0 → ±0, ±inf → ±1, NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> x)
    {
        Vector128<double> signBit = x & Vector128.Create(-0.0);
        Vector128<double> a = Vector128.Abs(x);
        Vector128<double> t = ExpM1(a + a);
        Vector128<double> result = Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(a, Vector128.Create(20.0)),
            Vector128<double>.One,
            t / (t + Vector128.Create(2.0)));
        return result | signBit;
    }

    /// <summary>Sign as a double, lane-wise: ±1 for nonzero x (including ±inf), ±0 for ±0, NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sign(Vector128<double> x)
    {
        Vector128<double> signBit = x & Vector128.Create(-0.0);
        Vector128<double> nonZero = Vector128.GreaterThan(Vector128.Abs(x), Vector128<double>.Zero);
        return Vector128.ConditionalSelect(nonZero, signBit | Vector128<double>.One, x);
    }
}
