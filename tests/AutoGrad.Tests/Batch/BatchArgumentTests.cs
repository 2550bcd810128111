using System;
using System.Linq;

namespace AutoGrad.Tests.Batch;

/// <summary>Spans of the wrong length throw ArgumentException naming the parameter, before anything is written.</summary>
public sealed class BatchArgumentTests
{
    private static T Throws<T>(string parameter, Action action)
        where T : ArgumentException
    {
        var ex = Assert.Throws<T>(action);
        Assert.Equal(parameter, ex.ParamName);
        return ex;
    }

    [Fact]
    public void Scalar_loss_lengths_are_checked_before_anything_is_written()
    {
        var z = new float[9];
        var y = new float[9];
        var dz = Enumerable.Repeat(float.NaN, 8).ToArray();
        Throws<ArgumentException>("dz", () => BatchLosses.BinaryCrossEntropyBackward(z, y, dz));
        Throws<ArgumentException>("dz", () => BatchLosses.BinaryCrossEntropyForwardBackward(z, y, dz));
        Assert.All(dz, d => Assert.True(float.IsNaN(d)));
        Throws<ArgumentException>("y", () => BatchLosses.BinaryCrossEntropyForward(z, new float[8]));
        Throws<ArgumentException>("losses", () => BatchLosses.BinaryCrossEntropyForward(z, y, new float[10]));
        Throws<ArgumentException>("y", () => BatchLosses.BinaryCrossEntropyForward(new double[3], new double[4]));
        Throws<ArgumentOutOfRangeException>("reduction", () => BatchLosses.BinaryCrossEntropyForward(z, y, (Reduction)7));
    }

    [Fact]
    public void Vector_loss_shapes_are_checked_before_anything_is_written()
    {
        var z = new double[12];
        var y = new double[12];
        var dz = Enumerable.Repeat(double.NaN, 12).ToArray();
        Throws<ArgumentException>("z", () => BatchLosses.SoftmaxCrossEntropyBackward(new double[11], new double[11], 4, new double[11]));
        Throws<ArgumentException>("y", () => BatchLosses.SoftmaxCrossEntropyBackward(z, new double[8], 4, dz));
        Throws<ArgumentException>("dz", () => BatchLosses.SoftmaxCrossEntropyBackward(z, y, 4, new double[8]));
        Throws<ArgumentOutOfRangeException>("classes", () => BatchLosses.SoftmaxCrossEntropyForward(z, y, 0));
        Throws<ArgumentException>("w", () => BatchLosses.WeightedCrossEntropyBackward(z, y, new double[3], 4, dz));
        Throws<ArgumentException>("ds", () => BatchLosses.ScaledSoftmaxBackward(z, new double[3], y, 4, dz, new double[4]));
        Throws<ArgumentException>("s", () => BatchLosses.ScaledSoftmaxForward(z, new double[4], y, 4));
        Throws<ArgumentException>("losses", () => BatchLosses.SoftmaxCrossEntropyForward(z, y, 4, new double[4]));
        Assert.All(dz, d => Assert.True(double.IsNaN(d)));
    }

    [Fact]
    public void An_empty_batch_writes_nothing_and_its_mean_is_NaN()
    {
        Assert.True(float.IsNaN(BatchLosses.BinaryCrossEntropyForward(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty)));
        Assert.Equal(0f, BatchLosses.BinaryCrossEntropyForward(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, Reduction.Sum));
        Assert.True(double.IsNaN(BatchLosses.SoftmaxCrossEntropyForwardBackward(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, 5, Span<double>.Empty)));
    }

    [Fact]
    public void A_gradient_may_be_written_over_its_input()
    {
        var rng = new Random(3);
        var z = Enumerable.Range(0, 1000).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray();
        var y = Enumerable.Range(0, 1000).Select(_ => (float)rng.Next(2)).ToArray();
        var dz = new float[1000];
        float loss = BatchLosses.BinaryCrossEntropyForwardBackward(z, y, dz);
        var inPlace = (float[])z.Clone();
        Assert.Equal(loss, BatchLosses.BinaryCrossEntropyForwardBackward(inPlace, y, inPlace));
        Assert.Equal(dz, inPlace);

        var logits = Enumerable.Range(0, 17 * 33).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        var targets = new double[logits.Length];
        for (int r = 0; r < 33; r++) targets[r * 17 + rng.Next(17)] = 1;
        var grad = new double[logits.Length];
        double ce = BatchLosses.SoftmaxCrossEntropyForwardBackward(logits, targets, 17, grad);
        var overwritten = (double[])logits.Clone();
        Assert.Equal(ce, BatchLosses.SoftmaxCrossEntropyForwardBackward(overwritten, targets, 17, overwritten));
        Assert.Equal(grad, overwritten);
    }

    /// <summary>
    /// In place, for every way a row is taken: shorter than a Vector256 (2, 3, 5 floats), one or two Vector256 held in
    /// registers (4 to 8 doubles, 8 to 16 floats), and longer rows in passes (17, 33, 1000).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(1000)]
    public void A_vector_gradient_may_be_written_over_its_input(int classes)
    {
        var rng = new Random(classes);
        int rows = 7;
        var logits = Enumerable.Range(0, rows * classes).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        var targets = new double[logits.Length];
        for (int r = 0; r < rows; r++) targets[r * classes + rng.Next(classes)] = 1;
        var scale = Enumerable.Range(0, rows).Select(_ => rng.NextDouble() + 0.5).ToArray();

        var grad = new double[logits.Length];
        double ce = BatchLosses.SoftmaxCrossEntropyForwardBackward(logits, targets, classes, grad);
        var overwritten = (double[])logits.Clone();
        Assert.Equal(ce, BatchLosses.SoftmaxCrossEntropyForwardBackward(overwritten, targets, classes, overwritten));
        Assert.Equal(grad, overwritten);

        var logitsF = logits.Select(v => (float)v).ToArray();
        var targetsF = targets.Select(v => (float)v).ToArray();
        var gradF = new float[logits.Length];
        BatchLosses.SoftmaxCrossEntropyBackward(logitsF, targetsF, classes, gradF);
        var overwrittenF = (float[])logitsF.Clone();
        BatchLosses.SoftmaxCrossEntropyBackward(overwrittenF, targetsF, classes, overwrittenF);
        Assert.Equal(gradF, overwrittenF);

        var multi = new float[logits.Length];
        float ml = BatchLosses.MultiLabelForwardBackward(logitsF, targetsF, classes, multi);
        overwrittenF = (float[])logitsF.Clone();
        Assert.Equal(ml, BatchLosses.MultiLabelForwardBackward(overwrittenF, targetsF, classes, overwrittenF));
        Assert.Equal(multi, overwrittenF);

        var ds = new double[rows];
        BatchLosses.ScaledSoftmaxBackward(logits, scale, targets, classes, grad, ds);
        overwritten = (double[])logits.Clone();
        var dsInPlace = (double[])scale.Clone();
        BatchLosses.ScaledSoftmaxBackward(overwritten, dsInPlace, targets, classes, overwritten, dsInPlace);
        Assert.Equal(grad, overwritten);
        Assert.Equal(ds, dsInPlace);
    }
}
