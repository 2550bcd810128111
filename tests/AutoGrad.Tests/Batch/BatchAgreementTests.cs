using System;
using System.Linq;

namespace AutoGrad.Tests.Batch;

/// <summary>
/// Shapes the generator tests' suites do not have, compiled by the real build: a [Constant] Vec (one weight per
/// class) and a per-row scalar beside a Vec, each batch method against the generated per-example gradient.
/// </summary>
public sealed class BatchAgreementTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(7, 10)]
    [InlineData(33, 17)]
    [InlineData(5, 1000)]
    public void Weighted_cross_entropy_agrees_with_the_per_example_gradient(int rows, int classes)
    {
        var rng = new Random(rows * 31 + classes);
        var z = Enumerable.Range(0, rows * classes).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        var y = new double[z.Length];
        for (int r = 0; r < rows; r++) y[r * classes + rng.Next(classes)] = 1;
        var w = Enumerable.Range(0, classes).Select(_ => rng.NextDouble() * 2).ToArray();
        var dz = new double[z.Length];
        double loss = BatchLosses.WeightedCrossEntropyForwardBackward(z, y, w, classes, dz, Reduction.Sum);
        double expected = 0;
        for (int r = 0; r < rows; r++)
        {
            Vec zr = z.AsSpan(r * classes, classes).ToArray(), yr = y.AsSpan(r * classes, classes).ToArray();
            expected += BatchLosses.WeightedCrossEntropy(zr, yr, w);
            var g = BatchLosses.WeightedCrossEntropyGradient(zr, yr, w).ToArray();
            for (int j = 0; j < classes; j++) Assert.Equal(g[j], dz[r * classes + j], 1e-12);
        }
        Assert.Equal(expected, loss, Math.Abs(expected) * 1e-12);

        var zf = z.Select(v => (float)v).ToArray();
        var dzf = new float[z.Length];
        BatchLosses.WeightedCrossEntropyBackward(zf, y.Select(v => (float)v).ToArray(), w.Select(v => (float)v).ToArray(), classes, dzf, Reduction.Sum);
        for (int i = 0; i < z.Length; i++) Assert.Equal(dz[i], dzf[i], 2e-6 * Math.Max(1, w.Max()));
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(9, 8)]
    [InlineData(20, 33)]
    public void A_per_row_scalar_beside_a_vector_gets_its_gradient_per_row(int rows, int classes)
    {
        var rng = new Random(rows * 17 + classes);
        var z = Enumerable.Range(0, rows * classes).Select(_ => rng.NextDouble() * 6 - 3).ToArray();
        var s = Enumerable.Range(0, rows).Select(_ => rng.NextDouble() + 0.5).ToArray();
        var y = new double[z.Length];
        for (int r = 0; r < rows; r++) y[r * classes + rng.Next(classes)] = 1;
        var (dz, ds, losses) = (new double[z.Length], new double[rows], new double[rows]);
        BatchLosses.ScaledSoftmaxBackward(z, s, y, classes, dz, ds);
        BatchLosses.ScaledSoftmaxForward(z, s, y, classes, losses);
        for (int r = 0; r < rows; r++)
        {
            Vec zr = z.AsSpan(r * classes, classes).ToArray(), yr = y.AsSpan(r * classes, classes).ToArray();
            Assert.Equal(BatchLosses.ScaledSoftmax(zr, s[r], yr), losses[r], 1e-12);
            var (gz, gs) = BatchLosses.ScaledSoftmaxGradient(zr, s[r], yr);
            Assert.Equal(gs / rows, ds[r], 1e-13);
            for (int j = 0; j < classes; j++) Assert.Equal(gz[j] / rows, dz[r * classes + j], 1e-13);
        }
    }
}
