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
        if (isFloat) values = values.Select(v => v.Select(x => (double)(float)x).ToArray()).ToArray();
        double tol = isFloat ? 1e-6 * floatFactor : 1e-12;
        var (losses, gradients) = Reference(values, rows, classes);
        var inputs = Inputs(values, isFloat);
        var diff = _loss.Differentiated;
        int Length(int k) => _loss.Parameters[diff[k]].IsVector ? rows * classes : rows;

        double floor = isFloat ? 1 : 0;
        double sumAbs = losses.Sum(l => Math.Max(floor, Math.Abs(l))), sum = losses.Sum();
        double maxLoss = Math.Max(floor, losses.Select(Math.Abs).DefaultIfEmpty(0).Max());
        string where = $"{_loss.Method} {(isFloat ? "float" : "double")} {label}";

        foreach (int reduction in new[] { 0, 1 })
        {
            string red = reduction == 0 ? "Mean" : "Sum";
            double scale = reduction == 0 ? 1.0 / rows : 1.0;
            double expected = sum * scale;
            double bound = tol * sumAbs * scale + 1e-300;

            double forward = ToDouble(_driver.Forward(_loss, isFloat, inputs, classes, reduction));
            AssertLoss(forward, expected, bound, rows, reduction, $"{where}: Forward({red})");

            var outputs = diff.Select((_, k) => NewArray(isFloat, Length(k))).ToArray();
            _driver.Backward(_loss, isFloat, inputs, classes, outputs, reduction);
            AssertGradients(outputs, gradients, scale, tol, floor, $"{where}: Backward({red})");

            outputs = diff.Select((_, k) => NewArray(isFloat, Length(k))).ToArray();
            double both = ToDouble(_driver.ForwardBackward(_loss, isFloat, inputs, classes, outputs, reduction));
            AssertLoss(both, expected, bound, rows, reduction, $"{where}: ForwardBackward({red}) loss");
            AssertGradients(outputs, gradients, scale, tol, floor, $"{where}: ForwardBackward({red}) gradient");
        }

        var perExample = NewArray(isFloat, rows);
        _driver.ForwardPerExample(_loss, isFloat, inputs, classes, perExample);
        for (int i = 0; i < rows; i++)
        {
            double got = ToDouble(perExample.GetValue(i)!);
            Within(got, losses[i], tol * maxLoss + 1e-300, $"{where}: Forward(losses)[{i}]");
        }
    }

    private static void AssertLoss(double actual, double expected, double bound, int rows, int reduction, string what)
    {
        if (rows == 0)
        {
            if (reduction == 0) Assert.True(double.IsNaN(actual), $"{what}: the mean of an empty batch should be NaN, got {actual:R}");
            else Assert.Equal(0.0, actual);
            return;
        }
        Within(actual, expected, bound, what);
    }

    private void AssertGradients(Array[] actual, List<double[]> reference, double scale, double tol, double floor, string what)
    {
        for (int k = 0; k < actual.Length; k++)
        {
            var expected = reference[k];
            double max = Math.Max(floor, expected.Select(Math.Abs).DefaultIfEmpty(0).Max()) * scale;
            for (int i = 0; i < expected.Length; i++)
            {
                Within(ToDouble(actual[k].GetValue(i)!), expected[i] * scale, tol * max + 1e-300,
                    $"{what}: d{_loss.Parameters[_loss.Differentiated[k]].Name}[{i}]");
            }
        }
    }

    private static void Within(double actual, double expected, double bound, string what)
    {
        double error = Math.Abs(actual - expected);
        if (!(error <= bound) && !(double.IsNaN(actual) && double.IsNaN(expected)) && actual != expected)
        {
            Assert.Fail($"{what}: got {actual:R}, reference {expected:R}, error {error:R} > {bound:R}");
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
