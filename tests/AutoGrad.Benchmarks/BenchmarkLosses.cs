using static AutoGrad.Fn;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The losses whose generated batch kernels are measured beside the hand-written baselines, written as a user
/// writes them (API.md §2): the textbook BCE and softmax cross-entropy. The generator runs in this project's build.
/// </summary>
public static partial class BenchmarkLosses
{
    /// <summary>Binary cross-entropy on a logit, written the textbook way.</summary>
    [Loss]
    public static double BinaryCrossEntropy(double z, [Target] double y)
        => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

    /// <summary>Categorical cross-entropy on logits; the target is a distribution.</summary>
    [Loss]
    public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
        => -Sum(y * Log(Softmax(z)));
}
