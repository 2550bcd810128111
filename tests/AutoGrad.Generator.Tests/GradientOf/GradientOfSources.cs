namespace AutoGrad.Generator.Tests.GradientOf;

/// <summary>The seed losses that [GradientOf] tests compare hand-written gradients with.</summary>
internal static class GradientOfSources
{
    public const string Losses = """
        // Binary cross-entropy on a logit, written the textbook way.
        [Loss]
        public static double BinaryCrossEntropy(double z, [Target] double y)
            => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

        // The quadratic cost on a sigmoid output.
        [Loss]
        public static double QuadraticOnSigmoid(double z, [Target] double y)
            => Square(Sigmoid(z) - y) / 2;

        // Cross-entropy on a probability.
        [Loss]
        public static double CrossEntropyOnProbability(double a, [Target] double y)
            => -(y * Log(a) + (1 - y) * Log(1 - a));

        // One sigmoid neuron with the quadratic cost.
        [Loss]
        public static double Neuron(double w, double b, [Constant] double x, [Target] double y)
        {
            var a = Sigmoid(w * x + b);
            return (a - y) * (a - y) / 2;
        }

        // One sigmoid neuron with the cross-entropy cost.
        [Loss]
        public static double NeuronCrossEntropy(double w, double b, [Constant] double x, [Target] double y)
        {
            var a = Sigmoid(w * x + b);
            return -(y * Log(a) + (1 - y) * Log(1 - a));
        }

        // Softmax cross-entropy on logits, the target a distribution.
        [Loss]
        public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
            => -Sum(y * Log(Softmax(z)));

        // The same without the promise that the target sums to one.
        [Loss]
        public static double SoftmaxCrossEntropyAnyTarget(Vec z, [Target] Vec y)
            => -Sum(y * Log(Softmax(z)));

        // Huber, with a ?: on a comparison.
        [Loss]
        public static double Huber(double x, [Target] double y, [Constant] double delta)
        {
            var r = x - y;
            return Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);
        }
        """;

    /// <summary>A compilation unit: the seed losses and <paramref name="members"/> in <c>Suite.Losses</c>.</summary>
    public static string With(string members) => $$"""
        using System;
        using AutoGrad;
        using static AutoGrad.Fn;

        namespace Suite;

        public static partial class Losses
        {
        {{Indent(Losses)}}

        {{Indent(members)}}
        }
        """;

    private static string Indent(string text) =>
        "    " + text.Replace("\n", "\n    ");
}
