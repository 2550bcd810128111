using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using AutoGrad.Simd;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Simd;

/// <summary>A fact that is skipped when <see cref="Vector256"/> is not hardware accelerated.</summary>
public sealed class Vector256FactAttribute : FactAttribute
{
    public Vector256FactAttribute()
    {
        if (!Vector256.IsHardwareAccelerated)
            Skip = "Vector256 is not hardware accelerated on this machine.";
    }
}

/// <summary>A theory that is skipped when <see cref="Vector256"/> is not hardware accelerated.</summary>
public sealed class Vector256TheoryAttribute : TheoryAttribute
{
    public Vector256TheoryAttribute()
    {
        if (!Vector256.IsHardwareAccelerated)
            Skip = "Vector256 is not hardware accelerated on this machine.";
    }
}

public class VectorMathTests
{
    private readonly ITestOutputHelper output;

    public VectorMathTests(ITestOutputHelper output) => this.output = output;

    // ------------------------------------------------------------------ the functions under test

    private sealed record FloatFn(
        Func<Vector256<float>, Vector256<float>> V256,
        Func<Vector128<float>, Vector128<float>> V128,
        Func<float, float> Scalar,
        Func<double, double> Reference,
        double MaxUlp);

    private sealed record DoubleFn(
        Func<Vector256<double>, Vector256<double>> V256,
        Func<Vector128<double>, Vector128<double>> V128,
        Func<double, double> Scalar,
        Func<double, double> Reference,
        long MaxUlp);

    // Float bounds are fractional ulps of the exact (double) reference; measured maxima over all
    // floats of the relevant range (exhaustive run, not this test): Exp 1.04, Log 0.86, Log1P 1.44,
    // ExpM1 1.44, Sigmoid 2.40, Softplus 1.99, LogSigmoid 1.99, Tanh 2.42.
    private static readonly Dictionary<string, FloatFn> FloatFns = new()
    {
        ["Exp"] = new(VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, Math.Exp, 2.0),
        ["Log"] = new(VectorMath.Log, VectorMath.Log, VectorMath.Log, Math.Log, 2.0),
        ["Log1P"] = new(VectorMath.Log1P, VectorMath.Log1P, VectorMath.Log1P, Log1PReference, 2.0),
        ["ExpM1"] = new(VectorMath.ExpM1, VectorMath.ExpM1, VectorMath.ExpM1, ExpM1Reference, 2.0),
        ["Sigmoid"] = new(VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid, SigmoidReference, 3.0),
        ["Softplus"] = new(VectorMath.Softplus, VectorMath.Softplus, VectorMath.Softplus, SoftplusReference, 2.5),
        ["LogSigmoid"] = new(VectorMath.LogSigmoid, VectorMath.LogSigmoid, VectorMath.LogSigmoid, x => -SoftplusReference(-x), 2.5),
        ["Tanh"] = new(VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh, Math.Tanh, 3.0),
        ["Sign"] = new(VectorMath.Sign, VectorMath.Sign, VectorMath.Sign, SignReference, 0.0),
    };

    // Double bounds are whole ulps against a double reference (Math.Exp/Math.Log are libm, the
    // composite references are themselves only good to a few ulp); a result within 1e-15 relative
    // passes too. Measured: Exp 1, Log 1, Log1P 2, ExpM1 3, Sigmoid 4, Softplus 3, Tanh 4 (≤ 5.3e-16 relative).
    private static readonly Dictionary<string, DoubleFn> DoubleFns = new()
    {
        ["Exp"] = new(VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, Math.Exp, 2),
        ["Log"] = new(VectorMath.Log, VectorMath.Log, VectorMath.Log, Math.Log, 2),
        ["Log1P"] = new(VectorMath.Log1P, VectorMath.Log1P, VectorMath.Log1P, Log1PReference, 2),
        ["ExpM1"] = new(VectorMath.ExpM1, VectorMath.ExpM1, VectorMath.ExpM1, ExpM1Reference, 2),
        ["Sigmoid"] = new(VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid, SigmoidReference, 2),
        ["Softplus"] = new(VectorMath.Softplus, VectorMath.Softplus, VectorMath.Softplus, SoftplusReference, 2),
        ["LogSigmoid"] = new(VectorMath.LogSigmoid, VectorMath.LogSigmoid, VectorMath.LogSigmoid, x => -SoftplusReference(-x), 2),
        ["Tanh"] = new(VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh, Math.Tanh, 2),
        ["Sign"] = new(VectorMath.Sign, VectorMath.Sign, VectorMath.Sign, SignReference, 0),
    };

