// The four vector sections and the two scalar sections are one template each, expanded for
// Vector256/Vector128 × float/double; keep them identical but for the type.
using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoGrad.Simd;

namespace AutoGrad.Internal;

/// <summary>
/// The elementwise operations that generated batch kernels use besides <see cref="VectorMath"/>'s
/// functions: one overload per <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> and scalar type, so that
/// a kernel body reads the same in each and its scalar tail computes exactly what its vector lanes compute.
/// Used by generated code; not part of the public contract.
/// </summary>
/// <remarks>
/// Comparisons return masks (all bits set where they hold) for vectors and <see cref="bool"/> for scalars;
/// <c>Select</c> takes either. A scalar comparison used as a number is written <c>Select(mask, 1, 0)</c>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class KernelMath
{
    // ---------------------------------------------------------------- Vector256<float>

    /// <summary>|x|, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);

    /// <summary>√x, lane-wise (correctly rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> x) => Vector256.Sqrt(x);

    /// <summary>max(x, y), lane-wise, as <see cref="Math.Max(float, float)"/>: NaN propagates, +0 is above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> x, Vector256<float> y) => Vector256.Max(x, y);

    /// <summary>min(x, y), lane-wise, as <see cref="Math.Min(float, float)"/>: NaN propagates, −0 is below +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> x, Vector256<float> y) => Vector256.Min(x, y);

    /// <summary>max(x, 0) as the hardware computes it: the first term of Softplus.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxZero(Vector256<float> x) => Vector256.MaxNative(x, Vector256<float>.Zero);

    /// <summary>e^−|x|, lane-wise: the value Softplus(±x) and Sigmoid(±x) share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpNegAbs(Vector256<float> x) => VectorMath.ExpNegAbsCore(x);

    /// <summary>ln(1 + e) for e in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)), bit for bit as <see cref="VectorMath.Softplus(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1PUnit(Vector256<float> e) => VectorMath.Log1PUnitCore(e);

    /// <summary>σ(x) from e = <see cref="ExpNegAbs(Vector256{float})"/>(x): (x ≥ 0 ? 1 : e)/(1 + e), bit for bit as <see cref="VectorMath.Sigmoid(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SigmoidFromExp(Vector256<float> x, Vector256<float> e) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, e) / (Vector256<float>.One + e);

    /// <summary>
    /// x^p, lane-wise, computed in double (e^(p·ln|x|) loses |p·ln x| ulps in float) with <see cref="Math.Pow(double, double)"/>'s
    /// cases: x^0 = 1 and 1^p = 1 (NaN included), a negative base gives NaN for a non-integer exponent and a negative
    /// result for an odd one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Pow(Vector256<float> x, Vector256<float> p)
    {
        Vector256<double> lower = Pow(Vector256.WidenLower(x), Vector256.WidenLower(p));
        Vector256<double> upper = Pow(Vector256.WidenUpper(x), Vector256.WidenUpper(p));
        return Vector256.Narrow(lower, upper);
    }

    /// <summary>The mask of a &lt; b (all bits set where it holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Less(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

    /// <summary>The mask of a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessEqual(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b);

    /// <summary>The mask of a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Equal(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);

    /// <summary>The mask of a != b (true where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NotEqual(Vector256<float> a, Vector256<float> b) => ~Vector256.Equals(a, b);

    /// <summary>The mask of x != 0 (true for NaN): how a value used as a condition is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NonZero(Vector256<float> x) => ~Vector256.Equals(x, Vector256<float>.Zero);

    /// <summary>mask ? whenTrue : whenFalse, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <summary>1 where the mask is set, 0 elsewhere: a comparison used as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> mask) => mask & Vector256<float>.One;

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> x) => Vector256.Sum(x);

    /// <summary>The sum of the lanes, each widened to double first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector256<float> x) => Vector256.Sum(Vector256.WidenLower(x)) + Vector256.Sum(Vector256.WidenUpper(x));

    /// <summary>The largest lane, as <see cref="Math.Max(float, float)"/> (NaN propagates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> x)
    {
        float m = x.GetElement(0);
        for (int i = 1; i < Vector256<float>.Count; i++) m = Math.Max(m, x.GetElement(i));
        return m;
    }

    /// <summary>The largest lane as the hardware max computes it (NaN may be dropped): the shift of a LogSumExp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxNativeAcross(Vector256<float> x)
    {
        float m = x.GetElement(0);
        for (int i = 1; i < Vector256<float>.Count; i++) m = MaxNative(m, x.GetElement(i));
        return m;
    }

    // ---------------------------------------------------------------- Vector256<double>

    /// <summary>|x|, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Abs(Vector256<double> x) => Vector256.Abs(x);

    /// <summary>√x, lane-wise (correctly rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sqrt(Vector256<double> x) => Vector256.Sqrt(x);

    /// <summary>max(x, y), lane-wise, as <see cref="Math.Max(double, double)"/>: NaN propagates, +0 is above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> x, Vector256<double> y) => Vector256.Max(x, y);

    /// <summary>min(x, y), lane-wise, as <see cref="Math.Min(double, double)"/>: NaN propagates, −0 is below +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> x, Vector256<double> y) => Vector256.Min(x, y);

    /// <summary>max(x, 0) as the hardware computes it: the first term of Softplus.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MaxZero(Vector256<double> x) => Vector256.MaxNative(x, Vector256<double>.Zero);

    /// <summary>e^−|x|, lane-wise: the value Softplus(±x) and Sigmoid(±x) share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpNegAbs(Vector256<double> x) => VectorMath.ExpNegAbsCore(x);

    /// <summary>ln(1 + e) for e in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)), bit for bit as <see cref="VectorMath.Softplus(Vector256{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log1PUnit(Vector256<double> e) => VectorMath.Log1PUnitCore(e);

    /// <summary>σ(x) from e = <see cref="ExpNegAbs(Vector256{double})"/>(x): (x ≥ 0 ? 1 : e)/(1 + e), bit for bit as <see cref="VectorMath.Sigmoid(Vector256{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SigmoidFromExp(Vector256<double> x, Vector256<double> e) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), Vector256<double>.One, e) / (Vector256<double>.One + e);

    /// <summary>
    /// x^p, lane-wise, as e^(p·ln|x|) with <see cref="Math.Pow(double, double)"/>'s cases: x^0 = 1 and 1^p = 1 (NaN included),
    /// a negative base gives NaN for a non-integer exponent and a negative result for an odd one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Pow(Vector256<double> x, Vector256<double> p)
    {
        Vector256<double> r = VectorMath.Exp(p * VectorMath.Log(Vector256.Abs(x)));
        Vector256<double> isInteger = Vector256.Equals(Vector256.Floor(p), p);
        Vector256<double> half = p * Vector256.Create(0.5);
        Vector256<double> isOdd = Vector256.AndNot(isInteger, Vector256.Equals(Vector256.Floor(half), half));
        Vector256<double> negative = Vector256.LessThan(x, Vector256<double>.Zero);
        r = Vector256.ConditionalSelect(negative & isOdd, -r, r);
        r = Vector256.ConditionalSelect(Vector256.AndNot(negative, isInteger), Vector256.Create(double.NaN), r);
        Vector256<double> one = Vector256.Equals(p, Vector256<double>.Zero) | Vector256.Equals(x, Vector256<double>.One);
        return Vector256.ConditionalSelect(one, Vector256<double>.One, r);
    }

    /// <summary>The mask of a &lt; b (all bits set where it holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Less(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);

    /// <summary>The mask of a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LessEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqual(a, b);

    /// <summary>The mask of a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Equal(Vector256<double> a, Vector256<double> b) => Vector256.Equals(a, b);

    /// <summary>The mask of a != b (true where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> NotEqual(Vector256<double> a, Vector256<double> b) => ~Vector256.Equals(a, b);

    /// <summary>The mask of x != 0 (true for NaN): how a value used as a condition is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> NonZero(Vector256<double> x) => ~Vector256.Equals(x, Vector256<double>.Zero);

    /// <summary>mask ? whenTrue : whenFalse, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> whenTrue, Vector256<double> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <summary>1 where the mask is set, 0 elsewhere: a comparison used as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Value(Vector256<double> mask) => mask & Vector256<double>.One;

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> x) => Vector256.Sum(x);

    /// <summary>The sum of the lanes, each widened to double first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector256<double> x) => Vector256.Sum(x);

    /// <summary>The largest lane, as <see cref="Math.Max(double, double)"/> (NaN propagates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxAcross(Vector256<double> x)
    {
        double m = x.GetElement(0);
        for (int i = 1; i < Vector256<double>.Count; i++) m = Math.Max(m, x.GetElement(i));
        return m;
    }

    /// <summary>The largest lane as the hardware max computes it (NaN may be dropped): the shift of a LogSumExp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxNativeAcross(Vector256<double> x)
    {
        double m = x.GetElement(0);
        for (int i = 1; i < Vector256<double>.Count; i++) m = MaxNative(m, x.GetElement(i));
        return m;
    }

    // ---------------------------------------------------------------- Vector128<float>

    /// <summary>|x|, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);

    /// <summary>√x, lane-wise (correctly rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> x) => Vector128.Sqrt(x);

    /// <summary>max(x, y), lane-wise, as <see cref="Math.Max(float, float)"/>: NaN propagates, +0 is above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> x, Vector128<float> y) => Vector128.Max(x, y);

    /// <summary>min(x, y), lane-wise, as <see cref="Math.Min(float, float)"/>: NaN propagates, −0 is below +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> x, Vector128<float> y) => Vector128.Min(x, y);

    /// <summary>max(x, 0) as the hardware computes it: the first term of Softplus.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxZero(Vector128<float> x) => Vector128.MaxNative(x, Vector128<float>.Zero);

    /// <summary>e^−|x|, lane-wise: the value Softplus(±x) and Sigmoid(±x) share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpNegAbs(Vector128<float> x) => VectorMath.ExpNegAbsCore(x);

    /// <summary>ln(1 + e) for e in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)), bit for bit as <see cref="VectorMath.Softplus(Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log1PUnit(Vector128<float> e) => VectorMath.Log1PUnitCore(e);

    /// <summary>σ(x) from e = <see cref="ExpNegAbs(Vector128{float})"/>(x): (x ≥ 0 ? 1 : e)/(1 + e), bit for bit as <see cref="VectorMath.Sigmoid(Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SigmoidFromExp(Vector128<float> x, Vector128<float> e) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), Vector128<float>.One, e) / (Vector128<float>.One + e);

    /// <summary>
    /// x^p, lane-wise, computed in double (e^(p·ln|x|) loses |p·ln x| ulps in float) with <see cref="Math.Pow(double, double)"/>'s
    /// cases: x^0 = 1 and 1^p = 1 (NaN included), a negative base gives NaN for a non-integer exponent and a negative
    /// result for an odd one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Pow(Vector128<float> x, Vector128<float> p)
    {
        Vector128<double> lower = Pow(Vector128.WidenLower(x), Vector128.WidenLower(p));
        Vector128<double> upper = Pow(Vector128.WidenUpper(x), Vector128.WidenUpper(p));
        return Vector128.Narrow(lower, upper);
    }

    /// <summary>The mask of a &lt; b (all bits set where it holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Less(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);

    /// <summary>The mask of a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LessEqual(Vector128<float> a, Vector128<float> b) => Vector128.LessThanOrEqual(a, b);

    /// <summary>The mask of a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Equal(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);

    /// <summary>The mask of a != b (true where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NotEqual(Vector128<float> a, Vector128<float> b) => ~Vector128.Equals(a, b);

    /// <summary>The mask of x != 0 (true for NaN): how a value used as a condition is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NonZero(Vector128<float> x) => ~Vector128.Equals(x, Vector128<float>.Zero);

    /// <summary>mask ? whenTrue : whenFalse, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <summary>1 where the mask is set, 0 elsewhere: a comparison used as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Value(Vector128<float> mask) => mask & Vector128<float>.One;

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> x) => Vector128.Sum(x);

    /// <summary>The sum of the lanes, each widened to double first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector128<float> x) => Vector128.Sum(Vector128.WidenLower(x)) + Vector128.Sum(Vector128.WidenUpper(x));

    /// <summary>The largest lane, as <see cref="Math.Max(float, float)"/> (NaN propagates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> x)
    {
        float m = x.GetElement(0);
        for (int i = 1; i < Vector128<float>.Count; i++) m = Math.Max(m, x.GetElement(i));
        return m;
    }

    /// <summary>The largest lane as the hardware max computes it (NaN may be dropped): the shift of a LogSumExp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxNativeAcross(Vector128<float> x)
    {
        float m = x.GetElement(0);
        for (int i = 1; i < Vector128<float>.Count; i++) m = MaxNative(m, x.GetElement(i));
        return m;
    }

    // ---------------------------------------------------------------- Vector128<double>

    /// <summary>|x|, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Abs(Vector128<double> x) => Vector128.Abs(x);

    /// <summary>√x, lane-wise (correctly rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sqrt(Vector128<double> x) => Vector128.Sqrt(x);

    /// <summary>max(x, y), lane-wise, as <see cref="Math.Max(double, double)"/>: NaN propagates, +0 is above −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Max(Vector128<double> x, Vector128<double> y) => Vector128.Max(x, y);

    /// <summary>min(x, y), lane-wise, as <see cref="Math.Min(double, double)"/>: NaN propagates, −0 is below +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> x, Vector128<double> y) => Vector128.Min(x, y);

    /// <summary>max(x, 0) as the hardware computes it: the first term of Softplus.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> MaxZero(Vector128<double> x) => Vector128.MaxNative(x, Vector128<double>.Zero);

    /// <summary>e^−|x|, lane-wise: the value Softplus(±x) and Sigmoid(±x) share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ExpNegAbs(Vector128<double> x) => VectorMath.ExpNegAbsCore(x);

    /// <summary>ln(1 + e) for e in [0, 1]: Softplus(x) = MaxZero(x) + Log1PUnit(ExpNegAbs(x)), bit for bit as <see cref="VectorMath.Softplus(Vector128{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log1PUnit(Vector128<double> e) => VectorMath.Log1PUnitCore(e);

    /// <summary>σ(x) from e = <see cref="ExpNegAbs(Vector128{double})"/>(x): (x ≥ 0 ? 1 : e)/(1 + e), bit for bit as <see cref="VectorMath.Sigmoid(Vector128{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> SigmoidFromExp(Vector128<double> x, Vector128<double> e) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<double>.Zero), Vector128<double>.One, e) / (Vector128<double>.One + e);

    /// <summary>
    /// x^p, lane-wise, as e^(p·ln|x|) with <see cref="Math.Pow(double, double)"/>'s cases: x^0 = 1 and 1^p = 1 (NaN included),
    /// a negative base gives NaN for a non-integer exponent and a negative result for an odd one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Pow(Vector128<double> x, Vector128<double> p)
    {
        Vector128<double> r = VectorMath.Exp(p * VectorMath.Log(Vector128.Abs(x)));
        Vector128<double> isInteger = Vector128.Equals(Vector128.Floor(p), p);
        Vector128<double> half = p * Vector128.Create(0.5);
        Vector128<double> isOdd = Vector128.AndNot(isInteger, Vector128.Equals(Vector128.Floor(half), half));
        Vector128<double> negative = Vector128.LessThan(x, Vector128<double>.Zero);
        r = Vector128.ConditionalSelect(negative & isOdd, -r, r);
        r = Vector128.ConditionalSelect(Vector128.AndNot(negative, isInteger), Vector128.Create(double.NaN), r);
        Vector128<double> one = Vector128.Equals(p, Vector128<double>.Zero) | Vector128.Equals(x, Vector128<double>.One);
        return Vector128.ConditionalSelect(one, Vector128<double>.One, r);
    }

    /// <summary>The mask of a &lt; b (all bits set where it holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Less(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b);

    /// <summary>The mask of a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LessEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqual(a, b);

    /// <summary>The mask of a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Equal(Vector128<double> a, Vector128<double> b) => Vector128.Equals(a, b);

    /// <summary>The mask of a != b (true where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> NotEqual(Vector128<double> a, Vector128<double> b) => ~Vector128.Equals(a, b);

    /// <summary>The mask of x != 0 (true for NaN): how a value used as a condition is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> NonZero(Vector128<double> x) => ~Vector128.Equals(x, Vector128<double>.Zero);

    /// <summary>mask ? whenTrue : whenFalse, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Select(Vector128<double> mask, Vector128<double> whenTrue, Vector128<double> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <summary>1 where the mask is set, 0 elsewhere: a comparison used as a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Value(Vector128<double> mask) => mask & Vector128<double>.One;

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<double> x) => Vector128.Sum(x);

    /// <summary>The sum of the lanes, each widened to double first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector128<double> x) => Vector128.Sum(x);

    /// <summary>The largest lane, as <see cref="Math.Max(double, double)"/> (NaN propagates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxAcross(Vector128<double> x)
    {
        double m = x.GetElement(0);
        for (int i = 1; i < Vector128<double>.Count; i++) m = Math.Max(m, x.GetElement(i));
        return m;
    }

    /// <summary>The largest lane as the hardware max computes it (NaN may be dropped): the shift of a LogSumExp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxNativeAcross(Vector128<double> x)
    {
        double m = x.GetElement(0);
        for (int i = 1; i < Vector128<double>.Count; i++) m = MaxNative(m, x.GetElement(i));
        return m;
    }

    // ---------------------------------------------------------------- float (lane 0 of the Vector128 code)

    /// <summary>|x|, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float x) => Vector128.Abs(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>√x, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float x) => Vector128.Sqrt(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>max(x, y), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float x, float y) => Vector128.Max(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>min(x, y), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float x, float y) => Vector128.Min(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>The hardware max of two numbers (as the vector lanes compute it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxNative(float x, float y) => Vector128.MaxNative(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>max(x, 0), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxZero(float x) => MaxZero(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>e^−|x|, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpNegAbs(float x) => VectorMath.ExpNegAbsCore(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + e) for e in [0, 1], as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log1PUnit(float e) => VectorMath.Log1PUnitCore(Vector128.CreateScalar(e)).ToScalar();

    /// <summary>σ(x) from e = e^−|x|, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SigmoidFromExp(float x, float e) => SigmoidFromExp(Vector128.CreateScalar(x), Vector128.CreateScalar(e)).ToScalar();

    /// <summary>x^p, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Pow(float x, float p) => Pow(Vector128.CreateScalar(x), Vector128.CreateScalar(p)).ToScalar();

    /// <summary>a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Less(float a, float b) => a < b;

    /// <summary>a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessEqual(float a, float b) => a <= b;

    /// <summary>a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(float a, float b) => a == b;

    /// <summary>a != b (true where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NotEqual(float a, float b) => a != b;

    /// <summary>x != 0 (true for NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NonZero(float x) => x != 0f;

    /// <summary>mask ? whenTrue : whenFalse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(bool mask, float whenTrue, float whenFalse) => mask ? whenTrue : whenFalse;

    /// <summary>x when it is finite, else 0: the shift of a LogSumExp whose row is all −∞ (or holds +∞ or NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FiniteOrZero(float x) => float.IsFinite(x) ? x : 0f;

    // ---------------------------------------------------------------- double (lane 0 of the Vector128 code)

    /// <summary>|x|, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs(double x) => Vector128.Abs(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>√x, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sqrt(double x) => Vector128.Sqrt(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>max(x, y), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double x, double y) => Vector128.Max(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>min(x, y), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double x, double y) => Vector128.Min(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>The hardware max of two numbers (as the vector lanes compute it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxNative(double x, double y) => Vector128.MaxNative(Vector128.CreateScalar(x), Vector128.CreateScalar(y)).ToScalar();

    /// <summary>max(x, 0), as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxZero(double x) => MaxZero(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>e^−|x|, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpNegAbs(double x) => VectorMath.ExpNegAbsCore(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>ln(1 + e) for e in [0, 1], as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1PUnit(double e) => VectorMath.Log1PUnitCore(Vector128.CreateScalar(e)).ToScalar();

    /// <summary>σ(x) from e = e^−|x|, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SigmoidFromExp(double x, double e) => SigmoidFromExp(Vector128.CreateScalar(x), Vector128.CreateScalar(e)).ToScalar();

    /// <summary>x^p, as the vector lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pow(double x, double p) => Pow(Vector128.CreateScalar(x), Vector128.CreateScalar(p)).ToScalar();

    /// <summary>a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Less(double a, double b) => a < b;

    /// <summary>a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessEqual(double a, double b) => a <= b;

    /// <summary>a == b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(double a, double b) => a == b;

    /// <summary>a != b (true where either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NotEqual(double a, double b) => a != b;

    /// <summary>x != 0 (true for NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NonZero(double x) => x != 0.0;

    /// <summary>mask ? whenTrue : whenFalse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Select(bool mask, double whenTrue, double whenFalse) => mask ? whenTrue : whenFalse;

    /// <summary>x when it is finite, else 0: the shift of a LogSumExp whose row is all −∞ (or holds +∞ or NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FiniteOrZero(double x) => double.IsFinite(x) ? x : 0.0;
}
