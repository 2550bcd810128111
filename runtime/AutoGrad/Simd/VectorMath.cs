using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Simd;

/// <summary>
/// Fast, accurate, branch-free elementwise transcendental functions over
/// <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> and scalars, for <see cref="float"/>
/// and <see cref="double"/>.
/// </summary>
/// <remarks>
/// <para>
/// Used by the batch kernels the AutoGrad source generator emits. It is public so that
/// generated code, which lives in the user's assembly, can call it; it is not meant as a
/// general-purpose math library, although it is one.
/// </para>
/// <para>
/// <b>Algorithms.</b> <c>Exp</c>: Cephes-style, x = n·ln2 + r with a two-constant Cody–Waite split,
/// e^r = 1 + r + r²·P(r) (P of degree 5 for float, the Cephes <c>expf</c> coefficients; degree 10 for
/// double, a Chebyshev fit on [-ln2/2, ln2/2] with truncation error 2e-19), then 2^n applied as
/// two exponent-bit factors so that results in the subnormal range are rounded correctly and
/// n = 128 (float) / 1024 (double) does not overflow early. <c>Log</c>: mantissa/exponent split with
/// the mantissa in [√½, √2); float uses the Cephes <c>logf</c> degree-8 polynomial in f = m − 1,
/// double the fdlibm form log(1+f) = f − f²/2 + s·(f²/2 + R(s²)), s = f/(2+f), R of degree 7 in s².
/// Subnormal inputs are rescaled by 2^23 (2^52) first, so they are handled exactly like normal ones.
/// </para>
/// <para>
/// <b>Accuracy</b>, float, as the maximum distance from the exact result in ulps over every float
/// of the relevant range (FMA hardware): Exp 1.04, Log 0.86 (so both are within 1 ulp of the
/// correctly rounded result), Log1P 1.44, ExpM1 1.44, Softplus and LogSigmoid 1.99, Sigmoid 2.40,
/// Tanh 2.42. Double, against libm on 10^5–10^6 sampled inputs: Exp and Log ≤ 1 ulp, the others
/// ≤ 4 ulp (≤ 5.3e-16 relative).
/// </para>
/// <para>
/// <b>Special values.</b> Exp: +inf and overflow → +inf, −inf and underflow → +0 (gradual: results
/// in the subnormal range are subnormal), NaN → NaN. Log: ±0 → −inf, negative or NaN → NaN, +inf → +inf.
/// Sigmoid, Softplus, LogSigmoid and Tanh are finite for every finite input.
/// </para>
/// <para>
/// <b>Cost.</b> Everything is inlined (no calls) and branch-free: special cases are lane masks
/// (<c>ConditionalSelect</c>), paid on every vector. <see cref="SoftplusWithSigmoid(Vector256{float}, out Vector256{float})"/>
/// computes the Softplus/σ pair of a logistic loss from one exponential and skips the checks its
/// domain does not need.
/// </para>
/// <para>
/// <b>Consistency.</b> The scalar overloads run the <see cref="Vector128{T}"/> code on one lane, and
/// the <see cref="Vector128{T}"/> and <see cref="Vector256{T}"/> code are the same sequence of
/// lane-wise operations, so a vectorized loop body and its scalar tail give bit-identical results
/// for the same input. Multiply-adds are fused when the hardware has FMA (x86 <see cref="Fma"/>,
/// Arm <see cref="AdvSimd"/>) and are a separate multiply and add otherwise, on every path alike.
/// </para>
/// </remarks>
public static partial class VectorMath
{
    /// <summary>True when multiply-adds are computed fused (one rounding), on every path.</summary>
    public static bool IsFusedMultiplyAddUsed
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported || AdvSimd.IsSupported;
    }

    // ---------------------------------------------------------------- float constants

    // round(x·log2 e) via the "magic number" trick: adding 1.5·2^23 leaves n in the low mantissa bits.
    private const float ExpMagicF = 12582912f;          // 1.5 · 2^23, bits 0x4B400000
    private const int ExpMagicBitsF = 0x4B400000;
    private const float Log2EF = 1.44269504088896341f;
    // Cody–Waite split of ln 2 (Cephes): Ln2HiF has 9 significant bits, so n·Ln2HiF is exact.
    private const float Ln2HiF = 0.693359375f;
    private const float Ln2LoF = -2.12194440e-4f;
    // e^r = 1 + r + r²·P(r), |r| ≤ ln2/2 (Cephes expf).
    private const float ExpP0F = 1.9875691500e-4f;
    private const float ExpP1F = 1.3981999507e-3f;
    private const float ExpP2F = 8.3334519073e-3f;
    private const float ExpP3F = 4.1665795894e-2f;
    private const float ExpP4F = 1.6666665459e-1f;
    private const float ExpP5F = 5.0000001201e-1f;
    // Above: the result overflows (the computation itself already rounds to +inf between
    // ln(float.MaxValue) = 88.7228 and this bound). Below: the result is < 2^-150 and rounds to 0.
    private const float ExpOverflowF = 88.8f;
    private const float ExpUnderflowF = -104f;
    private const float TwoToMinus64F = 5.42101086e-20f;   // 2^-64, exact
    // Below: expm1(x) rounds to -1 in float.
    private const float ExpM1MinusOneF = -20f;

    // log: m = x / 2^k in [√½, √2), f = m - 1.
    private const int LogSqrtHalfBitsF = 0x3F3504F3;     // √½ rounded
    private const int LogOneBitsF = 0x3F800000;
    private const float LogMinNormalF = 1.17549435e-38f;  // 2^-126
    private const float LogSubnormalScaleF = 8388608f;   // 2^23
    // log(1+f) = f - f²/2 + f³·P(f) (Cephes logf).
    private const float LogP0F = 7.0376836292e-2f;
    private const float LogP1F = -1.1514610310e-1f;
    private const float LogP2F = 1.1676998740e-1f;
    private const float LogP3F = -1.2420140846e-1f;
    private const float LogP4F = 1.4249322787e-1f;
    private const float LogP5F = -1.6668057665e-1f;
    private const float LogP6F = 2.0000714765e-1f;
    private const float LogP7F = -2.4999993993e-1f;
    private const float LogP8F = 3.3333331174e-1f;

    // ---------------------------------------------------------------- double constants

    private const double ExpMagicD = 6755399441055744.0;   // 1.5 · 2^52, bits 0x4338000000000000
    private const long ExpMagicBitsD = 0x4338000000000000;
    private const double Log2ED = 1.4426950408889634074;
    // Cody–Waite split of ln 2 (Cephes): Ln2HiD has 22 significant bits, so n·Ln2HiD is exact.
    private const double Ln2HiD = 6.93145751953125E-1;
    private const double Ln2LoD = 1.42860682030941723212E-6;
    // e^r = 1 + r + r²·G(r), G of degree 10: Chebyshev fit of (e^r - 1 - r)/r² on [-ln2/2, ln2/2]
    // (absolute error of G 1.4e-18, relative error of e^r 2.4e-19).
    private const double ExpC12D = 2.0914679595617734e-09;
    private const double ExpC11D = 2.510520668068106e-08;
    private const double ExpC10D = 2.7557273660822466e-07;
    private const double ExpC9D = 2.7557255425009614e-06;
    private const double ExpC8D = 2.480158732553378e-05;
    private const double ExpC7D = 0.00019841269874801073;
    private const double ExpC6D = 0.0013888888888883752;
    private const double ExpC5D = 0.008333333333326141;
    private const double ExpC4D = 0.04166666666666667;
    private const double ExpC3D = 0.1666666666666667;
    private const double ExpC2D = 0.5;
    private const double ExpOverflowD = 709.8;    // ln(double.MaxValue) = 709.7827
    private const double ExpUnderflowD = -745.2;  // ln(2^-1075) = -745.1332
    private const double TwoToMinus64D = 5.4210108624275222E-20;   // 2^-64, exact
    private const double ExpM1MinusOneD = -40.0;

    private const ulong LogSqrtHalfBitsD = 0x3FE6A09E667F3BCD;
    private const ulong LogOneBitsD = 0x3FF0000000000000;
    private const ulong LogMantissaMaskD = 0x000FFFFFFFFFFFFF;
    private const ulong LogTwoPow52BitsD = 0x4330000000000000;
    private const double LogTwoPow52D = 4503599627370496.0;
    private const double LogMinNormalD = 2.2250738585072014E-308;  // 2^-1022
    // fdlibm log: ln2 = Ln2HiLogD + Ln2LoLogD, Ln2HiLogD has 32 significant bits.
    private const double Ln2HiLogD = 6.93147180369123816490e-01;
    private const double Ln2LoLogD = 1.90821492927058770002e-10;
    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;

    // ---------------------------------------------------------------- scalar overloads
    // They run the Vector128 code on lane 0 so that a vectorized body and its scalar tail agree
    // bit for bit.

    /// <summary>e^x. Scalar form of <see cref="Exp(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => Exp(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>e^x. Scalar form of <see cref="Exp(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Exp(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>e^x − 1. Scalar form of <see cref="ExpM1(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpM1(float x) => ExpM1(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>e^x − 1. Scalar form of <see cref="ExpM1(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpM1(double x) => ExpM1(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln x. Scalar form of <see cref="Log(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x) => Log(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln x. Scalar form of <see cref="Log(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double x) => Log(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + x). Scalar form of <see cref="Log1P(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log1P(float x) => Log1P(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + x). Scalar form of <see cref="Log1P(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1P(double x) => Log1P(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>1 / (1 + e^−x). Scalar form of <see cref="Sigmoid(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => Sigmoid(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>1 / (1 + e^−x). Scalar form of <see cref="Sigmoid(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x) => Sigmoid(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + e^x). Scalar form of <see cref="Softplus(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => Softplus(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + e^x). Scalar form of <see cref="Softplus(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Softplus(double x) => Softplus(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Softplus(x) and σ(x) sharing one e^−|x|. Scalar form of <see cref="SoftplusWithSigmoid(Vector256{float}, out Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SoftplusWithSigmoid(float x, out float sigmoid)
    {
        Vector128<float> softplus = SoftplusWithSigmoid(Vector128.CreateScalar(x), out Vector128<float> s);
        sigmoid = s.ToScalar();
        return softplus.ToScalar();
    }

    /// <summary>Softplus(x) and σ(x) sharing one e^−|x|. Scalar form of <see cref="SoftplusWithSigmoid(Vector256{double}, out Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SoftplusWithSigmoid(double x, out double sigmoid)
    {
        Vector128<double> softplus = SoftplusWithSigmoid(Vector128.CreateScalar(x), out Vector128<double> s);
        sigmoid = s.ToScalar();
        return softplus.ToScalar();
    }

    /// <summary>ln σ(x) = −Softplus(−x). Scalar form of <see cref="LogSigmoid(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogSigmoid(float x) => LogSigmoid(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln σ(x) = −Softplus(−x). Scalar form of <see cref="LogSigmoid(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogSigmoid(double x) => LogSigmoid(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>tanh x. Scalar form of <see cref="Tanh(Vector256{float})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => Tanh(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>tanh x. Scalar form of <see cref="Tanh(Vector256{double})"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x) => Tanh(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Sign as a float: ±1 for nonzero x, x itself for ±0 and NaN. Scalar form of <see cref="Sign(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sign(float x) => Sign(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Sign as a double: ±1 for nonzero x, x itself for ±0 and NaN. Scalar form of <see cref="Sign(Vector256{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sign(double x) => Sign(Vector128.CreateScalar(x)).ToScalar();
}
