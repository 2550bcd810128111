using System;
using System.Linq;

namespace AutoGrad.Generator.Tests.Stages;

/// <summary>
/// Reverse mode before any simplification: the raw gradient of every operator, scalar and
/// vector, matches central differences of the evaluated loss.
/// </summary>
public sealed class DifferentiateTests
{
    [Theory]
    [InlineData("x * y + x / y")]
    [InlineData("Log(x) * Exp(-y)")]
    [InlineData("Sigmoid(x * y) + Softplus(x - y) + Tanh(x)")]
    [InlineData("Log1P(x) + ExpM1(y)")]
    [InlineData("Pow(x, 3) + Pow(x, y) + Sqrt(x)")]
    [InlineData("Abs(x - y) + Max(x, y) + Min(x, 2 * y)")]
    [InlineData("x < y ? x * x : y * x")]
    [InlineData("Clamp(x, 0.5, 1.5) * y")]
    public void Scalar_operators(string expression)
    {
        var f = new Formula("x, y", expression);
        var rng = new Random(7);
        for (int k = 0; k < 50; k++)
        {
            double x = 0.1 + 2 * rng.NextDouble(), y = 0.2 + 2 * rng.NextDouble();
            foreach (var (name, index) in new[] { ("x", 0), ("y", 1) })
            {
                double analytic = f.Evaluate(f.RawGradient(name), new[] { new[] { x }, new[] { y } })[0];
                double numeric = FiniteDifference.Richardson(t =>
                    f.Evaluate(f.Root, index == 0 ? new[] { new[] { t }, new[] { y } } : new[] { new[] { x }, new[] { t } })[0], index == 0 ? x : y);
                FiniteDifference.AssertClose(analytic, numeric, 1e-6, 1e-8, $"d/d{name} {expression} at ({x}, {y})");
            }
        }
    }

    [Theory]
    [InlineData("Sum(z * z)")]
    [InlineData("-Sum(y * Log(Softmax(z)))")]
    [InlineData("LogSumExp(z) + Max(z) * 0")]
    [InlineData("Mean(Sigmoid(z) * y) + Dot(z, y)")]
    [InlineData("Sum(LogSoftmax(z) * y) * s")]
    [InlineData("Sum(Square(z - s))")]
    [InlineData("Sum(Softmax(z * s) * y)")]
    public void Vector_operators(string expression)
    {
        var f = new Formula("z:vec, y:vec:target, s", expression);
        var rng = new Random(11);
        for (int k = 0; k < 20; k++)
        {
            int n = rng.Next(2, 9);
            var z = Enumerable.Range(0, n).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
            double s = 0.5 + rng.NextDouble();
            var gz = f.Evaluate(f.RawGradient("z"), new[] { z, y, new[] { s } }, n);
            double gs = f.Evaluate(f.RawGradient("s"), new[] { z, y, new[] { s } }, n)[0];
            for (int i = 0; i < n; i++)
            {
                double numeric = FiniteDifference.Richardson(t =>
                {
                    var zz = (double[])z.Clone();
                    zz[i] = t;
                    return f.Evaluate(f.Root, new[] { zz, y, new[] { s } }, n)[0];
                }, z[i]);
                double analytic = gz.Length == 1 ? gz[0] : gz[i];
                FiniteDifference.AssertClose(analytic, numeric, 1e-6, 1e-8, $"d/dz[{i}] {expression}");
            }
            double numericS = FiniteDifference.Richardson(t => f.Evaluate(f.Root, new[] { z, y, new[] { t } }, n)[0], s);
            FiniteDifference.AssertClose(gs, numericS, 1e-6, 1e-8, $"d/ds {expression}");
        }
    }
}

/// <summary>The one-sided rules of the non-smooth functions, at their kinks.</summary>
public sealed class OneSidedRuleTests
{
    [Theory]
    [InlineData("Max(x, y)", 1.0, 1.0, 1.0, 0.0)]   // a tie goes to the first argument
    [InlineData("Max(y, x)", 1.0, 1.0, 0.0, 1.0)]
    [InlineData("Min(x, y)", 1.0, 1.0, 1.0, 0.0)]
    [InlineData("Max(0, x)", 0.0, 0.0, 0.0, 0.0)]   // ReLU: 0 at 0, as torch
    [InlineData("Abs(x)", 0.0, 0.0, 0.0, 0.0)]
    [InlineData("Clamp(x, 0, y)", 0.0, 2.0, 1.0, 0.0)] // at the lower bound the gradient passes
    [InlineData("Clamp(x, 0, y)", 2.0, 2.0, 1.0, 0.0)] // and at the upper bound
    [InlineData("Clamp(x, 0, y)", 3.0, 2.0, 0.0, 1.0)]
    public void At_the_kink(string expression, double x, double y, double dx, double dy)
    {
        var f = new Formula("x, y", expression);
        var point = new[] { new[] { x }, new[] { y } };
        Assert.Equal(dx, f.Evaluate(f.Simplify(f.RawGradient("x")), point)[0]);
        Assert.Equal(dy, f.Evaluate(f.Simplify(f.RawGradient("y")), point)[0]);
    }
}
