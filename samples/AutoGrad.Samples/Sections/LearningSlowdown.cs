using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoGrad.Samples.Plot;
using static AutoGrad.Fn;

namespace AutoGrad.Samples.Sections;

/// <summary>
/// Section 3: the learning slowdown. One sigmoid neuron learns to output 0 for the input 1, by
/// gradient descent with the generated gradients of the quadratic cost (NeuronGradient) and of the
/// cross-entropy (NeuronCrossEntropyGradient). Started badly wrong, the quadratic cost learns slowly,
/// because its gradient carries σ'(z), which is small when the neuron saturates; cross-entropy's does
/// not. The published figures: after 300 epochs the quadratic cost has the output at 0.09 (from
/// w = 0.6, b = 0.9) and at 0.20 (from w = b = 2).
/// </summary>
internal static class LearningSlowdown
{
    public const double Input = 1;
    public const double Target = 0;
    public const double LearningRate = 0.15;
    public const int Epochs = 300;

    /// <summary>One training run: the cost, the start, and the output and cost before each epoch's step (index 0 to <see cref="Epochs"/>).</summary>
    public sealed record TrainingRun(string Cost, double W0, double B0, double[] Outputs, double[] Costs)
    {
        public double FinalOutput => Outputs[^1];
    }

    public static IReadOnlyList<TrainingRun> Train()
    {
        var runs = new List<TrainingRun>();
        foreach (var (w0, b0) in new[] { (0.6, 0.9), (2.0, 2.0) })
        {
            runs.Add(Train("quadratic", w0, b0, SeedLosses.Neuron, SeedLosses.NeuronGradient));
            runs.Add(Train("cross-entropy", w0, b0, SeedLosses.NeuronCrossEntropy, SeedLosses.NeuronCrossEntropyGradient));
        }
        return runs;
    }

    private static TrainingRun Train(
        string cost,
        double w,
        double b,
        Func<double, double, double, double, double> loss,
        Func<double, double, double, double, (double w, double b)> gradient)
    {
        double w0 = w, b0 = b;
        var outputs = new double[Epochs + 1];
        var costs = new double[Epochs + 1];
        for (int epoch = 0; epoch <= Epochs; epoch++)
        {
            outputs[epoch] = Sigmoid(w * Input + b);
            costs[epoch] = loss(w, b, Input, Target);
            if (epoch == Epochs) break;
            var g = gradient(w, b, Input, Target);
            w -= LearningRate * g.w;
            b -= LearningRate * g.b;
        }
        return new TrainingRun(cost, w0, b0, outputs, costs);
    }

    public static void Run(TextWriter output, string svgPath)
    {
        var runs = Train();
        Report.Heading(output, "3. The learning slowdown: one sigmoid neuron, quadratic cost against cross-entropy");
        output.WriteLine($"Input x = {Input}, target y = {Target}, learning rate η = {LearningRate}, {Epochs} epochs of gradient descent");
        output.WriteLine("with the generated gradients NeuronGradient and NeuronCrossEntropyGradient. The neuron's output a:");
        output.WriteLine();
        output.WriteLine("           from w = 0.6, b = 0.9            from w = 2, b = 2");
        output.WriteLine("  epoch    quadratic   cross-entropy        quadratic   cross-entropy");
        for (int epoch = 0; epoch <= Epochs; epoch += 50)
        {
            output.WriteLine($"  {epoch,5}    {Report.F(runs[0].Outputs[epoch], 2),9}   {Report.F(runs[1].Outputs[epoch], 2),13}        {Report.F(runs[2].Outputs[epoch], 2),9}   {Report.F(runs[3].Outputs[epoch], 2),13}");
        }
        output.WriteLine();
        output.WriteLine($"After {Epochs} epochs the quadratic cost leaves the output at {Report.F(runs[0].FinalOutput, 2)} and {Report.F(runs[2].FinalOutput, 2)} (published: 0.09 and 0.20);");
        output.WriteLine($"cross-entropy brings it to {Report.F(runs[1].FinalOutput, 3)} and {Report.F(runs[3].FinalOutput, 3)}. From w = b = 2 the quadratic cost hardly moves for");
        output.WriteLine("the first 150 epochs: its gradient carries the sigmoid's derivative, small where the neuron saturates:");
        output.WriteLine("  quadratic       ∂L/∂b = " + SeedLosses.NeuronDerivation.Gradients["b"]);
        output.WriteLine("  cross-entropy   ∂L/∂b = " + SeedLosses.NeuronCrossEntropyDerivation.Gradients["b"]);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svgPath))!);
        File.WriteAllText(svgPath, Svg(runs));
        output.WriteLine();
        output.WriteLine("Cost against epoch, all four runs: " + Path.GetFullPath(svgPath));
    }

    /// <summary>Cost against epoch: a panel per start, the quadratic cost and cross-entropy in each.</summary>
    public static string Svg(IReadOnlyList<TrainingRun> runs)
    {
        static IReadOnlyList<(double, double)> Points(TrainingRun run) => run.Costs.Select((c, epoch) => ((double)epoch, c)).ToList();
        Panel PanelFor(TrainingRun quadratic, TrainingRun crossEntropy) => new(
            $"from w = {quadratic.W0}, b = {quadratic.B0} (output {Report.F(quadratic.Outputs[0], 2)})",
            "epoch",
            "cost",
            new[]
            {
                new Series("quadratic cost", "#1f77b4", null, Points(quadratic)),
                new Series("cross-entropy", "#d62728", "6,3", Points(crossEntropy)),
            });
        return SvgPlot.Render(
            $"Learning slowdown: one sigmoid neuron, x = {Input}, y = {Target}, η = {LearningRate}",
            new[] { PanelFor(runs[0], runs[1]), PanelFor(runs[2], runs[3]) });
    }
}
