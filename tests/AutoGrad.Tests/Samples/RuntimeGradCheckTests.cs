using System.Linq;
using AutoGrad.Samples;

namespace AutoGrad.Tests.Samples;

/// <summary>
/// The run-time side of derived against hand-written: GradCheck on the sample's textbook gradients.
/// The right ones pass; the quadratic cost's gradient attached to cross-entropy (wrong, but of the same shape) fails.
/// </summary>
public sealed class RuntimeGradCheckTests
{
    private static readonly double[] Logits = Enumerable.Range(0, 49).Select(i => -6 + 0.25 * i).ToArray();

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void The_textbook_cross_entropy_gradient_passes(double y) =>
        GradCheck.Assert(z => SeedLosses.BinaryCrossEntropy(z, y), z => Textbook.BinaryCrossEntropyGradient(z, y), Logits);

    [Fact]
    public void The_quadratic_costs_gradient_does_not_pass_for_cross_entropy()
    {
        var result = GradCheck.Check(z => SeedLosses.BinaryCrossEntropy(z, 0.0), z => Textbook.QuadraticOnSigmoidGradient(z, 0.0), Logits);
        Assert.False(result.Passed);
        Assert.Equal(Logits.Length, result.PointsChecked);
        Assert.StartsWith("GradCheck failed:", result.ToString());
        Assert.Contains("Worst: component 0 at point", result.ToString());
    }

    [Fact]
    public void The_neurons_tuple_passes_for_both_parameters()
    {
        var points = from w in new[] { -2.0, 0.6, 2.0 } from b in new[] { -1.0, 0.9, 2.0 } select new[] { w, b };
        GradCheck.Assert(
            p => SeedLosses.NeuronCrossEntropy(p[0], p[1], 1.0, 0.0),
            p => { var g = Textbook.NeuronCrossEntropyGradient(p[0], p[1], 1.0, 0.0); return new[] { g.w, g.b }; },
            points);
    }
}
