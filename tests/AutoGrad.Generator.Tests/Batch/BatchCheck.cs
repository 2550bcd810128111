using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace AutoGrad.Generator.Tests.Batch;

/// <summary>
/// Checks every batch method of one loss on one batch against the per-example reference: the user's own [Loss]
/// method for the loss and the generated scalar <c>MGradient</c> for the gradient, both in double, evaluated at the
/// batch's values (rounded to float first for the float kernels).
/// </summary>
/// <remarks>
/// Tolerances, with tol = 1e-6 for float and 1e-12 for double: the reduced loss within tol · mean |ℓᵢ| (tol · Σ|ℓᵢ|
/// under Sum), so that a loss whose terms cancel is judged against the size of its terms; each per-example loss
/// within tol · max |ℓᵢ|; each gradient entry within tol · max |∂| of that parameter over the batch (times 1/N under
/// Mean). In float, every |ℓᵢ| and max |∂| count as at least 1: a float input of size 1 already carries an error of
/// 6e-8, so σ(z) − y, say, cannot be closer than that to the exact value when it happens to be tiny.
/// These are <see cref="Verify"/>'s; <see cref="Compare"/> takes others (<see cref="BatchTolerance"/>: the gradient
/// fuzzer judges each example against its own sizes and the largest value its loss computes on the way).
/// </remarks>
public sealed class BatchCheck
{
    private readonly BatchDriver _driver;
    private readonly LossSignature _loss;
    private readonly MethodInfo _lossMethod;
    private readonly MethodInfo _gradientMethod;

