using System;
using System.Linq;

namespace AutoGrad.Tests.Generated;

/// <summary>Generated code as a user's build produces it: the analyzer wiring, every containing-type shape, run-time checks.</summary>
public sealed class RealBuildTests
{
    [Fact]
    public void Binary_cross_entropy()
    {
        Assert.Equal("Sigmoid(z) - y", SeedLosses.BinaryCrossEntropyDerivation.Gradients["z"]);
        var result = GradCheck.Check(
            z => SeedLosses.BinaryCrossEntropy(z, 0.3),
            z => SeedLosses.BinaryCrossEntropyGradient(z, 0.3),
            Enumerable.Range(-20, 41).Select(i => i * 0.4));
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Softmax_cross_entropy()
    {
        Assert.Equal("Softmax(z) - y", SeedLosses.SoftmaxCrossEntropyDerivation.Gradients["z"]);
        Vec y = new double[] { 0, 1, 0, 0 };
        var rng = new Random(5);
        var points = Enumerable.Range(0, 50).Select(_ => (Vec)Enumerable.Range(0, 4).Select(_ => rng.NextDouble() * 6 - 3).ToArray());
        var result = GradCheck.Check(z => SeedLosses.SoftmaxCrossEntropy(z, y), z => SeedLosses.SoftmaxCrossEntropyGradient(z, y), points);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Mismatched_vector_lengths_throw()
    {
        Assert.Throws<ArgumentException>(() => SeedLosses.SoftmaxCrossEntropyGradient(new double[] { 1, 2, 3 }, new double[] { 1, 0 }));
    }

    [Fact]
    public void Several_parameters_give_a_named_tuple()
    {
        var (w, b) = SeedLosses.NeuronGradient(w: 0.6, b: 0.9, x: 1, y: 0);
        double a = 1 / (1 + Math.Exp(-1.5));
        Assert.Equal(a * a * (1 - a), b, 14);
        Assert.Equal(b, w, 14);
        var tuple = SeedLosses.NeuronGradient(0.6, 0.9, 1, 0);
        Assert.Equal(tuple.w, tuple.b);
    }

    [Fact]
    public void Nested_generic_private_and_record_struct_holders()
    {
        Assert.Equal(2 * (3.0 - 1.0), SeedLosses.Nested.InternalGradient(3, 1));
        Assert.Equal(Math.Exp(0.5) - 1, GenericHolder<string>.CallPrivateGradient(0.5), 14);
        Assert.Equal(Math.Exp(1) - 2, RecordHolder.PoissonGradient(1, 2), 14);
        Assert.Equal("Exp(z) - y", RecordHolder.PoissonDerivation.Gradients["z"]);
    }
}
