using System.Collections.Generic;
using System.IO;

namespace AutoGrad.Samples.Sections;

/// <summary>
/// Section 1: each seed loss as written, the loss as the generated code computes it, and the
/// gradient as derived, all read from the generated <c>MDerivation</c> properties.
/// </summary>
internal static class Derivations
{
    /// <summary>One seed loss: its title, its body as written in <see cref="SeedLosses"/>, and the generated derivation.</summary>
    public sealed record Entry(string Title, string Written, Derivation Derivation);

    /// <summary>
    /// The seed losses in the order they are printed. The written forms are the bodies in SeedLosses.cs
    /// (a block body's local shown after "where"); a test checks that they match the file.
    /// </summary>
    public static IReadOnlyList<Entry> Entries { get; } = new Entry[]
    {
        new("Binary cross-entropy on a logit: BinaryCrossEntropy(z, [Target] y)",
            "-(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)))",
            SeedLosses.BinaryCrossEntropyDerivation),
        new("Softmax cross-entropy, the target a distribution: SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)",
            "-Sum(y * Log(Softmax(z)))",
            SeedLosses.SoftmaxCrossEntropyDerivation),
        new("Softmax cross-entropy, any target: SoftmaxCrossEntropyAnyTarget(Vec z, [Target] Vec y)",
            "-Sum(y * Log(Softmax(z)))",
            SeedLosses.SoftmaxCrossEntropyAnyTargetDerivation),
        new("Quadratic cost on a sigmoid: QuadraticOnSigmoid(z, [Target] y)",
            "(Sigmoid(z) - y) * (Sigmoid(z) - y) / 2",
            SeedLosses.QuadraticOnSigmoidDerivation),
        new("One sigmoid neuron, quadratic cost: Neuron(w, b, [Constant] x, [Target] y)",
            "(a - y) * (a - y) / 2, where a = Sigmoid(w * x + b)",
            SeedLosses.NeuronDerivation),
        new("One sigmoid neuron, cross-entropy: NeuronCrossEntropy(w, b, [Constant] x, [Target] y)",
            "-(y * Log(a) + (1 - y) * Log(1 - a)), where a = Sigmoid(w * x + b)",
            SeedLosses.NeuronCrossEntropyDerivation),
    };

    public static void Run(TextWriter output)
    {
        Report.Heading(output, "1. The derivations");
        output.WriteLine("Each loss as written, as the generated code computes it (after stability rewrites), and its");
        output.WriteLine("gradient as derived and simplified at compile time (the generated MDerivation properties).");
        foreach (var entry in Entries)
        {
            output.WriteLine();
            output.WriteLine(entry.Title);
            output.WriteLine("  written    L = " + entry.Written);
            output.WriteLine("  computed   L = " + entry.Derivation.Loss);
            foreach (var (parameter, formula) in entry.Derivation.Gradients)
            {
                output.WriteLine($"  derived    ∂L/∂{parameter} = {formula}");
            }
        }
    }
}
