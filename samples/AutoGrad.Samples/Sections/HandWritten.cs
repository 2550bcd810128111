using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace AutoGrad.Samples.Sections;

/// <summary>
/// Section 4: derived against hand-written. Each textbook gradient in <see cref="Textbook"/> was
/// already compared with the derived one at compile time ([GradientOf]; a difference would be
/// error AG0005 in this project). Here both are evaluated over a grid and the largest difference
/// is printed, next to <see cref="GradCheck"/>'s comparison of the derived gradient with central
/// finite differences of the loss.
/// </summary>
internal static class HandWritten
{
    /// <summary>One row: the loss, its parameter, how many points, the largest |derived − hand-written| and the GradCheck result.</summary>
    public sealed record Row(string Loss, string Parameter, string Textbook, int Points, double MaxDifference, CheckSummary Check);

    /// <summary>GradCheck results over several calls (one per fixed target and constant), summed up.</summary>
    public sealed record CheckSummary(int Checked, int Failed, double MaxAbsoluteError, double MaxRelativeError)
    {
        public static CheckSummary Empty { get; } = new(0, 0, 0, 0);

        public bool Passed => Checked > 0 && Failed == 0;

        public CheckSummary Add(GradCheckResult r) => new(
            Checked + r.PointsChecked,
            Failed + r.PointsFailed,
            Math.Max(MaxAbsoluteError, r.MaxAbsoluteError),
            Math.Max(MaxRelativeError, r.MaxRelativeError));
    }

    private static readonly double[] Logits = Enumerable.Range(0, 121).Select(i => -6 + 0.1 * i).ToArray();
    private static readonly double[] Targets = { 0, 0.25, 0.5, 0.75, 1 };

    public static IReadOnlyList<Row> Compare()
    {
        var rows = new List<Row>();

        // Scalar losses of (z, y): z on [-6, 6] by 0.1, y in {0, 0.25, 0.5, 0.75, 1}.
        var zy = (from z in Logits from y in Targets select (z, y)).ToList();
        rows.Add(Scalar("BinaryCrossEntropy", "a - y = Sigmoid(z) - y", zy,
            SeedLosses.BinaryCrossEntropy, SeedLosses.BinaryCrossEntropyGradient, Textbook.BinaryCrossEntropyGradient));
        rows.Add(Scalar("QuadraticOnSigmoid", "(a - y) * a * (1 - a)", zy,
            SeedLosses.QuadraticOnSigmoid, SeedLosses.QuadraticOnSigmoidGradient, Textbook.QuadraticOnSigmoidGradient));

        // Vector losses: seeded logits on [-6, 6] with 2 to 10 classes, one-hot and soft targets.
        var random = new Random(5);
        var vectors = new List<(Vec z, Vec y)>();
        for (int i = 0; i < 500; i++)
        {
            int classes = 2 + i % 9;
            var z = new double[classes];
            var y = new double[classes];
            for (int k = 0; k < classes; k++) z[k] = -6 + 12 * random.NextDouble();
            if (i % 2 == 0)
            {
                y[random.Next(classes)] = 1;
            }
            else
            {
                for (int k = 0; k < classes; k++) y[k] = random.NextDouble();
                double sum = y.Sum();
                for (int k = 0; k < classes; k++) y[k] /= sum;
            }
            vectors.Add((z, y));
        }
        rows.Add(Vector("SoftmaxCrossEntropy", "a - y = Softmax(z) - y", vectors,
            SeedLosses.SoftmaxCrossEntropy, SeedLosses.SoftmaxCrossEntropyGradient, Textbook.SoftmaxCrossEntropyGradient));
        var unnormalized = vectors.Select((v, i) => (v.z, (Vec)v.y.ToArray().Select(t => t * (0.5 + i % 3)).ToArray())).ToList();
        rows.Add(Vector("SoftmaxCrossEntropyAnyTarget", "a * Sum(y) - y", unnormalized,
            SeedLosses.SoftmaxCrossEntropyAnyTarget, SeedLosses.SoftmaxCrossEntropyAnyTargetGradient, Textbook.SoftmaxCrossEntropyAnyTargetGradient));

        // The neuron: w, b on [-3, 3] by 0.5, x in {-1, 0.5, 1, 2}, y in {0, 0.5, 1}.
        var grid = Enumerable.Range(0, 13).Select(i => -3 + 0.5 * i).ToArray();
        var neuron = (from w in grid from b in grid from x in new[] { -1, 0.5, 1, 2 } from y in new[] { 0, 0.5, 1 } select (w, b, x, y)).ToList();
        rows.AddRange(Neuron("Neuron", "(a - y) * a * (1 - a) * x", "(a - y) * a * (1 - a)", neuron,
            SeedLosses.Neuron, SeedLosses.NeuronGradient, Textbook.NeuronGradient));
        rows.AddRange(Neuron("NeuronCrossEntropy", "x * (a - y)", "a - y", neuron,
            SeedLosses.NeuronCrossEntropy, SeedLosses.NeuronCrossEntropyGradient, Textbook.NeuronCrossEntropyGradient));
        return rows;
    }

