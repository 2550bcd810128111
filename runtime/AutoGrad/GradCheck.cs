using System;
using System.Collections.Generic;
using System.Globalization;

namespace AutoGrad;

/// <summary>
/// Checks a gradient function against central finite differences of its loss, as
/// <c>torch.autograd.gradcheck</c> does, and reports the largest absolute and relative error and where it occurred.
/// </summary>
/// <remarks>
/// <para>
/// At every point <c>x</c> and for every component <c>i</c> the numeric derivative is the central difference
/// <c>(L(x + ε·eᵢ) − L(x − ε·eᵢ)) / 2ε</c> (divided by the step actually representable at <c>xᵢ</c>), and the
/// component fails when <c>|analytic − numeric| &gt; atol + rtol · |numeric|</c>. The defaults follow torch:
/// ε = 1e-6, atol = 1e-5, rtol = 1e-3 (see <see cref="GradCheckOptions"/>).
/// </para>
/// <para>
/// A point is skipped, and counted in <see cref="GradCheckResult.PointsSkipped"/>, when the loss at the point or
/// any central difference there is not finite (for example outside the loss's domain). A non-finite analytic
/// component at a checked point is a failure. A run in which no point could be checked does not pass.
/// </para>
/// <para>
/// The functions are always called with fresh copies of the points, so they may keep or modify their argument
/// without affecting the check. <c>Check</c> only reports; <c>Assert</c> also throws a
/// <see cref="GradCheckException"/> with the readable report when the check fails, which every test framework
/// shows as a failure.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// GradCheck.Assert(
///     z => Losses.BinaryCrossEntropy(z, 1.0),
///     z => Losses.BinaryCrossEntropyGradient(z, 1.0),
///     new[] { -3.0, -0.5, 0.0, 0.5, 3.0 });
/// </code>
/// </example>
public static class GradCheck
{
    /// <summary>Checks the gradient of a loss of a flattened parameter vector at every point.</summary>
    /// <param name="loss">The loss, a function of all parameters flattened into one array.</param>
    /// <param name="gradient">The gradient to check: one component per entry of its argument.</param>
    /// <param name="points">The points at which to check; each is an array of the flattened parameters.</param>
    /// <param name="options">The step and tolerances; <see langword="null"/> for <see cref="GradCheckOptions.Default"/>.</param>
    /// <returns>The result; see <see cref="GradCheckResult.Passed"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/>, <paramref name="gradient"/> or <paramref name="points"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A point is <see langword="null"/>, or the gradient returns <see langword="null"/> or the wrong number of components.</exception>
    public static GradCheckResult Check(
        Func<double[], double> loss,
        Func<double[], double[]> gradient,
        IEnumerable<double[]> points,
        GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(points);
        options ??= GradCheckOptions.Default;

        var run = new Run(options);
        var index = 0;
        foreach (var point in points)
        {
            if (point is null)
            {
                throw new ArgumentException(Invariant($"Point {index} is null."), nameof(points));
            }

            run.CheckPoint(loss, gradient, point, index);
            index++;
        }

        return run.ToResult();
    }

    /// <summary>Checks the derivative of a loss of one scalar parameter at every point.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="gradient">The derivative to check.</param>
    /// <param name="points">The points at which to check.</param>
    /// <param name="options">The step and tolerances; <see langword="null"/> for <see cref="GradCheckOptions.Default"/>.</param>
    /// <returns>The result; see <see cref="GradCheckResult.Passed"/>. Points are reported as one-element arrays.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/>, <paramref name="gradient"/> or <paramref name="points"/> is <see langword="null"/>.</exception>
    public static GradCheckResult Check(
        Func<double, double> loss,
        Func<double, double> gradient,
        IEnumerable<double> points,
        GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(points);
        return Check(x => loss(x[0]), x => [gradient(x[0])], AsArrays(points), options);
    }

    /// <summary>Checks the gradient of a loss of one <see cref="Vec"/> parameter at every point.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="gradient">The gradient to check; same length as its argument.</param>
    /// <param name="points">The points at which to check.</param>
    /// <param name="options">The step and tolerances; <see langword="null"/> for <see cref="GradCheckOptions.Default"/>.</param>
    /// <returns>The result; see <see cref="GradCheckResult.Passed"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/>, <paramref name="gradient"/> or <paramref name="points"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The gradient returns the wrong number of components.</exception>
    public static GradCheckResult Check(
        Func<Vec, double> loss,
        Func<Vec, Vec> gradient,
        IEnumerable<Vec> points,
        GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(points);
        return Check(x => loss(Vec.Create(x)), x => gradient(Vec.Create(x)).ToArray(), AsArrays(points), options);
    }

    /// <summary>
    /// Checks the gradient of a loss of a flattened parameter vector and throws a <see cref="GradCheckException"/>
    /// with the readable report unless the check passes.
    /// </summary>
    /// <param name="loss">The loss, a function of all parameters flattened into one array.</param>
    /// <param name="gradient">The gradient to check: one component per entry of its argument.</param>
    /// <param name="points">The points at which to check; each is an array of the flattened parameters.</param>
    /// <param name="options">The step and tolerances; <see langword="null"/> for <see cref="GradCheckOptions.Default"/>.</param>
    /// <returns>The passing result.</returns>
    /// <exception cref="GradCheckException">The check did not pass.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/>, <paramref name="gradient"/> or <paramref name="points"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A point is <see langword="null"/>, or the gradient returns <see langword="null"/> or the wrong number of components.</exception>
    public static GradCheckResult Assert(
        Func<double[], double> loss,
        Func<double[], double[]> gradient,
        IEnumerable<double[]> points,
        GradCheckOptions? options = null)
    {
        var result = Check(loss, gradient, points, options);
        result.EnsurePassed();
        return result;
    }

