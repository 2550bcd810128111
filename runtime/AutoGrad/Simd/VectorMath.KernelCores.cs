using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Simd;

// The pieces of Softplus and Sigmoid that the generated batch kernels share between several
// functions of one argument (Softplus(z), Softplus(-z) and Sigmoid(z) all start from e^-|z|).
// Exposed to AutoGrad.Internal.KernelMath only; the public surface of VectorMath is unchanged.
public static partial class VectorMath
{
    /// <summary>e^-|x|, the first step of <see cref="Softplus(Vector256{float})"/> and <see cref="Sigmoid(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ExpNegAbsCore(Vector256<float> x) => ExpNonPositive(NegAbs(x));

    /// <summary>e^-|x|, the first step of <see cref="Softplus(Vector256{double})"/> and <see cref="Sigmoid(Vector256{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> ExpNegAbsCore(Vector256<double> x) => ExpNonPositive(NegAbs(x));

    /// <summary>e^-|x|, the first step of <see cref="Softplus(Vector128{float})"/> and <see cref="Sigmoid(Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ExpNegAbsCore(Vector128<float> x) => ExpNonPositive(NegAbs(x));

    /// <summary>e^-|x|, the first step of <see cref="Softplus(Vector128{double})"/> and <see cref="Sigmoid(Vector128{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> ExpNegAbsCore(Vector128<double> x) => ExpNonPositive(NegAbs(x));

    /// <summary>ln(1 + e) for e in [0, 1] or NaN: the tail of <see cref="Softplus(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Log1PUnitCore(Vector256<float> e) => Log1PUnit(e);

    /// <summary>ln(1 + e) for e in [0, 1] or NaN: the tail of <see cref="Softplus(Vector256{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Log1PUnitCore(Vector256<double> e) => Log1PUnit(e);

    /// <summary>ln(1 + e) for e in [0, 1] or NaN: the tail of <see cref="Softplus(Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Log1PUnitCore(Vector128<float> e) => Log1PUnit(e);

    /// <summary>ln(1 + e) for e in [0, 1] or NaN: the tail of <see cref="Softplus(Vector128{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> Log1PUnitCore(Vector128<double> e) => Log1PUnit(e);
}
