using System;
using System.Linq;
using System.Runtime.Intrinsics;
using AutoGrad.Internal;
using AutoGrad.Simd;

namespace AutoGrad.Tests.Batch;

/// <summary>The helpers generated kernels call besides VectorMath.</summary>
public sealed class KernelMathTests
{
    public static readonly double[] Specials = { 0.0, -0.0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 2.5, 1e-300, 1e300, double.PositiveInfinity, double.NegativeInfinity, double.NaN };

    [Fact]
    public void Pow_follows_Math_Pow_on_special_cases()
    {
        foreach (double x in Specials)
        {
            foreach (double p in Specials)
            {
                double expected = Math.Pow(x, p);
                double actual = KernelMath.Pow(x, p);
                if (double.IsNaN(expected))
                {
                    Assert.True(double.IsNaN(actual), $"Pow({x}, {p}) = {actual}, Math.Pow gives NaN");
                }
                else if (expected == 0 || double.IsInfinity(expected))
                {
                    // Signed zeros and infinities of a negative base with an odd exponent aside, the value is the same.
                    Assert.True(Math.Abs(actual) == Math.Abs(expected), $"Pow({x}, {p}) = {actual}, Math.Pow gives {expected}");
                }
                else
                {
                    // e^(p·ln|x|): the rounding of p·ln|x| is amplified by |p·ln|x|| (constant integer powers are multiplies instead).
                    double amplification = Math.Abs(p * Math.Log(Math.Abs(x)));
                    if (!double.IsFinite(amplification)) amplification = 0; // x^0, 1^p
                    Assert.Equal(expected, actual, Math.Abs(expected) * 2e-16 * (4 + amplification));
                }
            }
        }
    }

    /// <summary>
    /// e^−|x| (Softplus's and Sigmoid's exponential, scaled by 2^(n+64)·2^-64) is bit for bit VectorMath.Exp (scaled by two
    /// factors), down to where the result is subnormal and then 0, in both lane widths.
    /// </summary>
    [Fact]
    public void ExpNegAbs_is_Exp_of_minus_the_magnitude_bit_for_bit()
    {
        for (int i = 0; i < 400_000; i++)
        {
            float xf = -i * 2.7e-4f;
            var vf = Vector256.Create(xf);
            Assert.Equal(BitConverter.SingleToInt32Bits(VectorMath.Exp(vf).ToScalar()), BitConverter.SingleToInt32Bits(KernelMath.ExpNegAbs(-vf).ToScalar()));
            Assert.Equal(BitConverter.SingleToInt32Bits(VectorMath.Exp(xf)), BitConverter.SingleToInt32Bits(KernelMath.ExpNegAbs(Vector128.Create(xf)).ToScalar()));
            double xd = -i * 1.9e-3;
            var vd = Vector256.Create(xd);
            Assert.Equal(BitConverter.DoubleToInt64Bits(VectorMath.Exp(vd).ToScalar()), BitConverter.DoubleToInt64Bits(KernelMath.ExpNegAbs(-vd).ToScalar()));
            Assert.Equal(BitConverter.DoubleToInt64Bits(VectorMath.Exp(xd)), BitConverter.DoubleToInt64Bits(KernelMath.ExpNegAbs(Vector128.Create(xd)).ToScalar()));
        }
    }

    [Fact]
    public void Float_Pow_is_rounded_from_double()
    {
        var rng = new Random(5);
        for (int i = 0; i < 10000; i++)
        {
            float x = (float)(rng.NextDouble() * 4), p = (float)(rng.NextDouble() * 6 - 3);
            float expected = (float)Math.Pow(x, p);
            float actual = KernelMath.Pow(x, p);
            Assert.True(Math.Abs(actual - expected) <= MathF.BitIncrement(Math.Abs(expected)) - Math.Abs(expected), $"Pow({x}, {p}) = {actual}, expected {expected}");
        }
    }

    [Fact]
    public void Scalar_overloads_compute_what_the_lanes_compute()
    {
        var rng = new Random(6);
        var xs = Enumerable.Range(0, 64).Select(_ => (float)(rng.NextDouble() * 60 - 30)).ToArray();
        for (int i = 0; i + 8 <= xs.Length; i += 8)
        {
            var v = Vector256.Create(xs, i);
            var e = KernelMath.ExpNegAbs(v);
            var sigmoid = KernelMath.SigmoidFromExp(v, e);
            var softplus = KernelMath.MaxZero(v) + KernelMath.Log1PUnit(e);
            for (int k = 0; k < 8; k++)
            {
                float x = xs[i + k];
                Assert.Equal(e[k], KernelMath.ExpNegAbs(x));
                Assert.Equal(sigmoid[k], KernelMath.SigmoidFromExp(x, KernelMath.ExpNegAbs(x)));
                Assert.Equal(softplus[k], KernelMath.MaxZero(x) + KernelMath.Log1PUnit(KernelMath.ExpNegAbs(x)));
                Assert.Equal(AutoGrad.Simd.VectorMath.Sigmoid(x), sigmoid[k]);
                Assert.Equal(AutoGrad.Simd.VectorMath.Softplus(x), softplus[k]);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_last_partial_vector_reads_and_writes_nothing_past_the_end(int count)
    {
        var source = new float[] { 1, 2, 3, 4, 5, 6, 7 };
        var loaded = KernelMath.LoadRest(ref source[0], 3, 3 + count);
        for (int k = 0; k < 4; k++) Assert.Equal(k < count ? source[3 + k] : 0f, loaded[k]);

        var destination = Enumerable.Repeat(-1f, 8).ToArray();
        KernelMath.StoreRest(Vector128.Create(9f), ref destination[0], 2, 2 + count);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i >= 2 && i < 2 + count ? 9f : -1f), destination);

        var kept = KernelMath.KeepRest(Vector128.Create(5.0, 6.0), 10, 10 + Math.Min(count, 2), double.NegativeInfinity);
        Assert.Equal(count >= 1 ? 5.0 : double.NegativeInfinity, kept[0]);
        Assert.Equal(count >= 2 ? 6.0 : double.NegativeInfinity, kept[1]);
    }

    [Fact]
    public void Reductions_across_lanes()
    {
        var v = Vector256.Create(1f, 2, 3, 4, 5, 6, 7, 8);
        Assert.Equal(36f, KernelMath.Sum(v));
        Assert.Equal(36.0, KernelMath.SumToDouble(v));
        Assert.Equal(8f, KernelMath.MaxAcross(v));
        Assert.True(float.IsNaN(KernelMath.MaxAcross(v.WithElement(3, float.NaN))));
        Assert.Equal(0.0, KernelMath.FiniteOrZero(double.NegativeInfinity));
        Assert.Equal(2.5, KernelMath.FiniteOrZero(2.5));
    }
}
