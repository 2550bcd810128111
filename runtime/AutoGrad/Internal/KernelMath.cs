// Generated from one template per container (Vector256<T>, Vector128<T>, T): keep the sections identical but for it.
using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AutoGrad.Simd;

namespace AutoGrad.Internal;

/// <summary>
/// The elementwise operations of generated batch kernels, generic over the element type T (<see cref="float"/> or
/// <see cref="double"/>) and overloaded for <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> and T, so that one
/// kernel body serves both element types and every width. Where the float and double code differ, a
/// <c>typeof(T) == typeof(float)</c> test picks it; the JIT compiles each instantiation separately and removes the test.
/// Used by generated code; not part of the public contract.
/// </summary>
/// <remarks>
/// The transcendental functions are <see cref="VectorMath"/>'s: Vector128 and Vector256 lanes are the same sequence
/// of operations, so the last (partial) Vector128 of a loop computes exactly what the Vector256 lanes before it did.
/// Comparisons return masks (all bits set where they hold) for vectors and <see cref="bool"/> for T.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class KernelMath
{
    /// <summary>A constant as a T (rounded to float for float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Constant<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>((float)value) : Unsafe.BitCast<double, T>(value);

    /// <summary>A T as a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Unsafe.BitCast<T, float>(value) : Unsafe.BitCast<T, double>(value);

    /// <summary>A double as a T (rounded to float for float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => Constant<T>(value);

    /// <summary>An int as a T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromInt32<T>(int value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>(value) : Unsafe.BitCast<double, T>(value);

    // ---------------------------------------------------------------- Vector256<T>

    /// <summary>e^x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>ln x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>ln(1 + x) (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log1P<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Log1P(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Log1P(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>e^x − 1 (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ExpM1<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpM1(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.ExpM1(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>tanh x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Tanh(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Tanh(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>the sign of x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sign<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Sign(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Sign(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>e^−|x|: the value Softplus(±x) and Sigmoid(±x) share, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ExpNegAbs<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpNegAbsCore(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.ExpNegAbsCore(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>ln(1 + e) for e = e^−|x| in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)), bit for bit as VectorMath.Softplus, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log1PUnit<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Log1PUnitCore(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Log1PUnitCore(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>x^p as e^(p·ln|x|) with Math.Pow's cases (x^0 = 1, 1^p = 1, a negative base needs an integer exponent); float is computed in double, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Pow<T>(Vector256<T> x, Vector256<T> p)
    {
        if (typeof(T) == typeof(float)) return PowCore(x.AsSingle(), p.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return PowCore(x.AsDouble(), p.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>a·b + c, fused where the hardware fuses (as <see cref="VectorMath"/> does), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (VectorMath.IsFusedMultiplyAddUsed)
        {
            if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }

    /// <summary>a·b − c, fused where the hardware fuses (one instruction on x86, no negation), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplySubtract<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float)) return Fma.MultiplySubtract(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Fma.MultiplySubtract(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return MultiplyAdd(a, b, -c);
    }

    /// <summary>c − a·b, fused where the hardware fuses (one instruction on x86, no negation), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> NegatedMultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float)) return Fma.MultiplyAddNegated(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Fma.MultiplyAddNegated(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return MultiplyAdd(-a, b, c);
    }

    /// <summary>|x|, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs<T>(Vector256<T> x) => Vector256.Abs(x);

    /// <summary>√x, lane-wise (correctly rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt<T>(Vector256<T> x) => Vector256.Sqrt(x);

    /// <summary>max(x, y), lane-wise, as <see cref="Math.Max(double, double)"/>: NaN propagates, +0 is above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max<T>(Vector256<T> x, Vector256<T> y) => Vector256.Max(x, y);

    /// <summary>min(x, y), lane-wise, as <see cref="Math.Min(double, double)"/>: NaN propagates, −0 is below +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Min<T>(Vector256<T> x, Vector256<T> y) => Vector256.Min(x, y);

    /// <summary>max(x, 0) as the hardware computes it: the first term of Softplus.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaxZero<T>(Vector256<T> x) => Vector256.MaxNative(x, Vector256<T>.Zero);

    /// <summary>σ(x) from e = <c>ExpNegAbs(x)</c>: (x ≥ 0 ? 1 : e)/(1 + e), bit for bit as VectorMath.Sigmoid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SigmoidFromExp<T>(Vector256<T> x, Vector256<T> e) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero), Vector256<T>.One, e) / (Vector256<T>.One + e);

    /// <summary>The mask of a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Less<T>(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);

    /// <summary>The mask of a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessEqual<T>(Vector256<T> a, Vector256<T> b) => Vector256.LessThanOrEqual(a, b);

    /// <summary>The mask of a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equal<T>(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b);

    /// <summary>The mask of a != b (set where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> NotEqual<T>(Vector256<T> a, Vector256<T> b) => ~Vector256.Equals(a, b);

    /// <summary>The mask of x != 0 (set for NaN): a number used as a condition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> NonZero<T>(Vector256<T> x) => ~Vector256.Equals(x, Vector256<T>.Zero);

    /// <summary>mask ? whenTrue : whenFalse, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select<T>(Vector256<T> mask, Vector256<T> whenTrue, Vector256<T> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <summary>1 where the mask is set, 0 elsewhere: a comparison used as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Value<T>(Vector256<T> mask) => mask & Vector256<T>.One;

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(Vector256<T> x) => Vector256.Sum(x);

    /// <summary>The sum of the lanes, each widened to double first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector256.Sum(Vector256.WidenLower(x.AsSingle())) + Vector256.Sum(Vector256.WidenUpper(x.AsSingle()));
        if (typeof(T) == typeof(double)) return Vector256.Sum(x.AsDouble());
        throw new NotSupportedException();
    }

    /// <summary>The largest lane, NaN propagating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxAcross<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => MaxAcross(Vector128.Max(x.GetLower(), x.GetUpper()));

    /// <summary>The largest lane as the hardware max computes it (a NaN may be dropped): the shift of a LogSumExp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxNativeAcross<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => MaxNativeAcross(Vector128.MaxNative(x.GetLower(), x.GetUpper()));

    // ---------------------------------------------------------------- Vector128<T>

    /// <summary>e^x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>ln x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>ln(1 + x) (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log1P<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Log1P(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Log1P(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>e^x − 1 (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ExpM1<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpM1(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.ExpM1(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>tanh x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Tanh<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Tanh(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Tanh(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>the sign of x (<see cref="VectorMath"/>), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sign<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Sign(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Sign(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>e^−|x|: the value Softplus(±x) and Sigmoid(±x) share, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ExpNegAbs<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.ExpNegAbsCore(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.ExpNegAbsCore(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>ln(1 + e) for e = e^−|x| in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)), bit for bit as VectorMath.Softplus, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log1PUnit<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return VectorMath.Log1PUnitCore(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return VectorMath.Log1PUnitCore(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>x^p as e^(p·ln|x|) with Math.Pow's cases (x^0 = 1, 1^p = 1, a negative base needs an integer exponent); float is computed in double, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Pow<T>(Vector128<T> x, Vector128<T> p)
    {
        if (typeof(T) == typeof(float)) return PowCore(x.AsSingle(), p.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return PowCore(x.AsDouble(), p.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    /// <summary>a·b + c, fused where the hardware fuses (as <see cref="VectorMath"/> does), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (VectorMath.IsFusedMultiplyAddUsed)
        {
            if (typeof(T) == typeof(float)) return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }

    /// <summary>a·b − c, fused where the hardware fuses (one instruction on x86, no negation), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplySubtract<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float)) return Fma.MultiplySubtract(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Fma.MultiplySubtract(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return MultiplyAdd(a, b, -c);
    }

    /// <summary>c − a·b, fused where the hardware fuses (one instruction on x86, no negation), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> NegatedMultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float)) return Fma.MultiplyAddNegated(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Fma.MultiplyAddNegated(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return MultiplyAdd(-a, b, c);
    }

    /// <summary>|x|, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs<T>(Vector128<T> x) => Vector128.Abs(x);

    /// <summary>√x, lane-wise (correctly rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt<T>(Vector128<T> x) => Vector128.Sqrt(x);

    /// <summary>max(x, y), lane-wise, as <see cref="Math.Max(double, double)"/>: NaN propagates, +0 is above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max<T>(Vector128<T> x, Vector128<T> y) => Vector128.Max(x, y);

    /// <summary>min(x, y), lane-wise, as <see cref="Math.Min(double, double)"/>: NaN propagates, −0 is below +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Min<T>(Vector128<T> x, Vector128<T> y) => Vector128.Min(x, y);

    /// <summary>max(x, 0) as the hardware computes it: the first term of Softplus.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MaxZero<T>(Vector128<T> x) => Vector128.MaxNative(x, Vector128<T>.Zero);

    /// <summary>σ(x) from e = <c>ExpNegAbs(x)</c>: (x ≥ 0 ? 1 : e)/(1 + e), bit for bit as VectorMath.Sigmoid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SigmoidFromExp<T>(Vector128<T> x, Vector128<T> e) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<T>.Zero), Vector128<T>.One, e) / (Vector128<T>.One + e);

    /// <summary>The mask of a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Less<T>(Vector128<T> a, Vector128<T> b) => Vector128.LessThan(a, b);

    /// <summary>The mask of a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LessEqual<T>(Vector128<T> a, Vector128<T> b) => Vector128.LessThanOrEqual(a, b);

    /// <summary>The mask of a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Equal<T>(Vector128<T> a, Vector128<T> b) => Vector128.Equals(a, b);

    /// <summary>The mask of a != b (set where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> NotEqual<T>(Vector128<T> a, Vector128<T> b) => ~Vector128.Equals(a, b);

    /// <summary>The mask of x != 0 (set for NaN): a number used as a condition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> NonZero<T>(Vector128<T> x) => ~Vector128.Equals(x, Vector128<T>.Zero);

    /// <summary>mask ? whenTrue : whenFalse, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select<T>(Vector128<T> mask, Vector128<T> whenTrue, Vector128<T> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <summary>1 where the mask is set, 0 elsewhere: a comparison used as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Value<T>(Vector128<T> mask) => mask & Vector128<T>.One;

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(Vector128<T> x) => Vector128.Sum(x);

    /// <summary>The sum of the lanes, each widened to double first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector128.Sum(Vector128.WidenLower(x.AsSingle())) + Vector128.Sum(Vector128.WidenUpper(x.AsSingle()));
        if (typeof(T) == typeof(double)) return Vector128.Sum(x.AsDouble());
        throw new NotSupportedException();
    }

    /// <summary>The largest lane, NaN propagating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxAcross<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> {
        // Halves, then quarters: log2(lanes) shuffles.
        if (typeof(T) == typeof(float))
        {
            Vector128<float> f = x.AsSingle();
            f = Vector128.Max(f, Vector128.Shuffle(f, Vector128.Create(2, 3, 0, 1)));
            f = Vector128.Max(f, Vector128.Shuffle(f, Vector128.Create(1, 0, 3, 2)));
            return Unsafe.BitCast<float, T>(f.ToScalar());
        }
        Vector128<double> d = x.AsDouble();
        return Unsafe.BitCast<double, T>(Vector128.Max(d, Vector128.Shuffle(d, Vector128.Create(1L, 0L))).ToScalar());
    }

    /// <summary>The largest lane as the hardware max computes it (a NaN may be dropped): the shift of a LogSumExp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxNativeAcross<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> f = x.AsSingle();
            f = Vector128.MaxNative(f, Vector128.Shuffle(f, Vector128.Create(2, 3, 0, 1)));
            f = Vector128.MaxNative(f, Vector128.Shuffle(f, Vector128.Create(1, 0, 3, 2)));
            return Unsafe.BitCast<float, T>(f.ToScalar());
        }
        Vector128<double> d = x.AsDouble();
        return Unsafe.BitCast<double, T>(Vector128.MaxNative(d, Vector128.Shuffle(d, Vector128.Create(1L, 0L))).ToScalar());
    }

    // ---------------------------------------------------------------- T (one lane of the Vector128 code)

    /// <summary>e^x (<see cref="VectorMath"/>), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Exp(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln x (<see cref="VectorMath"/>), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Log(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + x) (<see cref="VectorMath"/>), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1P<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Log1P(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>e^x − 1 (<see cref="VectorMath"/>), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpM1<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => ExpM1(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>tanh x (<see cref="VectorMath"/>), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Tanh(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>the sign of x (<see cref="VectorMath"/>), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sign<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Sign(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>e^−|x|: the value Softplus(±x) and Sigmoid(±x) share, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpNegAbs<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => ExpNegAbs(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + e) for e = e^−|x| in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)), bit for bit as VectorMath.Softplus, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1PUnit<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Log1PUnit(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>x^p as e^(p·ln|x|) with Math.Pow's cases (x^0 = 1, 1^p = 1, a negative base needs an integer exponent); float is computed in double, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow<T>(T x, T p)
        where T : unmanaged, IFloatingPointIeee754<T> => Pow(Vector128.CreateScalar(x), Vector128.CreateScalar(p)).ToScalar();

    /// <summary>Abs, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Abs(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Sqrt, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sqrt<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Sqrt(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>MaxZero, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxZero<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => MaxZero(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Max, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => Max(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>Min, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Min<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => Min(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>SigmoidFromExp, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SigmoidFromExp<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => SigmoidFromExp(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>a·b + c, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd<T>(T a, T b, T c)
        where T : unmanaged, IFloatingPointIeee754<T> => MultiplyAdd(Vector128.CreateScalar(a), Vector128.CreateScalar(b), Vector128.CreateScalar(c)).ToScalar();

    /// <summary>a·b − c, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplySubtract<T>(T a, T b, T c)
        where T : unmanaged, IFloatingPointIeee754<T> => MultiplySubtract(Vector128.CreateScalar(a), Vector128.CreateScalar(b), Vector128.CreateScalar(c)).ToScalar();

    /// <summary>c − a·b, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T NegatedMultiplyAdd<T>(T a, T b, T c)
        where T : unmanaged, IFloatingPointIeee754<T> => NegatedMultiplyAdd(Vector128.CreateScalar(a), Vector128.CreateScalar(b), Vector128.CreateScalar(c)).ToScalar();

    /// <summary>The hardware max of two numbers, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxNative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector128.MaxNative(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Less<T>(T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T> => a < b;

    /// <summary>a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessEqual<T>(T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T> => a <= b;

    /// <summary>a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal<T>(T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T> => a == b;

    /// <summary>a != b (true where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NotEqual<T>(T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T> => a != b;

    /// <summary>x != 0 (true for NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NonZero<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x != T.Zero;

    /// <summary>mask ? whenTrue : whenFalse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Select<T>(bool mask, T whenTrue, T whenFalse)
        where T : unmanaged, IFloatingPointIeee754<T> => mask ? whenTrue : whenFalse;

    /// <summary>1 where the condition holds, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<T>(bool mask)
        where T : unmanaged, IFloatingPointIeee754<T> => mask ? T.One : T.Zero;

    /// <summary>x when it is finite, else 0: the shift of a LogSumExp whose row is all −∞ (or holds +∞ or NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FiniteOrZero<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.IsFinite(x) ? x : T.Zero;

    // ---------------------------------------------------------------- Pow


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PowCore(Vector256<float> x, Vector256<float> p) =>
        Vector256.Narrow(PowCore(Vector256.WidenLower(x), Vector256.WidenLower(p)), PowCore(Vector256.WidenUpper(x), Vector256.WidenUpper(p)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> PowCore(Vector256<double> x, Vector256<double> p)
    {
        Vector256<double> r = VectorMath.Exp(p * VectorMath.Log(Vector256.Abs(x)));
        Vector256<double> isInteger = Vector256.Equals(Vector256.Floor(p), p);
        Vector256<double> half = p * Vector256.Create(0.5);
        Vector256<double> isOdd = Vector256.AndNot(isInteger, Vector256.Equals(Vector256.Floor(half), half));
        Vector256<double> negative = Vector256.LessThan(x, Vector256<double>.Zero);
        r = Vector256.ConditionalSelect(negative & isOdd, -r, r);
        // A finite negative base with a non-integer exponent has no real power (−∞ has: ±∞ or ±0 as for integers).
        r = Vector256.ConditionalSelect(Vector256.AndNot(negative, isInteger) & Vector256.GreaterThan(x, Vector256.Create(double.NegativeInfinity)), Vector256.Create(double.NaN), r);
        Vector256<double> one = Vector256.Equals(p, Vector256<double>.Zero) | Vector256.Equals(x, Vector256<double>.One)
            | (Vector256.Equals(x, Vector256.Create(-1.0)) & Vector256.Equals(Vector256.Abs(p), Vector256.Create(double.PositiveInfinity)));
        return Vector256.ConditionalSelect(one, Vector256<double>.One, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> PowCore(Vector128<float> x, Vector128<float> p) =>
        Vector128.Narrow(PowCore(Vector128.WidenLower(x), Vector128.WidenLower(p)), PowCore(Vector128.WidenUpper(x), Vector128.WidenUpper(p)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> PowCore(Vector128<double> x, Vector128<double> p)
    {
        Vector128<double> r = VectorMath.Exp(p * VectorMath.Log(Vector128.Abs(x)));
        Vector128<double> isInteger = Vector128.Equals(Vector128.Floor(p), p);
        Vector128<double> half = p * Vector128.Create(0.5);
        Vector128<double> isOdd = Vector128.AndNot(isInteger, Vector128.Equals(Vector128.Floor(half), half));
        Vector128<double> negative = Vector128.LessThan(x, Vector128<double>.Zero);
        r = Vector128.ConditionalSelect(negative & isOdd, -r, r);
        // A finite negative base with a non-integer exponent has no real power (−∞ has: ±∞ or ±0 as for integers).
        r = Vector128.ConditionalSelect(Vector128.AndNot(negative, isInteger) & Vector128.GreaterThan(x, Vector128.Create(double.NegativeInfinity)), Vector128.Create(double.NaN), r);
        Vector128<double> one = Vector128.Equals(p, Vector128<double>.Zero) | Vector128.Equals(x, Vector128<double>.One)
            | (Vector128.Equals(x, Vector128.Create(-1.0)) & Vector128.Equals(Vector128.Abs(p), Vector128.Create(double.PositiveInfinity)));
        return Vector128.ConditionalSelect(one, Vector128<double>.One, r);
    }
}