    /// <summary>
    /// Checks the derivative of a loss of one scalar parameter and throws a <see cref="GradCheckException"/> with
    /// the readable report unless the check passes.
    /// </summary>
    /// <param name="loss">The loss.</param>
    /// <param name="gradient">The derivative to check.</param>
    /// <param name="points">The points at which to check.</param>
    /// <param name="options">The step and tolerances; <see langword="null"/> for <see cref="GradCheckOptions.Default"/>.</param>
    /// <returns>The passing result.</returns>
    /// <exception cref="GradCheckException">The check did not pass.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/>, <paramref name="gradient"/> or <paramref name="points"/> is <see langword="null"/>.</exception>
    public static GradCheckResult Assert(
        Func<double, double> loss,
        Func<double, double> gradient,
        IEnumerable<double> points,
        GradCheckOptions? options = null)
    {
        var result = Check(loss, gradient, points, options);
        result.EnsurePassed();
        return result;
    }

    /// <summary>
    /// Checks the gradient of a loss of one <see cref="Vec"/> parameter and throws a <see cref="GradCheckException"/>
    /// with the readable report unless the check passes.
    /// </summary>
    /// <param name="loss">The loss.</param>
    /// <param name="gradient">The gradient to check; same length as its argument.</param>
    /// <param name="points">The points at which to check.</param>
    /// <param name="options">The step and tolerances; <see langword="null"/> for <see cref="GradCheckOptions.Default"/>.</param>
    /// <returns>The passing result.</returns>
    /// <exception cref="GradCheckException">The check did not pass.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/>, <paramref name="gradient"/> or <paramref name="points"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The gradient returns the wrong number of components.</exception>
    public static GradCheckResult Assert(
        Func<Vec, double> loss,
        Func<Vec, Vec> gradient,
        IEnumerable<Vec> points,
        GradCheckOptions? options = null)
    {
        var result = Check(loss, gradient, points, options);
        result.EnsurePassed();
        return result;
    }

    private static IEnumerable<double[]> AsArrays(IEnumerable<double> points)
    {
        foreach (var point in points)
        {
            yield return [point];
        }
    }

    private static IEnumerable<double[]> AsArrays(IEnumerable<Vec> points)
    {
        foreach (var point in points)
        {
            yield return point.ToArray();
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Accumulates the statistics of one run.</summary>
    private sealed class Run(GradCheckOptions options)
    {
        private int _checked;
        private int _skipped;
        private int _failed;
        private double _maxAbsolute;
        private double _maxRelative;
        private double _worstScore = -1.0;
        private double[] _worstPoint = [];
        private int _worstIndex = -1;
        private double _worstAnalytic = double.NaN;
        private double _worstNumeric = double.NaN;

        public void CheckPoint(Func<double[], double> loss, Func<double[], double[]> gradient, double[] point, int pointIndex)
        {
            // Snapshot the point: the callers' functions only ever see copies of it.
            var basePoint = (double[])point.Clone();
            var n = basePoint.Length;
            var scratch = new double[n];

            basePoint.CopyTo(scratch, 0);
            if (!double.IsFinite(loss(scratch)))
            {
                _skipped++;
                return;
            }

            var analytic = gradient((double[])basePoint.Clone())
                ?? throw new ArgumentException(Invariant($"The gradient returned null at point {pointIndex}."), nameof(gradient));
            if (analytic.Length != n)
            {
                throw new ArgumentException(
                    Invariant($"The gradient returned {analytic.Length} components at point {pointIndex}, which has {n}."),
                    nameof(gradient));
            }

            var eps = options.Epsilon;
            var numeric = new double[n];
            for (var i = 0; i < n; i++)
            {
                var xi = basePoint[i];
                var plus = xi + eps;
                var minus = xi - eps;

                basePoint.CopyTo(scratch, 0);
                scratch[i] = plus;
                var lossPlus = loss(scratch);

                basePoint.CopyTo(scratch, 0);
                scratch[i] = minus;
                var lossMinus = loss(scratch);

                // Divide by the step actually taken, which may differ from 2ε by rounding at xi.
                numeric[i] = (lossPlus - lossMinus) / (plus - minus);
                if (!double.IsFinite(numeric[i]))
                {
                    _skipped++;
                    return;
                }
            }

            _checked++;
            var pointFailed = false;
            for (var i = 0; i < n; i++)
            {
                var a = analytic[i];
                var num = numeric[i];
                var absolute = Math.Abs(a - num);
                var tolerance = options.AbsoluteTolerance + (options.RelativeTolerance * Math.Abs(num));
                var relative = absolute == 0.0 ? 0.0 : absolute / Math.Abs(num);
                var failed = !(absolute <= tolerance);
                pointFailed |= failed;

                _maxAbsolute = Math.Max(_maxAbsolute, absolute);
                _maxRelative = Math.Max(_maxRelative, relative);

                // How far the component is from its tolerance; NaN errors rank worst.
                var score = double.IsNaN(absolute) ? double.PositiveInfinity
                    : tolerance > 0.0 ? absolute / tolerance
                    : absolute == 0.0 ? 0.0 : double.PositiveInfinity;
                if (score > _worstScore)
                {
                    _worstScore = score;
                    _worstPoint = basePoint;
                    _worstIndex = i;
                    _worstAnalytic = a;
                    _worstNumeric = num;
                }
            }

            if (pointFailed)
            {
                _failed++;
            }
        }

        public GradCheckResult ToResult() => new(
            options,
            _checked,
            _skipped,
            _failed,
            _maxAbsolute,
            _maxRelative,
            _worstPoint,
            _worstIndex,
            _worstAnalytic,
            _worstNumeric);
    }
}