    private static Row Scalar(
        string loss, string textbook, List<(double z, double y)> points,
        Func<double, double, double> f, Func<double, double, double> derived, Func<double, double, double> hand)
    {
        double max = points.Max(p => Math.Abs(derived(p.z, p.y) - hand(p.z, p.y)));
        // GradCheck differentiates with respect to z only: the target is held fixed by closing over it.
        var check = points
            .GroupBy(p => p.y)
            .Aggregate(CheckSummary.Empty, (sum, g) => sum.Add(GradCheck.Check(z => f(z, g.Key), z => derived(z, g.Key), g.Select(p => p.z))));
        return new Row(loss, "z", textbook, points.Count, max, check);
    }

    private static Row Vector(
        string loss, string textbook, List<(Vec z, Vec y)> points,
        Func<Vec, Vec, double> f, Func<Vec, Vec, Vec> derived, Func<Vec, Vec, Vec> hand)
    {
        double max = 0;
        var checks = new List<GradCheckResult>();
        foreach (var (z, y) in points)
        {
            var d = derived(z, y).AsSpan();
            var h = hand(z, y).AsSpan();
            for (int k = 0; k < d.Length; k++) max = Math.Max(max, Math.Abs(d[k] - h[k]));
        }
        var check = points.Aggregate(CheckSummary.Empty,
            (sum, p) => sum.Add(GradCheck.Check(z => f(z, p.y), z => derived(z, p.y), new[] { p.z })));
        return new Row(loss, "z", textbook, points.Count, max, check);
    }

    private static IEnumerable<Row> Neuron(
        string loss, string textbookW, string textbookB, List<(double w, double b, double x, double y)> points,
        Func<double, double, double, double, double> f,
        Func<double, double, double, double, (double w, double b)> derived,
        Func<double, double, double, double, (double w, double b)> hand)
    {
        double maxW = 0, maxB = 0;
        foreach (var (w, b, x, y) in points)
        {
            var d = derived(w, b, x, y);
            var h = hand(w, b, x, y);
            maxW = Math.Max(maxW, Math.Abs(d.w - h.w));
            maxB = Math.Max(maxB, Math.Abs(d.b - h.b));
        }
        var check = points
            .GroupBy(p => (p.x, p.y))
            .Aggregate(CheckSummary.Empty, (sum, g) => sum.Add(GradCheck.Check(
                p => f(p[0], p[1], g.Key.x, g.Key.y),
                p => { var d = derived(p[0], p[1], g.Key.x, g.Key.y); return new[] { d.w, d.b }; },
                g.Select(p => new[] { p.w, p.b }))));
        yield return new Row(loss, "w", textbookW, points.Count, maxW, check);
        yield return new Row(loss, "b", textbookB, points.Count, maxB, check);
    }

    public static void Run(TextWriter output)
    {
        var rows = Compare();
        Report.Heading(output, "4. Derived against hand-written");
        output.WriteLine("The textbook's hand-written gradients (class Textbook) carry [GradientOf], so the build compared");
        output.WriteLine("each with the derived one at compile time. Here both are evaluated over a grid; GradCheck compares the");
        output.WriteLine("derived gradient with central finite differences of the loss (torch.autograd.gradcheck's defaults).");
        output.WriteLine();
        output.WriteLine("  loss                          ∂L/∂   textbook, by hand             points   max |derived - hand|   GradCheck against finite differences");
        foreach (var row in rows)
        {
            string check = (row.Check.Passed ? "passed" : "FAILED") + $", max abs err {Report.E(row.Check.MaxAbsoluteError)}";
            output.WriteLine($"  {row.Loss,-28}  {row.Parameter,-4}   {row.Textbook,-28}  {row.Points,6}   {Report.E(row.MaxDifference),20}   {check}");
        }
        output.WriteLine();
        output.WriteLine("a is the output: Sigmoid(z), Softmax(z) or Sigmoid(w * x + b). Scalar losses: z on [-6, 6] by 0.1, y in");
        output.WriteLine("{0, 0.25, 0.5, 0.75, 1}; vector losses: 500 seeded logit vectors of 2 to 10 classes, one-hot and soft");
        output.WriteLine("targets; the neuron: w, b on [-3, 3] by 0.5, x in {-1, 0.5, 1, 2}, y in {0, 0.5, 1}.");
    }
}
