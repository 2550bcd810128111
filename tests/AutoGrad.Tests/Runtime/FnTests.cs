using System;
using System.Linq;
using AutoGrad;
using static AutoGrad.Fn;

namespace AutoGrad.Tests.Runtime;

public class FnTests
{
    // Reference values computed with mpmath at 200 bits from the exact binary value of each argument.
    private const double Ulp4 = 4 * 1.1102230246251565e-16;

    private static void AssertRelative(double expected, double actual, double tolerance = Ulp4)
    {
        var error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"expected {expected:R}, got {actual:R} (relative error {error:R} > {tolerance:R})");
    }

    [Fact]
    public void ScalarFunctionsHaveKnownValues()
    {
        AssertRelative(1.0, Log(Math.E));
        AssertRelative(0.6931471805599453, Log(2.0));
        AssertRelative(2.718281828459045, Exp(1.0));
        Assert.Equal(1.4142135623730951, Sqrt(2.0));
        Assert.Equal(3.5, Abs(-3.5));
        Assert.Equal(9.0, Square(-3.0));
        Assert.Equal(1024.0, Pow(2.0, 10.0));
        Assert.Equal(3.0, Pow(9.0, 0.5));
        AssertRelative(0.5596157879354227, Log1P(0.75));
        AssertRelative(9.999950000333332e-06, Log1P(1e-5));
        AssertRelative(1.718281828459045, ExpM1(1.0));
        AssertRelative(-0.5034146962085905, ExpM1(-0.7));
        AssertRelative(1.0000050000166668e-05, ExpM1(1e-5));
        Assert.Equal(0.5, Sigmoid(0.0));
        AssertRelative(0.8807970779778824, Sigmoid(2.0));
        AssertRelative(0.04742587317756678, Sigmoid(-3.0));
        AssertRelative(-0.6931471805599453, LogSigmoid(0.0));
        AssertRelative(-2.1269280110429727, LogSigmoid(-2.0));
        AssertRelative(0.6931471805599453, Softplus(0.0));
        AssertRelative(3.048587351573742, Softplus(3.0));
        AssertRelative(9.357622968839737e-14, Softplus(-30.0));
        AssertRelative(0.46211715726000974, Tanh(0.5));
        Assert.Equal(2.0, Max(1.0, 2.0));
        Assert.Equal(1.0, Min(1.0, 2.0));
        Assert.Equal(1.0, Clamp(5.0, 0.0, 1.0));
        Assert.Equal(0.0, Clamp(-5.0, 0.0, 1.0));
        Assert.Equal(0.25, Clamp(0.25, 0.0, 1.0));
        Assert.Throws<ArgumentException>(() => Clamp(0.5, 1.0, 0.0));
    }

    [Fact]
    public void MaxAndMinPropagateNaN()
    {
        Assert.True(double.IsNaN(Max(double.NaN, 1.0)));
        Assert.True(double.IsNaN(Min(1.0, double.NaN)));
        Assert.True(double.IsNaN(Max(new[] { 1.0, double.NaN, 3.0 })));
        Assert.True(double.IsNaN(Max((Vec)new[] { 1.0, double.NaN }, 0.0)[1]));
        Assert.True(double.IsNaN(Clamp(double.NaN, 0.0, 1.0)));
        Assert.True(double.IsNaN(Sigmoid(double.NaN)));
        Assert.True(double.IsNaN(Softplus(double.NaN)));
        Assert.True(double.IsNaN(Log1P(double.NaN)));
        Assert.True(double.IsNaN(ExpM1(double.NaN)));
    }

    [Theory]
    [InlineData(1e-10, 9.999999999500001e-11)]
    [InlineData(-1e-10, -1.00000000005e-10)]
    public void Log1PIsAccurateForTinyArguments(double x, double expected)
    {
        var actual = Log1P(x);
        Assert.True(Math.Abs(actual - expected) / Math.Abs(expected) < 1e-15, $"Log1P({x:R}) = {actual:R}, expected {expected:R}");

        // The naive formula is visibly wrong here, so the test can tell the two apart.
        Assert.True(Math.Abs(Math.Log(1 + x) - expected) / Math.Abs(expected) > 1e-9);
    }

    [Theory]
    [InlineData(1e-10, 1.00000000005e-10)]
    [InlineData(-1e-10, -9.999999999500001e-11)]
    public void ExpM1IsAccurateForTinyArguments(double x, double expected)
    {
        var actual = ExpM1(x);
        Assert.True(Math.Abs(actual - expected) / Math.Abs(expected) < 1e-15, $"ExpM1({x:R}) = {actual:R}, expected {expected:R}");
        Assert.True(Math.Abs((Math.Exp(x) - 1) - expected) / Math.Abs(expected) > 1e-9);
    }

    [Fact]
    public void Log1PAndExpM1HandleTheirEdges()
    {
        Assert.Equal(1e-300, Log1P(1e-300));
        Assert.Equal(1e-300, ExpM1(1e-300));
        Assert.Equal(double.NegativeInfinity, Log1P(-1.0));
        Assert.True(double.IsNaN(Log1P(-1.5)));
        Assert.True(double.IsNaN(Log1P(double.NegativeInfinity)));
        Assert.Equal(double.PositiveInfinity, Log1P(double.PositiveInfinity));
        AssertRelative(Math.Log(1e300), Log1P(1e300));
        Assert.Equal(-1.0, ExpM1(double.NegativeInfinity));
        Assert.Equal(-1.0, ExpM1(-1000.0));
        Assert.Equal(double.PositiveInfinity, ExpM1(double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, ExpM1(710.0));
        AssertRelative(Math.Exp(709.0), ExpM1(709.0));
        Assert.Equal(0.0, Log1P(0.0));
        Assert.Equal(0.0, ExpM1(0.0));
    }

    [Fact]
    public void ScalarFunctionsAreStableAtExtremeInputs()
    {
        Assert.Equal(1000.0, Softplus(1000.0));
        Assert.Equal(0.0, Softplus(-1000.0));
        Assert.Equal(0.0, Sigmoid(-1000.0));
        Assert.Equal(1.0, Sigmoid(1000.0));
        Assert.Equal(-1000.0, LogSigmoid(-1000.0));
        Assert.Equal(0.0, LogSigmoid(1000.0));
        Assert.True(double.IsFinite(LogSigmoid(-1e300)));
        Assert.Equal(double.PositiveInfinity, Softplus(double.PositiveInfinity));
        Assert.Equal(0.0, Softplus(double.NegativeInfinity));
        Assert.Equal(0.0, Sigmoid(double.NegativeInfinity));
        Assert.Equal(1.0, Sigmoid(double.PositiveInfinity));

        // Deep in the tail the stable form keeps the subnormal value that 1 / (1 + e^740) would flush to 0.
        AssertRelative(4.2e-322, Sigmoid(-740.0), 0.02);
    }

    [Fact]
    public void VecOverloadsMatchTheScalarFunctionsEntryByEntry()
    {
        var xs = new[] { -1000.0, -30.0, -2.5, -1e-10, -0.0, 0.0, 1e-10, 0.3, 2.0, 50.0, 1000.0 };
        var positive = xs.Select(Math.Abs).ToArray();
        Vec v = xs;
        Vec p = positive;

        AssertMapped(positive, Log, Log, p);
        AssertMapped(xs, Exp, Exp, v);
        AssertMapped(positive, Sqrt, Sqrt, p);
        AssertMapped(xs, Abs, Abs, v);
        AssertMapped(xs, Square, Square, v);
        AssertMapped(xs, Log1P, Log1P, v);
        AssertMapped(xs, ExpM1, ExpM1, v);
        AssertMapped(xs, Sigmoid, Sigmoid, v);
        AssertMapped(xs, LogSigmoid, LogSigmoid, v);
        AssertMapped(xs, Softplus, Softplus, v);
        AssertMapped(xs, Tanh, Tanh, v);
        AssertMapped(positive, x => Pow(x, 1.5), x => Pow(x, 1.5), p);
        AssertMapped(xs, x => Max(x, 0.1), x => Max(x, 0.1), v);
        AssertMapped(xs, x => Max(0.1, x), x => Max(0.1, x), v);
        AssertMapped(xs, x => Min(x, 0.1), x => Min(x, 0.1), v);
        AssertMapped(xs, x => Min(0.1, x), x => Min(0.1, x), v);
        AssertMapped(xs, x => Clamp(x, -1.0, 1.0), x => Clamp(x, -1.0, 1.0), v);
        AssertMapped(xs, x => Clamp(x, 0.0, 1.0), x => Clamp(x, 0.0, 1.0), v);
        AssertMapped(xs, x => Max(x, 0.0), x => Max(x, 0.0), v);
        AssertMapped(xs, x => Min(x, -0.0), x => Min(x, -0.0), v);
        AssertMapped(xs, x => Max(x, -x), x => Max(x, -x), v);
        AssertMapped(xs, x => Min(x, -x), x => Min(x, -x), v);
    }

    private static void AssertMapped(double[] xs, Func<double, double> scalar, Func<Vec, Vec> vector, Vec input)
    {
        var result = vector(input);
        Assert.Equal(xs.Length, result.Length);
        for (var i = 0; i < xs.Length; i++)
        {
            // Bit for bit, so that signed zeros and NaNs must agree too.
            Assert.Equal(BitConverter.DoubleToInt64Bits(scalar(xs[i])), BitConverter.DoubleToInt64Bits(result[i]));
        }
    }

    [Fact]
    public void BinaryVecOverloadsAreElementwise()
    {
        Vec a = new[] { 1.0, 4.0, -2.0 };
        Vec b = new[] { 3.0, 0.5, -2.5 };

        Assert.Equal(new[] { 1.0, 2.0, Math.Pow(-2.0, -2.5) }, Pow(a, b).ToArray());
        Assert.Equal(new[] { 3.0, 4.0, -2.0 }, Max(a, b).ToArray());
        Assert.Equal(new[] { 1.0, 0.5, -2.5 }, Min(a, b).ToArray());
        Assert.Equal(new[] { 1.0, 16.0, 4.0 }, Pow(a, 2.0).ToArray());
        Assert.Throws<ArgumentException>(() => Max(a, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => Min(a, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => Pow(a, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => Clamp(a, 1.0, 0.0));
    }

    [Fact]
    public void Reductions()
    {
        Vec v = new[] { 1.0, 2.0, 3.0, 4.0 };
        Vec w = new[] { 0.5, -1.0, 2.0, 0.0 };

        Assert.Equal(10.0, Sum(v));
        Assert.Equal(2.5, Mean(v));
        Assert.Equal(4.0, Max(v));
        Assert.Equal(4.5, Dot(v, w));
        Assert.Throws<ArgumentException>(() => Dot(v, new[] { 1.0 }));

        Assert.Equal(0.0, Sum(default));
        Assert.True(double.IsNaN(Mean(default)));
        Assert.True(double.IsNaN(Mean(Vec.Zeros(0))));
        Assert.Equal(double.NegativeInfinity, Max(default(Vec)));
        Assert.Equal(0.0, Dot(default, default));
    }

    [Fact]
    public void SumIsAccurateOnLongVectors()
    {
        // A naive left-to-right sum of a million 0.1s is off by about 1.3e-6.
        var v = Vec.Fill(1_000_000, 0.1);
        Assert.True(Math.Abs(Sum(v) - 100_000.0) < 1e-8, $"Sum = {Sum(v):R}");
        Assert.True(Math.Abs(Mean(v) - 0.1) < 1e-15, $"Mean = {Mean(v):R}");
        Assert.True(Math.Abs(Dot(v, Vec.Fill(1_000_000, 1.0)) - 100_000.0) < 1e-8);

        var sequence = Vec.Create(Enumerable.Range(1, 1001).Select(i => (double)i).ToArray());
        Assert.Equal(501_501.0, Sum(sequence));
        Assert.Equal(1001.0, Max(sequence));
    }

    [Fact]
    public void MeanDoesNotOverflowForFiniteEntries()
    {
        Vec v = new[] { 1e308, 1e308, 1e308 };
        AssertRelative(1e308, Mean(v));
        Assert.Equal(double.PositiveInfinity, Mean(new[] { 1.0, double.PositiveInfinity }));
        Assert.True(double.IsNaN(Mean(new[] { double.NegativeInfinity, double.PositiveInfinity })));
    }

    [Fact]
    public void LogSumExpSoftmaxAndLogSoftmaxHaveKnownValues()
    {
        Vec z = new[] { 1.0, 2.0, 3.0 };

        AssertRelative(3.40760596444438, LogSumExp(z));
        var expected = new[] { 0.09003057317038046, 0.24472847105479764, 0.6652409557748219 };
        var softmax = Softmax(z);
        var logSoftmax = LogSoftmax(z);
        for (var i = 0; i < 3; i++)
        {
            AssertRelative(expected[i], softmax[i]);
            AssertRelative(Math.Log(expected[i]), logSoftmax[i]);
        }

        AssertRelative(1.0, Sum(softmax));
        AssertRelative(1000.3132616875182, LogSumExp(new[] { 1000.0, 999.0 }));
    }

    [Fact]
    public void SoftmaxFamilyIsStableAtExtremeLogits()
    {
        Vec z = new[] { 1000.0, 0.0, -1000.0 };

        var softmax = Softmax(z);
        Assert.All(softmax, p => Assert.True(double.IsFinite(p)));
        Assert.Equal(1.0, softmax[0]);
        Assert.Equal(Math.Exp(-1000.0), softmax[1]);
        Assert.Equal(0.0, softmax[2]);

        Assert.Equal(1000.0, LogSumExp(z));

        var logSoftmax = LogSoftmax(z);
        Assert.All(logSoftmax, p => Assert.True(double.IsFinite(p)));
        Assert.Equal(new[] { 0.0, -1000.0, -2000.0 }, logSoftmax.ToArray());

        // Shifting every logit leaves softmax unchanged.
        var shifted = Softmax(z - 5000.0);
        Assert.Equal(softmax.ToArray(), shifted.ToArray());
        Assert.Equal(-4000.0, LogSumExp(z - 5000.0));
    }

    [Fact]
    public void LogSumExpHandlesEmptyAndInfiniteInputs()
    {
        Assert.Equal(double.NegativeInfinity, LogSumExp(default));
        Assert.Equal(double.NegativeInfinity, LogSumExp(new[] { double.NegativeInfinity, double.NegativeInfinity }));
        Assert.Equal(double.PositiveInfinity, LogSumExp(new[] { 0.0, double.PositiveInfinity }));
        Assert.Equal(2.0, LogSumExp(new[] { double.NegativeInfinity, 2.0 }));
        Assert.True(double.IsNaN(LogSumExp(new[] { 0.0, double.NaN, double.PositiveInfinity })));

        // The tail is kept: log(e^0 + e^-40) = log1p(e^-40).
        AssertRelative(Math.Exp(-40.0), LogSumExp(new[] { 0.0, -40.0 }), 1e-15);
    }

    [Fact]
    public void SoftmaxHandlesEmptyAndInfiniteInputs()
    {
        Assert.Equal(0, Softmax(default).Length);
        Assert.Equal(0, LogSoftmax(default).Length);
        Assert.Equal(new[] { 0.5, 0.0, 0.5 }, Softmax(new[] { double.PositiveInfinity, 1.0, double.PositiveInfinity }).ToArray());
        Assert.Equal(new[] { 0.0, 1.0 }, Softmax(new[] { double.NegativeInfinity, 3.0 }).ToArray());
        Assert.Equal(new[] { double.NegativeInfinity, 0.0 }, LogSoftmax(new[] { double.NegativeInfinity, 3.0 }).ToArray());
        Assert.Equal(new[] { 0.0, double.NegativeInfinity }, LogSoftmax(new[] { double.PositiveInfinity, 3.0 }).ToArray());
        Assert.All(Softmax(new[] { double.NegativeInfinity, double.NegativeInfinity }), p => Assert.True(double.IsNaN(p)));
        Assert.All(Softmax(new[] { 1.0, double.NaN }), p => Assert.True(double.IsNaN(p)));
        Assert.All(LogSoftmax(new[] { 1.0, double.NaN }), p => Assert.True(double.IsNaN(p)));
    }

    [Fact]
    public void SoftmaxIsAccurateOnLongVectors()
    {
        var n = 1000;
        var z = Vec.Create(Enumerable.Range(0, n).Select(i => Math.Sin(i) * 20).ToArray());
        var softmax = Softmax(z);
        var logSoftmax = LogSoftmax(z);
        var lse = LogSumExp(z);

        Assert.True(Math.Abs(Sum(softmax) - 1.0) < 1e-14);
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(logSoftmax[i] - (z[i] - lse)) <= 1e-12);
            Assert.True(Math.Abs(Math.Log(softmax[i]) - logSoftmax[i]) <= 1e-12);
        }
    }
}