    public static IEnumerable<object[]> FunctionNames()
    {
        foreach (string name in FloatFns.Keys)
            yield return new object[] { name };
    }

    // ------------------------------------------------------------------ references (double)

    private static double Log1PReference(double x)
    {
        if (Math.Abs(x) < 1e-4)
            return x * (1 - x * (1.0 / 2 - x * (1.0 / 3 - x * (1.0 / 4 - x * (1.0 / 5)))));
        double u = 1 + x;
        if (u == 0 || double.IsInfinity(u) || double.IsNaN(u))
            return Math.Log(u);
        return Math.Log(u) - ((u - 1) - x) / u;
    }

    private static double ExpM1Reference(double x)
    {
        if (Math.Abs(x) < 1e-5)
            return x * (1 + x * (1.0 / 2 + x * (1.0 / 6 + x * (1.0 / 24))));
        if (!(Math.Abs(x) <= 0.5))
            return Math.Exp(x) - 1;
        double u = Math.Exp(x); // Kahan: (u − 1)·x / log u cancels the rounding error of u
        return (u - 1) * x / Math.Log(u);
    }

    private static double SigmoidReference(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        return (x >= 0 ? 1 : e) / (1 + e);
    }

    private static double SoftplusReference(double x) => Math.Max(x, 0) + Log1PReference(Math.Exp(-Math.Abs(x)));

    private static double SignReference(double x) => double.IsNaN(x) || x == 0 ? x : Math.CopySign(1.0, x);

    // ------------------------------------------------------------------ inputs

    private static readonly float[] FloatSpecials =
    {
        0f, -0f, float.Epsilon, -float.Epsilon, 1e-45f, 1e-40f, -1e-40f, 1.17549435e-38f, 1e-30f, -1e-30f,
        1e-10f, -1e-10f, 1e-7f, -1e-7f, 5.96e-8f, 1f, -1f, 0.5f, 2f,
        float.PositiveInfinity, float.NegativeInfinity, float.NaN,
        88.7f, -88.7f, 88.72283f, 88.722839f, 88.72284f, 88.73f, -87.33f, -87.34f, -103.27f, -103.28f, -103.97f, -103.98f, -104f, -105f,
        709.7f, -709.7f, 1000f, -1000f, 1e30f, -1e30f, float.MaxValue, float.MinValue,
        9f, 10f, -10f, 20f, -20f, 17.3f, -17.3f,
    };

    private static readonly double[] DoubleSpecials =
    {
        0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-310, -1e-310, 2.2250738585072014E-308, 1e-300, -1e-300,
        1e-20, -1e-20, 1e-16, -1e-16, 1.1e-16, 1.0, -1.0, 0.5, 2.0,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN,
        88.7, -88.7, 709.7, -709.7, 709.78, 709.782712893384, 709.7827128933841, 709.79, -708.39, -708.4,
        -744.44, -745.13, -745.1332191019411, -745.14, -745.2, -746, 1000, -1000, 1e300, -1e300,
        double.MaxValue, double.MinValue, 19, 20, -20, 37.5, -37.5, 40, -40,
    };

