namespace AutoGrad.Generator.Tests.EndToEnd;

/// <summary>The vector (class-dimension) losses every end-to-end test compiles through the generator.</summary>
internal static class VectorLosses
{
    public const string Source = """
        using System;
        using AutoGrad;
        using static AutoGrad.Fn;

        namespace Suite;

        public static partial class VectorLosses
        {
            // Categorical cross-entropy on logits; the target is a distribution.
            [Loss]
            public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
                => -Sum(y * Log(Softmax(z)));

            // The same, without telling AutoGrad that the target sums to one.
            [Loss]
            public static double SoftmaxCrossEntropyAnyTarget(Vec z, [Target] Vec y)
                => -Sum(y * Log(Softmax(z)));

            // Cross-entropy on probabilities.
            [Loss]
            public static double CrossEntropyOnProbabilities(Vec p, [Target] Vec y)
                => -Sum(y * Log(p));

            // KL divergence of a target distribution against logits.
            [Loss]
            public static double KlDivergence(Vec z, [Target(SumsToOne = true)] Vec p)
                => Sum(p * (Log(p) - LogSoftmax(z)));

            // Multi-label sigmoid cross-entropy.
            [Loss]
            public static double MultiLabel(Vec z, [Target] Vec y)
                => -Sum(y * LogSigmoid(z) + (1 - y) * Log(1 - Sigmoid(z)));

            // Label smoothing.
            [Loss]
            public static double LabelSmoothing(Vec z, [Target(SumsToOne = true)] Vec y, [Constant] double eps)
                => (1 - eps) * -Sum(y * LogSoftmax(z)) - eps * Mean(LogSoftmax(z));

            // Squared error over a vector.
            [Loss]
            public static double SquaredError(Vec z, [Target] Vec y) => Sum(Square(z - y)) / 2;

            // Softmax cross-entropy with a temperature.
            [Loss]
            public static double TemperedSoftmax(Vec z, [Target(SumsToOne = true)] Vec y, [Constant] double t)
                => -Sum(y * LogSoftmax(z / t));

            // Cross-entropy through LogSumExp and Dot.
            [Loss]
            public static double LogSumExpForm(Vec z, [Target(SumsToOne = true)] Vec y) => LogSumExp(z) - Dot(y, z);

            // A vector and a scalar parameter together: a learned temperature (log-scale).
            [Loss]
            public static double LearnedTemperature(Vec z, double s, [Target(SumsToOne = true)] Vec y)
                => -Sum(y * LogSoftmax(z * Exp(s)));
        }
        """;
}
