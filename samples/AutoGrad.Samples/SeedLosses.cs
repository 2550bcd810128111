using AutoGrad;
using static AutoGrad.Fn;

namespace AutoGrad.Samples;

/// <summary>
/// The seeds' losses, written the way the textbooks write them. The generator adds
/// <c>MGradient</c> and <c>MDerivation</c> for each (and batch kernels where it emits them).
/// </summary>
public static partial class SeedLosses
{
    /// <summary>Binary cross-entropy on a logit.</summary>
    [Loss]
    public static double BinaryCrossEntropy(double z, [Target] double y)
        => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

    /// <summary>Categorical cross-entropy on logits; the target is a distribution.</summary>
    [Loss]
    public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
        => -Sum(y * Log(Softmax(z)));

    /// <summary>The same loss without the promise that the target sums to one.</summary>
    [Loss]
    public static double SoftmaxCrossEntropyAnyTarget(Vec z, [Target] Vec y)
        => -Sum(y * Log(Softmax(z)));

    /// <summary>The quadratic cost on a sigmoid output.</summary>
    [Loss]
    public static double QuadraticOnSigmoid(double z, [Target] double y)
        => (Sigmoid(z) - y) * (Sigmoid(z) - y) / 2;

    /// <summary>One sigmoid neuron with the quadratic cost: gradients for w and b.</summary>
    [Loss]
    public static double Neuron(double w, double b, [Constant] double x, [Target] double y)
    {
        var a = Sigmoid(w * x + b);
        return (a - y) * (a - y) / 2;
    }

    /// <summary>One sigmoid neuron with the cross-entropy cost: gradients for w and b.</summary>
    [Loss]
    public static double NeuronCrossEntropy(double w, double b, [Constant] double x, [Target] double y)
    {
        var a = Sigmoid(w * x + b);
        return -(y * Log(a) + (1 - y) * Log(1 - a));
    }
}

/// <summary>
/// The gradients as the textbooks derive them by hand. Each carries <c>[GradientOf]</c>, so the
/// build compares it with the derived gradient (AG0005, an error in this project, if they differ);
/// the sample compares them again by value over a grid.
/// </summary>
public static class Textbook
{
    /// <summary>∂C/∂z = a − y: the sigmoid's derivative cancels against the logarithm's.</summary>
    [GradientOf(nameof(SeedLosses.BinaryCrossEntropy))]
    public static double BinaryCrossEntropyGradient(double z, double y) => Sigmoid(z) - y;

    /// <summary>∂C/∂z = a − y, the prediction minus the target, when the target sums to one.</summary>
    [GradientOf(nameof(SeedLosses.SoftmaxCrossEntropy))]
    public static Vec SoftmaxCrossEntropyGradient(Vec z, Vec y) => Softmax(z) - y;

    /// <summary>∂C/∂zⱼ = aⱼ·Σy − yⱼ for any target.</summary>
    [GradientOf(nameof(SeedLosses.SoftmaxCrossEntropyAnyTarget))]
    public static Vec SoftmaxCrossEntropyAnyTargetGradient(Vec z, Vec y) => Softmax(z) * Sum(y) - y;

    /// <summary>∂C/∂z = (a − y)·σ'(z), with σ'(z) = a(1 − a).</summary>
    [GradientOf(nameof(SeedLosses.QuadraticOnSigmoid))]
    public static double QuadraticOnSigmoidGradient(double z, double y)
        => (Sigmoid(z) - y) * Sigmoid(z) * (1 - Sigmoid(z));

    /// <summary>∂C/∂w = (a − y)σ'(z)·x and ∂C/∂b = (a − y)σ'(z), z = wx + b.</summary>
    [GradientOf(nameof(SeedLosses.Neuron))]
    public static (double w, double b) NeuronGradient(double w, double b, double x, double y)
    {
        var a = Sigmoid(w * x + b);
        var delta = (a - y) * a * (1 - a);
        return (delta * x, delta);
    }

    /// <summary>∂C/∂w = x(σ(z) − y) and ∂C/∂b = σ(z) − y: no σ'(z), so no learning slowdown.</summary>
    [GradientOf(nameof(SeedLosses.NeuronCrossEntropy))]
    public static (double w, double b) NeuronCrossEntropyGradient(double w, double b, double x, double y)
    {
        var a = Sigmoid(w * x + b);
        return (x * (a - y), a - y);
    }
}