    private static float[] FloatInputs()
    {
        var xs = new List<float>(FloatSpecials);
        const int dense = 200_000;
        for (int i = 0; i <= dense; i++)
            xs.Add(-100f + 200f * i / dense);
        // log-spaced magnitudes from the subnormals up to 1e5, both signs
        for (int i = 0; i <= 20_000; i++)
        {
            float m = (float)Math.Pow(10, -45 + 50.0 * i / 20_000);
            xs.Add(m);
            xs.Add(-m);
        }
        var rng = new Random(12345);
        for (int i = 0; i < 20_000; i++)
            xs.Add((float)(rng.NextDouble() * 2 - 1));
        return xs.ToArray();
    }

    private static double[] DoubleInputs()
    {
        var xs = new List<double>(DoubleSpecials);
        const int dense = 200_000;
        for (int i = 0; i <= dense; i++)
            xs.Add(-100.0 + 200.0 * i / dense);
        for (int i = 0; i <= 50_000; i++)
            xs.Add(-750.0 + 1500.0 * i / 50_000);
        for (int i = 0; i <= 30_000; i++)
        {
            double m = Math.Pow(10, -323 + 326.0 * i / 30_000);
            xs.Add(m);
            xs.Add(-m);
        }
        var rng = new Random(54321);
        for (int i = 0; i < 20_000; i++)
            xs.Add(rng.NextDouble() * 2 - 1);
        return xs.ToArray();
    }

    private static readonly float[] FloatXs = FloatInputs();
    private static readonly double[] DoubleXs = DoubleInputs();

    // ------------------------------------------------------------------ appliers

    private static float[] Apply(Func<Vector256<float>, Vector256<float>> f, float[] xs)
    {
        var result = new float[xs.Length];
        var lane = new float[8];
        for (int i = 0; i < xs.Length; i += 8)
        {
            int n = Math.Min(8, xs.Length - i);
            Array.Clear(lane);
            Array.Copy(xs, i, lane, 0, n);
            f(Vector256.Create(lane)).CopyTo(lane);
            Array.Copy(lane, 0, result, i, n);
        }
        return result;
    }

    private static float[] Apply(Func<Vector128<float>, Vector128<float>> f, float[] xs)
    {
        var result = new float[xs.Length];
        var lane = new float[4];
        for (int i = 0; i < xs.Length; i += 4)
        {
            int n = Math.Min(4, xs.Length - i);
            Array.Clear(lane);
            Array.Copy(xs, i, lane, 0, n);
            f(Vector128.Create(lane)).CopyTo(lane);
            Array.Copy(lane, 0, result, i, n);
        }
        return result;
    }

    private static double[] Apply(Func<Vector256<double>, Vector256<double>> f, double[] xs)
    {
        var result = new double[xs.Length];
        var lane = new double[4];
        for (int i = 0; i < xs.Length; i += 4)
        {
            int n = Math.Min(4, xs.Length - i);
            Array.Clear(lane);
            Array.Copy(xs, i, lane, 0, n);
            f(Vector256.Create(lane)).CopyTo(lane);
            Array.Copy(lane, 0, result, i, n);
        }
        return result;
    }

    private static double[] Apply(Func<Vector128<double>, Vector128<double>> f, double[] xs)
    {
        var result = new double[xs.Length];
        var lane = new double[2];
        for (int i = 0; i < xs.Length; i += 2)
        {
            int n = Math.Min(2, xs.Length - i);
            Array.Clear(lane);
            Array.Copy(xs, i, lane, 0, n);
            f(Vector128.Create(lane)).CopyTo(lane);
            Array.Copy(lane, 0, result, i, n);
        }
        return result;
    }

    private static TOut[] Apply<TIn, TOut>(Func<TIn, TOut> f, TIn[] xs) => Array.ConvertAll(xs, x => f(x));

    // ------------------------------------------------------------------ error measures