    public BatchCheck(BatchDriver driver, LossSignature loss)
    {
        _driver = driver;
        _loss = loss;
        var type = driver.Assembly.FindType(loss.TypeName);
        _lossMethod = type.GetMethod(loss.Method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
        _gradientMethod = type.GetMethod(loss.Method + "Gradient", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
    }

    /// <summary>
    /// Runs all four methods under both reductions on the batch <paramref name="values"/> (per parameter: one value
    /// per example, or rows × classes for a Vec, or one value (a Vec: classes values) for a [Constant]).
    /// </summary>
    /// <param name="floatFactor">A widening of the float tolerance for a loss whose float intermediates are larger than its
    /// inputs and outputs (say why at the call).</param>
    public void Verify(bool isFloat, double[][] values, int rows, int classes, string label, double floatFactor = 1)
    {
        var tolerance = isFloat ? new BatchTolerance(1e-6 * floatFactor, 1) : new BatchTolerance(1e-12, 0);
        if (Compare(isFloat, values, rows, classes, label, tolerance) is { } mismatch) Assert.Fail(mismatch.ToString());
    }

    /// <summary>
    /// What <see cref="Verify"/> checks, without asserting: the first output outside its bound, or null. Every comparison
    /// made is also handed to <paramref name="observe"/>. In float the values are rounded to float first (and the reference
    /// computed there).
    /// </summary>
    public BatchComparison? Compare(bool isFloat, double[][] values, int rows, int classes, string label, BatchTolerance tolerance, Action<BatchComparison>? observe = null)
    {
        if (isFloat) values = values.Select(v => v.Select(x => (double)(float)x).ToArray()).ToArray();
        double tol = tolerance.Relative;
        var (losses, gradients) = Reference(values, rows, classes);
        var inputs = Inputs(values, isFloat);
        var diff = _loss.Differentiated;
        int Length(int k) => _loss.Parameters[diff[k]].IsVector ? rows * classes : rows;

        // The size each output is judged against (see the remarks and BatchTolerance).
        bool perRow = tolerance.RowFloors is not null;
        double Floor(int row) => perRow ? Math.Max(tolerance.Floor, tolerance.RowFloors![row]) : tolerance.Floor;
        double maxLoss = Math.Max(tolerance.Floor, losses.Select(Math.Abs).DefaultIfEmpty(0).Max());
        var lossSize = Enumerable.Range(0, rows).Select(i => perRow ? Math.Max(Floor(i), Math.Abs(losses[i])) : maxLoss).ToArray();
        double sumAbs = Enumerable.Range(0, rows).Sum(i => Math.Max(Floor(i), Math.Abs(losses[i]))), sum = losses.Sum();
        // What rounding alone may cost where the loss is ill-conditioned (given by the caller), beyond tol · size.
        double unit = tolerance.ErrorUnit;
        var lossAllowance = Enumerable.Range(0, rows).Select(i => unit * (tolerance.LossErrors?[i] ?? 0)).ToArray();
        var gradientSize = GradientSizes(gradients, rows, classes, tolerance.ShareGradientScale, perRow, Floor);

        string where = $"{_loss.Method} {(isFloat ? "float" : "double")} {label}";
        BatchComparison? first = null;
        void Check(BatchComparison c)
        {
            observe?.Invoke(c);
            if (first is null && !c.Holds) first = c;
        }

        foreach (int reduction in new[] { 0, 1 })
        {
            string red = reduction == 0 ? "Mean" : "Sum";
            double scale = reduction == 0 ? 1.0 / rows : 1.0;
            double expected = sum * scale;
            double bound = Math.Max(tol * sumAbs, lossAllowance.Sum()) * scale + 1e-300;

            double forward = ToDouble(_driver.Forward(_loss, isFloat, inputs, classes, reduction));
            CheckLoss(forward, expected, bound, rows, reduction, $"{where}: Forward({red})", Check);

            var outputs = diff.Select((_, k) => NewArray(isFloat, Length(k))).ToArray();
            _driver.Backward(_loss, isFloat, inputs, classes, outputs, reduction);
            CheckGradients(outputs, gradients, classes, scale, tol, gradientSize, tolerance, $"{where}: Backward({red})", Check);

            outputs = diff.Select((_, k) => NewArray(isFloat, Length(k))).ToArray();
            double both = ToDouble(_driver.ForwardBackward(_loss, isFloat, inputs, classes, outputs, reduction));
            CheckLoss(both, expected, bound, rows, reduction, $"{where}: ForwardBackward({red}) loss", Check);
            CheckGradients(outputs, gradients, classes, scale, tol, gradientSize, tolerance, $"{where}: ForwardBackward({red}) gradient", Check);
        }

        var perExample = NewArray(isFloat, rows);
        _driver.ForwardPerExample(_loss, isFloat, inputs, classes, perExample);
        for (int i = 0; i < rows; i++)
        {
            Check(new BatchComparison($"{where}: Forward(losses)[{i}]", ToDouble(perExample.GetValue(i)!), losses[i], Math.Max(tol * lossSize[i], lossAllowance[i]) + 1e-300, i));
        }
        return first;
    }

    private static void CheckLoss(double actual, double expected, double bound, int rows, int reduction, string what, Action<BatchComparison> check)
    {
        if (rows == 0)
        {
            // The mean of an empty batch is NaN, its sum 0.
            check(new BatchComparison(what, actual, reduction == 0 ? double.NaN : 0.0, 0));
            return;
        }
        check(new BatchComparison(what, actual, expected, bound));
    }

    /// <summary>
    /// The size each gradient's entries of each row are judged against: the largest |∂| of that parameter (of every
    /// differentiated parameter when <paramref name="shared"/>) over the batch, or over the row when <paramref name="perRow"/>;
    /// at least the floor of the row.
    /// </summary>
    private double[][] GradientSizes(List<double[]> reference, int rows, int classes, bool shared, bool perRow, Func<int, double> floor)
    {
        var diff = _loss.Differentiated;
        int Width(int k) => _loss.Parameters[diff[k]].IsVector ? classes : 1;
        // |∂| of parameter k: its largest over row r (per row), or over the batch.
        var batchMax = reference.Select(g => g.Select(Math.Abs).DefaultIfEmpty(0).Max()).ToArray();
        double MaxAbs(int k, int row)
        {
            if (!perRow) return batchMax[k];
            double m = 0;
            foreach (double g in reference[k].AsSpan(row * Width(k), Width(k))) m = Math.Max(m, Math.Abs(g));
            return m;
        }
        var sizes = new double[diff.Count][];
        for (int k = 0; k < diff.Count; k++) sizes[k] = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            var own = Enumerable.Range(0, diff.Count).Select(k => MaxAbs(k, r)).ToArray();
            double all = own.DefaultIfEmpty(0).Max();
            for (int k = 0; k < diff.Count; k++) sizes[k][r] = Math.Max(floor(r), shared ? all : own[k]);
        }
        return sizes;
    }

    private void CheckGradients(Array[] actual, List<double[]> reference, int classes, double scale, double tol, double[][] sizes, BatchTolerance tolerance, string what, Action<BatchComparison> check)
    {
        for (int k = 0; k < actual.Length; k++)
        {
            var expected = reference[k];
            int perRow = _loss.Parameters[_loss.Differentiated[k]].IsVector ? classes : 1;
            for (int i = 0; i < expected.Length; i++)
            {
                int row = i / perRow;
                double allowance = tolerance.ErrorUnit * (tolerance.GradientErrors?[row][k][i % perRow] ?? 0);
                check(new BatchComparison($"{what}: d{_loss.Parameters[_loss.Differentiated[k]].Name}[{i}]",
                    ToDouble(actual[k].GetValue(i)!), expected[i] * scale, Math.Max(tol * sizes[k][row], allowance) * scale + 1e-300, row));
            }
        }
    }

    // ---- the reference ---------------------------------------------------------------------------

    /// <summary>Per-example losses, and per differentiated parameter the gradient entries laid out as its batch span.</summary>
    private (double[] Losses, List<double[]> Gradients) Reference(double[][] values, int rows, int classes)
    {
        var diff = _loss.Differentiated;
        var losses = new double[rows];
        var gradients = diff.Select(i => new double[_loss.Parameters[i].IsVector ? rows * classes : rows]).ToList();
        for (int r = 0; r < rows; r++)
        {
            var args = _loss.Parameters.Select((p, i) => Argument(p, values[i], r, classes)).ToArray();
            losses[r] = (double)_lossMethod.Invoke(null, args)!;
            var g = _gradientMethod.Invoke(null, args);
            var parts = g is ITuple t ? Enumerable.Range(0, t.Length).Select(j => t[j]).ToArray() : new[] { g };
            for (int k = 0; k < diff.Count; k++)
            {
                if (parts[k] is Vec v)
                {
                    var a = v.ToArray();
                    Array.Copy(a, 0, gradients[k], r * classes, classes);
                }
                else
                {
                    gradients[k][r] = (double)parts[k]!;
                }
            }
        }
        return (losses, gradients);
    }

    private static object Argument(LossParameter p, double[] values, int row, int classes)
    {
        if (p.IsConstant) return p.IsVector ? (Vec)values.ToArray() : values[0];
        if (p.IsVector) return (Vec)values.AsSpan(row * classes, classes).ToArray();
        return values[row];
    }

    private object[] Inputs(double[][] values, bool isFloat) =>
        _loss.Parameters.Select((p, i) =>
            p.IsConstant && !p.IsVector
                ? (isFloat ? (object)(float)values[i][0] : values[i][0])
                : isFloat ? values[i].Select(x => (float)x).ToArray() : (object)values[i].ToArray()).ToArray();

    private static Array NewArray(bool isFloat, int length) => isFloat ? new float[length] : new double[length];

    private static double ToDouble(object value) => value is float f ? f : (double)value;
}

/// <summary>
/// How close a batch output must be to the reference: within <see cref="Relative"/> times the size of what is compared
/// (see <see cref="BatchCheck"/>), every size counting as at least <see cref="Floor"/>. With
/// <see cref="ShareGradientScale"/>, the size of a gradient entry is the largest |∂| over every differentiated parameter,
/// not only its own. With <see cref="RowFloors"/> (one per example), sizes are taken per example instead of over the
/// batch: an example's loss is judged against its own |ℓᵢ| and its gradient entries against its own largest |∂|, each at
/// least the example's floor (and <see cref="Floor"/>); the reduced loss against the sum of the examples' sizes.
/// </summary>
public sealed record BatchTolerance(double Relative, double Floor, bool ShareGradientScale = false, IReadOnlyList<double>? RowFloors = null)
{
    /// <summary>
    /// Optional allowances for rounding where a loss is ill-conditioned, in units of <see cref="ErrorUnit"/>: an output
    /// may be off by its allowance when that exceeds the relative bound. Per example, its loss's (<see cref="LossErrors"/>;
    /// the reduced loss gets their sum) and each gradient entry's (<see cref="GradientErrors"/>[example][differentiated
    /// parameter][entry]).
    /// </summary>
    public IReadOnlyList<double>? LossErrors { get; init; }

    /// <summary>See <see cref="LossErrors"/>.</summary>
    public IReadOnlyList<double[][]>? GradientErrors { get; init; }

    /// <summary>What one unit of <see cref="LossErrors"/> and <see cref="GradientErrors"/> is worth.</summary>
    public double ErrorUnit { get; init; }
}

/// <summary>
/// One output of a batch method against its reference; <see cref="Holds"/> when within <see cref="Bound"/> (or both NaN,
/// or equal). <see cref="Row"/> is the example it belongs to, -1 for a reduced loss.
/// </summary>
public readonly record struct BatchComparison(string What, double Actual, double Expected, double Bound, int Row = -1)
{
    public double Error => Math.Abs(Actual - Expected);

    public bool Holds => Error <= Bound || (double.IsNaN(Actual) && double.IsNaN(Expected)) || Actual == Expected;

    public override string ToString() =>
        $"{What}: got {Actual:R}, reference {Expected:R}, error {Error:R} > {Bound:R}";
}

