using static AutoGrad.Fn;

namespace AutoGrad.Tests.Batch;

/// <summary>The losses whose generated batch kernels these tests call directly (the generator runs in this project's build).</summary>
public static partial class BatchLosses
{
    /// <summary>Binary cross-entropy on a logit, written the textbook way (API.md §2).</summary>
    [Loss]
    public static double BinaryCrossEntropy(double z, [Target] double y)
        => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

    /// <summary>Categorical cross-entropy on logits (API.md §2).</summary>
    [Loss]
    public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
        => -Sum(y * Log(Softmax(z)));

    /// <summary>Class-weighted cross-entropy: a [Constant] Vec, one weight per class for the whole batch.</summary>
    [Loss]
    public static double WeightedCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y, [Constant] Vec w)
        => -Sum(w * y * LogSoftmax(z));

    /// <summary>Multi-label sigmoid cross-entropy, written the textbook way.</summary>
    [Loss]
    public static double MultiLabel(Vec z, [Target] Vec y)
        => -Sum(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

    /// <summary>Focal loss with a [Constant] exponent.</summary>
    [Loss]
    public static double Focal(double z, [Target] double y, [Constant] double gamma)
    {
        var p = Sigmoid(z);
        return -(y * Pow(1 - p, gamma) * Log(p) + (1 - y) * Pow(p, gamma) * Log(1 - p));
    }

    /// <summary>A row-wise scale and a vector together: gradients of both a Vec and a per-row scalar.</summary>
    [Loss]
    public static double ScaledSoftmax(Vec z, double s, [Target(SumsToOne = true)] Vec y)
        => -Sum(y * LogSoftmax(z * s));
}