    /// <summary>The spacing of floats at |v| (for v rounded to float), subnormal spacing below 2^-126.</summary>
    private static double FloatUlp(double v)
    {
        double a = Math.Abs((double)(float)v);
        if (double.IsInfinity(a))
            a = float.MaxValue;
        int e = a == 0 ? -126 : Math.Max(Math.ILogB(a), -126);
        return Math.ScaleB(1.0, e - 23);
    }

    /// <summary>Error of a float result in (fractional) ulps of the exact reference.</summary>
    private static double FloatUlpError(float got, double reference)
    {
        if (double.IsNaN(reference) || float.IsNaN(got))
            return double.IsNaN(reference) && float.IsNaN(got) ? 0 : double.PositiveInfinity;
        float rounded = (float)reference;
        if (got == rounded)
            return 0;
        if (float.IsInfinity(got) || float.IsInfinity(rounded))
            return double.PositiveInfinity;
        return Math.Abs(got - reference) / FloatUlp(reference);
    }

    private static long Ordered(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        return bits < 0 ? long.MinValue - bits : bits;
    }

    /// <summary>Distance in whole ulps between two doubles (0 for two NaNs, "infinite" for NaN vs number).</summary>
    private static double DoubleUlpDistance(double got, double reference)
    {
        if (double.IsNaN(reference) || double.IsNaN(got))
            return double.IsNaN(reference) && double.IsNaN(got) ? 0 : double.PositiveInfinity;
        if (got == reference)
            return 0;
        if (double.IsInfinity(got) || double.IsInfinity(reference))
            return double.PositiveInfinity;
        return Math.Abs((double)(Ordered(got) - Ordered(reference)));
    }

    // ------------------------------------------------------------------ accuracy

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void FloatAccuracyAgainstDoubleReference(string name)
    {
        FloatFn fn = FloatFns[name];
        float[] got = Apply(fn.V128, FloatXs);
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < FloatXs.Length; i++)
        {
            double err = FloatUlpError(got[i], fn.Reference(FloatXs[i]));
            if (err > worst)
            {
                worst = err;
                worstAt = FloatXs[i];
            }
        }
        output.WriteLine($"float {name}: max {worst:F3} ulp at x = {worstAt:R} over {FloatXs.Length} inputs");
        Assert.True(worst <= fn.MaxUlp,
            $"float {name}: {worst:F3} ulp at x = {worstAt:R} (got {fn.Scalar(worstAt):R}, reference {fn.Reference(worstAt):R}); bound {fn.MaxUlp}");
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void DoubleAccuracyAgainstDoubleReference(string name)
    {
        DoubleFn fn = DoubleFns[name];
        double[] got = Apply(fn.V128, DoubleXs);
        double worstUlp = 0, worstRel = 0;
        double failAt = double.NaN;
        for (int i = 0; i < DoubleXs.Length; i++)
        {
            double reference = fn.Reference(DoubleXs[i]);
            double ulps = DoubleUlpDistance(got[i], reference);
            double rel = ulps == 0 ? 0 : Math.Abs(got[i] - reference) / Math.Abs(reference);
            worstUlp = Math.Max(worstUlp, ulps);
            if (Math.Abs(reference) >= 2.2250738585072014E-308 && !double.IsNaN(rel))
                worstRel = Math.Max(worstRel, rel); // relative error reported over normal results only
            if (ulps > fn.MaxUlp && !(rel <= 1e-15) && double.IsNaN(failAt))
                failAt = DoubleXs[i];
        }
        output.WriteLine($"double {name}: max {worstUlp} ulp, max relative {worstRel:E2} over {DoubleXs.Length} inputs");
        Assert.True(double.IsNaN(failAt),
            $"double {name}: x = {failAt:R} got {fn.Scalar(failAt):R}, reference {fn.Reference(failAt):R}");
    }

    // ------------------------------------------------------------------ special values

