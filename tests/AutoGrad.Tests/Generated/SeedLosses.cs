using AutoGrad;
using static AutoGrad.Fn;

namespace AutoGrad.Tests.Generated;

/// <summary>The seeds' losses, compiled by the real build with the generator attached as an analyzer.</summary>
public static partial class SeedLosses
{
    [Loss]
    public static double BinaryCrossEntropy(double z, [Target] double y)
        => -(y * Log(Sigmoid(z)) + (1 - y) * Log(1 - Sigmoid(z)));

    [Loss]
    public static double SoftmaxCrossEntropy(Vec z, [Target(SumsToOne = true)] Vec y)
        => -Sum(y * Log(Softmax(z)));

    [Loss]
    public static double Neuron(double w, double b, [Constant] double x, [Target] double y)
    {
        var a = Sigmoid(w * x + b);
        return (a - y) * (a - y) / 2;
    }

    public static partial class Nested
    {
        [Loss]
        internal static double Internal(double z, [Target] double y) => Square(z - y);
    }
}

/// <summary>A generic, non-static containing type.</summary>
public partial class GenericHolder<T>
{
    [Loss]
    private static double Private(double z) => Exp(z) - z;

    public static double CallPrivateGradient(double z) => PrivateGradient(z);
}

/// <summary>A record struct.</summary>
public partial record struct RecordHolder(int Unused)
{
    [Loss]
    public static double Poisson(double z, [Target] double y) => Exp(z) - y * z;
}
