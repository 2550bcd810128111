using System;
using System.Globalization;
using System.Linq;
using AutoGrad;
using static AutoGrad.Fn;

namespace AutoGrad.Tests.Runtime;

public class GradCheckTests
{
    private static readonly double[] ScalarPoints = { -4.0, -1.5, -0.2, 0.0, 0.7, 2.0, 5.0 };

    private static double BinaryCrossEntropy(double z, double y) => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

    private static double SoftmaxCrossEntropy(Vec z, Vec y) => -Sum(y * Log(Softmax(z)));

    [Fact]
    public void ScalarOverloadPassesForACorrectDerivative()
    {
        var result = GradCheck.Check(z => BinaryCrossEntropy(z, 1.0), z => Sigmoid(z) - 1.0, ScalarPoints);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(ScalarPoints.Length, result.PointsChecked);
        Assert.Equal(0, result.PointsSkipped);
        Assert.Equal(0, result.PointsFailed);
        Assert.True(result.MaxAbsoluteError < 1e-8, result.ToString());
        Assert.StartsWith("GradCheck passed", result.ToString(), StringComparison.Ordinal);
        result.EnsurePassed();
    }

    [Fact]
    public void ScalarOverloadFailsForAWrongDerivativeAndNamesTheWorstPoint()
    {
        // Wrong by a factor of 2 in the slope: worst where |Sigmoid(z) - 1| is largest, at z = -4.
        var result = GradCheck.Check(z => BinaryCrossEntropy(z, 1.0), z => 2 * (Sigmoid(z) - 1.0), ScalarPoints);

        Assert.False(result.Passed);
        Assert.Equal(ScalarPoints.Length, result.PointsFailed);
        Assert.Equal(new[] { -4.0 }, result.WorstPoint);
        Assert.Equal(0, result.WorstIndex);
        Assert.Equal(2 * (Sigmoid(-4.0) - 1.0), result.Analytic);
        Assert.True(Math.Abs(result.Numeric - (Sigmoid(-4.0) - 1.0)) < 1e-8);
        Assert.True(Math.Abs(result.MaxAbsoluteError - (1.0 - Sigmoid(-4.0))) < 1e-8);
        Assert.True(Math.Abs(result.MaxRelativeError - 1.0) < 1e-6);

        var text = result.ToString();
        Assert.StartsWith("GradCheck failed", text, StringComparison.Ordinal);
        Assert.Contains("at point [-4]", text, StringComparison.Ordinal);
        Assert.Contains("analytic " + result.Analytic.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

        var ex = Assert.Throws<GradCheckException>(result.EnsurePassed);
        Assert.Equal(text, ex.Message);
        Assert.Same(result, ex.Result);
    }

    [Fact]
    public void ArrayOverloadChecksEveryComponent()
    {
        // One sigmoid neuron with the quadratic cost; parameters (w, b), x = 1.5 and y = 0.25 held fixed.
        const double x = 1.5, y = 0.25;
        Func<double[], double> loss = p =>
        {
            var a = Sigmoid(p[0] * x + p[1]);
            return (a - y) * (a - y) / 2;
        };
        Func<double[], double[]> gradient = p =>
        {
            var a = Sigmoid(p[0] * x + p[1]);
            var delta = (a - y) * a * (1 - a);
            return new[] { delta * x, delta };
        };
        var points = new[] { new[] { 0.1, -0.3 }, new[] { -2.0, 1.0 }, new[] { 0.8, 0.4 } };

        var result = GradCheck.Assert(loss, gradient, points);
        Assert.True(result.Passed);
        Assert.Equal(3, result.PointsChecked);

        // Dropping the factor x from dL/dw breaks only component 0.
        Func<double[], double[]> wrong = p => { var g = gradient(p); g[0] /= x; return g; };
        var failed = GradCheck.Check(loss, wrong, points);
        Assert.False(failed.Passed);
        Assert.Equal(0, failed.WorstIndex);
        Assert.Contains(failed.WorstPoint, p => p != 0);
        Assert.Contains(points, p => p.SequenceEqual(failed.WorstPoint));

        var ex = Assert.Throws<GradCheckException>(() => GradCheck.Assert(loss, wrong, points));
        Assert.Contains("component 0 at point [", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VecOverloadPassesForSoftmaxCrossEntropy()
    {
        Vec y = new[] { 0.1, 0.7, 0.2 };
        var points = new Vec[] { new[] { 0.0, 0.0, 0.0 }, new[] { 2.0, -1.0, 0.5 }, new[] { -3.0, 4.0, 1.0 } };

        var result = GradCheck.Assert(z => SoftmaxCrossEntropy(z, y), z => Softmax(z) - y, points);
        Assert.Equal(3, result.PointsChecked);

        var wrong = GradCheck.Check(z => SoftmaxCrossEntropy(z, y), z => Softmax(z) + y, points);
        Assert.False(wrong.Passed);
        Assert.Equal(3, wrong.WorstPoint.Length);
        Assert.Throws<GradCheckException>(() => GradCheck.Assert(z => SoftmaxCrossEntropy(z, y), z => Softmax(z) + y, points));
    }

    [Fact]
    public void PointsWithNonFiniteLossAreSkippedAndCounted()
    {
        var result = GradCheck.Check(x => Log(x), x => 1 / x, new[] { -1.0, 0.0, 0.5, 2.0 });

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(2, result.PointsChecked);
        Assert.Equal(2, result.PointsSkipped);
        Assert.Contains("2 skipped", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckWithNothingCheckedDoesNotPass()
    {
        var none = GradCheck.Check(x => x * x, x => 2 * x, Array.Empty<double>());
        Assert.False(none.Passed);
        Assert.Equal(0, none.PointsChecked);
        Assert.Equal(-1, none.WorstIndex);
        Assert.Empty(none.WorstPoint);

        var allSkipped = GradCheck.Check(x => Log(x), x => 1 / x, new[] { -1.0, -2.0 });
        Assert.False(allSkipped.Passed);
        Assert.Equal(2, allSkipped.PointsSkipped);
        Assert.Contains("no point could be checked", allSkipped.ToString(), StringComparison.Ordinal);
        Assert.Throws<GradCheckException>(allSkipped.EnsurePassed);
    }

    [Fact]
    public void NaNAnalyticGradientFails()
    {
        var result = GradCheck.Check(x => x * x, x => double.NaN, new[] { 1.0 });
        Assert.False(result.Passed);
        Assert.True(double.IsNaN(result.MaxAbsoluteError));
        Assert.Equal(new[] { 1.0 }, result.WorstPoint);
    }

    [Fact]
    public void TolerancesDecideAtTheBoundary()
    {
        // The analytic value is off by exactly 0.01 from the true derivative 2x = 2 at x = 1.
        Func<double, double> loss = x => x * x;
        Func<double, double> gradient = x => 2 * x + 0.01;

        Assert.False(GradCheck.Check(loss, gradient, new[] { 1.0 }).Passed);
        Assert.True(GradCheck.Check(loss, gradient, new[] { 1.0 }, new GradCheckOptions { RelativeTolerance = 0.01 }).Passed);
        Assert.True(GradCheck.Check(loss, gradient, new[] { 1.0 }, new GradCheckOptions { AbsoluteTolerance = 0.02 }).Passed);
    }

    [Fact]
    public void DefaultOptionsFollowTorch()
    {
        var options = GradCheckOptions.Default;
        Assert.Equal(1e-6, options.Epsilon);
        Assert.Equal(1e-5, options.AbsoluteTolerance);
        Assert.Equal(1e-3, options.RelativeTolerance);
        Assert.Equal(options, new GradCheckOptions());
        Assert.Same(options, GradCheck.Check(x => x, x => 1, new[] { 0.0 }).Options);

        Assert.Throws<ArgumentOutOfRangeException>(() => new GradCheckOptions { Epsilon = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradCheckOptions { Epsilon = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradCheckOptions { AbsoluteTolerance = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradCheckOptions { RelativeTolerance = double.NaN });
    }

    [Fact]
    public void FunctionsSeeCopiesOfThePoints()
    {
        var point = new[] { 1.0, 2.0 };
        var result = GradCheck.Check(
            p => { var s = p[0] * p[0] + p[1]; p[1] = 1e9; return s; },
            p => { var g = new[] { 2 * p[0], 1.0 }; p[0] = -1e9; return g; },
            new[] { point });

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(new[] { 1.0, 2.0 }, point);
    }

    [Fact]
    public void InvalidArgumentsThrow()
    {
        Func<double[], double> loss = p => p.Sum();
        Assert.Throws<ArgumentException>(() => GradCheck.Check(loss, p => new double[p.Length + 1], new[] { new[] { 1.0 } }));
        Assert.Throws<ArgumentException>(() => GradCheck.Check(loss, p => null!, new[] { new[] { 1.0 } }));
        Assert.Throws<ArgumentException>(() => GradCheck.Check(loss, p => p, new double[][] { null! }));
        Assert.Throws<ArgumentNullException>(() => GradCheck.Check(null!, p => p, new[] { new[] { 1.0 } }));
        Assert.Throws<ArgumentException>(() => GradCheck.Check((Vec z) => Sum(z), z => Vec.Zeros(1), new Vec[] { new[] { 1.0, 2.0 } }));
    }
}