    [Fact]
    public void ExpSpecialValues()
    {
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Exp(float.NegativeInfinity));
        Assert.True(float.IsNaN(VectorMath.Exp(float.NaN)));
        Assert.Equal(1f, VectorMath.Exp(0f));
        Assert.Equal(1f, VectorMath.Exp(-0f));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(1000f));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(88.73f));
        Assert.Equal(0f, VectorMath.Exp(-1000f));
        Assert.True(float.IsFinite(VectorMath.Exp(88.72283f)) && VectorMath.Exp(88.72283f) > 3.4e38f);
        float sub = VectorMath.Exp(-100f); // 3.72e-44: subnormal, not flushed
        Assert.True(sub > 0 && !float.IsNormal(sub));
        Assert.Equal((float)Math.Exp(-100.0), sub);
        Assert.Equal(float.Epsilon, VectorMath.Exp(-103.2f));

        Assert.Equal(double.PositiveInfinity, VectorMath.Exp(double.PositiveInfinity));
        Assert.Equal(0.0, VectorMath.Exp(double.NegativeInfinity));
        Assert.True(double.IsNaN(VectorMath.Exp(double.NaN)));
        Assert.Equal(double.PositiveInfinity, VectorMath.Exp(709.79));
        Assert.Equal(Math.Exp(709.78), VectorMath.Exp(709.78));
        Assert.Equal(Math.Exp(-740.0), VectorMath.Exp(-740.0));
        Assert.Equal(0.0, VectorMath.Exp(-1000.0));
    }

    [Fact]
    public void LogSpecialValues()
    {
        Assert.Equal(float.NegativeInfinity, VectorMath.Log(0f));
        Assert.Equal(float.NegativeInfinity, VectorMath.Log(-0f));
        Assert.Equal(float.PositiveInfinity, VectorMath.Log(float.PositiveInfinity));
        Assert.True(float.IsNaN(VectorMath.Log(-1f)));
        Assert.True(float.IsNaN(VectorMath.Log(float.NegativeInfinity)));
        Assert.True(float.IsNaN(VectorMath.Log(float.NaN)));
        Assert.Equal(0f, VectorMath.Log(1f));
        Assert.Equal((float)Math.Log(float.Epsilon), VectorMath.Log(float.Epsilon));
        Assert.Equal((float)Math.Log(float.MaxValue), VectorMath.Log(float.MaxValue));

        Assert.Equal(double.NegativeInfinity, VectorMath.Log(0.0));
        Assert.Equal(double.PositiveInfinity, VectorMath.Log(double.PositiveInfinity));
        Assert.True(double.IsNaN(VectorMath.Log(-1.0)));
        Assert.True(double.IsNaN(VectorMath.Log(double.NaN)));
        Assert.Equal(0.0, VectorMath.Log(1.0));
        Assert.Equal(Math.Log(double.Epsilon), VectorMath.Log(double.Epsilon));
        Assert.Equal(Math.Log(double.MaxValue), VectorMath.Log(double.MaxValue));
    }

    [Fact]
    public void Log1PAndExpM1SpecialValues()
    {
        Assert.Equal(1e-30f, VectorMath.Log1P(1e-30f));
        Assert.Equal(-1e-30f, VectorMath.Log1P(-1e-30f));
        Assert.Equal(float.NegativeInfinity, VectorMath.Log1P(-1f));
        Assert.True(float.IsNaN(VectorMath.Log1P(-2f)));
        Assert.True(float.IsNaN(VectorMath.Log1P(float.NegativeInfinity)));
        Assert.Equal(float.PositiveInfinity, VectorMath.Log1P(float.PositiveInfinity));
        Assert.True(float.IsNaN(VectorMath.Log1P(float.NaN)));
        Assert.Equal(1e-300, VectorMath.Log1P(1e-300));
        Assert.Equal(double.NegativeInfinity, VectorMath.Log1P(-1.0));
        Assert.Equal(double.PositiveInfinity, VectorMath.Log1P(double.PositiveInfinity));

        Assert.Equal(1e-30f, VectorMath.ExpM1(1e-30f));
        Assert.Equal(-1e-30f, VectorMath.ExpM1(-1e-30f));
        Assert.Equal(0f, VectorMath.ExpM1(0f));
        Assert.Equal(-1f, VectorMath.ExpM1(float.NegativeInfinity));
        Assert.Equal(-1f, VectorMath.ExpM1(-1000f));
        Assert.Equal(float.PositiveInfinity, VectorMath.ExpM1(float.PositiveInfinity));
        Assert.Equal(float.PositiveInfinity, VectorMath.ExpM1(1000f));
        Assert.True(float.IsFinite(VectorMath.ExpM1(88.72283f)));
        Assert.True(float.IsNaN(VectorMath.ExpM1(float.NaN)));
        Assert.Equal(1e-300, VectorMath.ExpM1(1e-300));
        Assert.Equal(-1.0, VectorMath.ExpM1(-1000.0));
        Assert.Equal(double.PositiveInfinity, VectorMath.ExpM1(1000.0));
    }

    [Fact]
    public void SigmoidSoftplusLogSigmoidAreFiniteAtExtremes()
    {
        foreach (float x in new[] { 1000f, -1000f, 100f, -100f, 88.8f, -88.8f, 1e30f, -1e30f, float.MaxValue, float.MinValue })
        {
            Assert.True(float.IsFinite(VectorMath.Sigmoid(x)), $"Sigmoid({x})");
            Assert.True(float.IsFinite(VectorMath.Softplus(x)), $"Softplus({x})");
            Assert.True(float.IsFinite(VectorMath.LogSigmoid(x)), $"LogSigmoid({x})");
            Assert.True(float.IsFinite(VectorMath.Tanh(x)), $"Tanh({x})");
        }
        Assert.Equal(1f, VectorMath.Sigmoid(1000f));
        Assert.Equal(0f, VectorMath.Sigmoid(-1000f));
        Assert.Equal((float)SigmoidReference(-100), VectorMath.Sigmoid(-100f)); // 3.7e-44, not 0
        Assert.Equal(1000f, VectorMath.Softplus(1000f));
        Assert.Equal(0f, VectorMath.Softplus(-1000f));
        Assert.Equal(-1000f, VectorMath.LogSigmoid(-1000f));
        Assert.Equal(0f, VectorMath.LogSigmoid(1000f));
        Assert.Equal(0.5f, VectorMath.Sigmoid(0f));
        Assert.Equal(MathF.Log(2f), VectorMath.Softplus(0f));
        Assert.Equal(float.PositiveInfinity, VectorMath.Softplus(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Softplus(float.NegativeInfinity));
        Assert.Equal(1f, VectorMath.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Sigmoid(float.NegativeInfinity));
        Assert.True(float.IsNaN(VectorMath.Sigmoid(float.NaN)));
        Assert.True(float.IsNaN(VectorMath.Softplus(float.NaN)));

        foreach (double x in new[] { 1000.0, -1000.0, 800.0, -800.0, 1e300, -1e300 })
        {
            Assert.True(double.IsFinite(VectorMath.Sigmoid(x)), $"Sigmoid({x})");
            Assert.True(double.IsFinite(VectorMath.Softplus(x)), $"Softplus({x})");
            Assert.True(double.IsFinite(VectorMath.LogSigmoid(x)), $"LogSigmoid({x})");
        }
        Assert.Equal(1000.0, VectorMath.Softplus(1000.0));
        Assert.Equal(-1000.0, VectorMath.LogSigmoid(-1000.0));
        Assert.Equal(0.0, VectorMath.Sigmoid(-1000.0));
        Assert.Equal(1.0, VectorMath.Sigmoid(1000.0));
    }

    [Fact]
    public void TanhAndSignSpecialValues()
    {
        Assert.Equal(1f, VectorMath.Tanh(float.PositiveInfinity));
        Assert.Equal(-1f, VectorMath.Tanh(float.NegativeInfinity));
        Assert.Equal(1f, VectorMath.Tanh(1000f));
        Assert.Equal(-1f, VectorMath.Tanh(-1000f));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(VectorMath.Tanh(-0f)));
        Assert.Equal(1e-20f, VectorMath.Tanh(1e-20f));
        Assert.True(float.IsNaN(VectorMath.Tanh(float.NaN)));
        Assert.Equal(-1.0, VectorMath.Tanh(-1000.0));
        Assert.Equal(1e-200, VectorMath.Tanh(1e-200));

        Assert.Equal(1f, VectorMath.Sign(3f));
        Assert.Equal(-1f, VectorMath.Sign(-1e-40f));
        Assert.Equal(1f, VectorMath.Sign(float.PositiveInfinity));
        Assert.Equal(-1f, VectorMath.Sign(float.NegativeInfinity));
        Assert.Equal(0f, VectorMath.Sign(0f));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(VectorMath.Sign(-0f)));
        Assert.True(float.IsNaN(VectorMath.Sign(float.NaN)));
        Assert.Equal(-1.0, VectorMath.Sign(-2.5));
        Assert.Equal(1.0, VectorMath.Sign(double.Epsilon));
    }

    // ------------------------------------------------------------------ Vector256 == Vector128 == scalar

    private static void AssertSameBits(float[] expected, float[] actual, float[] xs, string what)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            bool same = BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])
                || (float.IsNaN(expected[i]) && float.IsNaN(actual[i]));
            Assert.True(same, $"{what}: x = {xs[i]:R}: {expected[i]:R} vs {actual[i]:R}");
        }
    }

    private static void AssertSameBits(double[] expected, double[] actual, double[] xs, string what)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            bool same = BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i])
                || (double.IsNaN(expected[i]) && double.IsNaN(actual[i]));
            Assert.True(same, $"{what}: x = {xs[i]:R}: {expected[i]:R} vs {actual[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void ScalarMatchesVector128BitForBit(string name)
    {
        AssertSameBits(Apply(FloatFns[name].V128, FloatXs), Apply(FloatFns[name].Scalar, FloatXs), FloatXs, $"float {name}");
        AssertSameBits(Apply(DoubleFns[name].V128, DoubleXs), Apply(DoubleFns[name].Scalar, DoubleXs), DoubleXs, $"double {name}");
    }

    [Vector256Theory]
    [MemberData(nameof(FunctionNames))]
    public void Vector256MatchesVector128BitForBit(string name)
    {
        AssertSameBits(Apply(FloatFns[name].V128, FloatXs), Apply(FloatFns[name].V256, FloatXs), FloatXs, $"float {name}");
        AssertSameBits(Apply(DoubleFns[name].V128, DoubleXs), Apply(DoubleFns[name].V256, DoubleXs), DoubleXs, $"double {name}");
    }

    [Fact]
    public void SoftplusWithSigmoidIsBitIdenticalToSoftplusAndSigmoid()
    {
        float[] sp = Apply(x => VectorMath.SoftplusWithSigmoid(x, out Vector128<float> _), FloatXs);
        float[] sg = Apply(x => { VectorMath.SoftplusWithSigmoid(x, out Vector128<float> s); return s; }, FloatXs);
        AssertSameBits(Apply((Func<Vector128<float>, Vector128<float>>)VectorMath.Softplus, FloatXs), sp, FloatXs, "float Softplus (Vector128)");
        AssertSameBits(Apply((Func<Vector128<float>, Vector128<float>>)VectorMath.Sigmoid, FloatXs), sg, FloatXs, "float Sigmoid (Vector128)");
        float[] spScalar = Apply((float x) => VectorMath.SoftplusWithSigmoid(x, out float _), FloatXs);
        float[] sgScalar = Apply((float x) => { VectorMath.SoftplusWithSigmoid(x, out float s); return s; }, FloatXs);
        AssertSameBits(sp, spScalar, FloatXs, "float Softplus (scalar)");
        AssertSameBits(sg, sgScalar, FloatXs, "float Sigmoid (scalar)");

        double[] dsp = Apply(x => VectorMath.SoftplusWithSigmoid(x, out Vector128<double> _), DoubleXs);
        double[] dsg = Apply(x => { VectorMath.SoftplusWithSigmoid(x, out Vector128<double> s); return s; }, DoubleXs);
        AssertSameBits(Apply((Func<Vector128<double>, Vector128<double>>)VectorMath.Softplus, DoubleXs), dsp, DoubleXs, "double Softplus (Vector128)");
        AssertSameBits(Apply((Func<Vector128<double>, Vector128<double>>)VectorMath.Sigmoid, DoubleXs), dsg, DoubleXs, "double Sigmoid (Vector128)");
        double[] dspScalar = Apply((double x) => VectorMath.SoftplusWithSigmoid(x, out double _), DoubleXs);
        double[] dsgScalar = Apply((double x) => { VectorMath.SoftplusWithSigmoid(x, out double s); return s; }, DoubleXs);
        AssertSameBits(dsp, dspScalar, DoubleXs, "double Softplus (scalar)");
        AssertSameBits(dsg, dsgScalar, DoubleXs, "double Sigmoid (scalar)");
    }

    [Vector256Fact]
    public void SoftplusWithSigmoidVector256MatchesVector128()
    {
        AssertSameBits(
            Apply(x => VectorMath.SoftplusWithSigmoid(x, out Vector128<float> _), FloatXs),
            Apply(x => VectorMath.SoftplusWithSigmoid(x, out Vector256<float> _), FloatXs), FloatXs, "float Softplus");
        AssertSameBits(
            Apply(x => { VectorMath.SoftplusWithSigmoid(x, out Vector128<float> s); return s; }, FloatXs),
            Apply(x => { VectorMath.SoftplusWithSigmoid(x, out Vector256<float> s); return s; }, FloatXs), FloatXs, "float Sigmoid");
        AssertSameBits(
            Apply(x => VectorMath.SoftplusWithSigmoid(x, out Vector128<double> _), DoubleXs),
            Apply(x => VectorMath.SoftplusWithSigmoid(x, out Vector256<double> _), DoubleXs), DoubleXs, "double Softplus");
        AssertSameBits(
            Apply(x => { VectorMath.SoftplusWithSigmoid(x, out Vector128<double> s); return s; }, DoubleXs),
            Apply(x => { VectorMath.SoftplusWithSigmoid(x, out Vector256<double> s); return s; }, DoubleXs), DoubleXs, "double Sigmoid");
    }

    [Vector256Fact]
    public void Vector256LanesAreIndependent()
    {
        // Mixed special values in one vector: each lane gets its own answer.
        var x = Vector256.Create(float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -1f, 1000f, -1000f, 1e-40f);
        Vector256<float> exp = VectorMath.Exp(x);
        Assert.True(float.IsNaN(exp[0]));
        Assert.Equal(float.PositiveInfinity, exp[1]);
        Assert.Equal(0f, exp[2]);
        Assert.Equal(1f, exp[3]);
        Assert.Equal(MathF.Exp(-1f), exp[4], 6);
        Assert.Equal(float.PositiveInfinity, exp[5]);
        Assert.Equal(0f, exp[6]);
        Assert.Equal(1f, exp[7]);
        Vector256<float> log = VectorMath.Log(x);
        Assert.True(float.IsNaN(log[0]));
        Assert.Equal(float.PositiveInfinity, log[1]);
        Assert.True(float.IsNaN(log[2]));
        Assert.Equal(float.NegativeInfinity, log[3]);
        Assert.True(float.IsNaN(log[4]));
        Assert.Equal(MathF.Log(1000f), log[5]);
        Assert.True(float.IsNaN(log[6]));
        Assert.Equal((float)Math.Log(1e-40f), log[7]);
    }
}
